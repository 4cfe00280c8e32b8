// OpenAPI v3 documents for custom resources, shaped as kube-apiserver publishes them for CRDs: the
// version's openAPIV3Schema with apiVersion/kind/metadata added and x-kubernetes-group-version-kind
// set, a List schema, and resource paths whose operations carry the GVK (kubectl explain finds the
// kind through them; kubectl apply checks PATCH for the fieldValidation parameter).
import type { KubeObject } from '../../../shared/kube.js';
import { type OpenApiSchema, isRecord } from './schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DOC = 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** Meta schemas every CRD document refers to; the service copies them from the built-in documents. */
export const CRD_SHARED_SCHEMAS = [`${META}.ObjectMeta`, `${META}.ListMeta`, `${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`, `${META}.WatchEvent`];

export interface CrdVersionInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  namespaced: boolean;
  subresources: { status: boolean; scale: boolean };
  /** The version's openAPIV3Schema as declared (undefined: no schema, everything preserved). */
  schema: OpenApiSchema | undefined;
}

/** The served versions of a CRD object, read defensively (it comes from user input). */
export function crdVersions(crd: KubeObject): CrdVersionInfo[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  if (!group || !kind || !plural) return [];
  const listKind = typeof names.listKind === 'string' && names.listKind ? names.listKind : `${kind}List`;
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const out: CrdVersionInfo[] = [];
  for (const v of versions) {
    if (!isRecord(v) || typeof v.name !== 'string' || v.served === false) continue;
    const sub = isRecord(v.subresources) ? v.subresources : {};
    const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as OpenApiSchema) : undefined;
    out.push({
      group, version: v.name, kind, listKind, plural,
      namespaced: spec.scope !== 'Cluster',
      subresources: { status: isRecord(sub.status), scale: isRecord(sub.scale) },
      schema,
    });
  }
  return out;
}

/** kube-apiserver's component name for a custom kind: reversed group, version, kind ("com.example.stable.v1.CronTab"). */
export function crdSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });

function kindSchema(info: CrdVersionInfo): OpenApiSchema {
  const declared: OpenApiSchema = info.schema ? structuredClone(info.schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...declared,
    type: 'object',
    properties: {
      ...(declared.properties ?? {}),
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: { allOf: [ref(`${META}.ObjectMeta`)], description: METADATA_DOC },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.kind, version: info.version }],
  };
}

function listSchema(info: CrdVersionInfo): OpenApiSchema {
  return {
    description: `${info.listKind} is a list of ${info.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      items: {
        description: `List of ${info.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: ref(crdSchemaName(info.group, info.version, info.kind)),
      },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: { allOf: [ref(`${META}.ListMeta`)], description: LIST_METADATA_DOC },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.listKind, version: info.version }],
  };
}

function param(name: string, where: 'path' | 'query', type = 'string'): object {
  return { name, in: where, ...(where === 'path' ? { required: true } : {}), schema: { type, uniqueItems: true } };
}

const JSON_TYPES = ['application/json', 'application/yaml'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

function operation(info: CrdVersionInfo, action: string, id: string, response: string, extra: { body?: string; patch?: boolean; query?: string[]; gvk?: object }): object {
  const parameters = (extra.query ?? []).map((q) => param(q, 'query', q === 'force' || q === 'watch' ? 'boolean' : q === 'limit' || q === 'timeoutSeconds' ? 'integer' : 'string'));
  const content = (schema: object, types: string[]) => Object.fromEntries(types.map((t) => [t, { schema }]));
  const op: Record<string, unknown> = { description: `${action} ${info.kind}`, operationId: `${id}${info.kind}`, parameters };
  if (extra.patch) op.requestBody = { content: content(ref(`${META}.Patch`), PATCH_TYPES), required: true };
  else if (extra.body) op.requestBody = { content: { '*/*': { schema: ref(extra.body) } }, required: true };
  op.responses = { 200: { description: 'OK', content: content(ref(response), JSON_TYPES) }, 401: { description: 'Unauthorized' } };
  op['x-kubernetes-action'] = action;
  op['x-kubernetes-group-version-kind'] = extra.gvk ?? { group: info.group, kind: info.kind, version: info.version };
  return op;
}

function paths(info: CrdVersionInfo): Record<string, object> {
  const kindRef = crdSchemaName(info.group, info.version, info.kind);
  const listRef = crdSchemaName(info.group, info.version, info.listKind);
  const base = `/apis/${info.group}/${info.version}`;
  const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}` : `${base}/${info.plural}`;
  const scope = info.namespaced ? [param('namespace', 'path')] : [];
  const write = ['dryRun', 'fieldManager', 'fieldValidation'];
  const listQuery = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
  const out: Record<string, object> = {
    [collection]: {
      get: operation(info, 'list', 'list', listRef, { query: listQuery }),
      post: operation(info, 'post', 'create', kindRef, { body: kindRef, query: write }),
      delete: operation(info, 'deletecollection', 'deletecollection', `${META}.Status`, { body: `${META}.DeleteOptions`, query: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy', ...listQuery] }),
      parameters: scope,
    },
    [`${collection}/{name}`]: {
      get: operation(info, 'get', 'read', kindRef, { query: ['resourceVersion'] }),
      put: operation(info, 'put', 'replace', kindRef, { body: kindRef, query: write }),
      patch: operation(info, 'patch', 'patch', kindRef, { patch: true, query: [...write, 'force'] }),
      delete: operation(info, 'delete', 'delete', `${META}.Status`, { body: `${META}.DeleteOptions`, query: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'] }),
      parameters: [param('name', 'path'), ...scope],
    },
  };
  if (info.namespaced) out[`${base}/${info.plural}`] = { get: operation(info, 'list', 'listForAllNamespaces', listRef, { query: listQuery }) };
  if (info.subresources.status) {
    out[`${collection}/{name}/status`] = {
      get: operation(info, 'get', 'readStatus', kindRef, {}),
      put: operation(info, 'put', 'replaceStatus', kindRef, { body: kindRef, query: write }),
      patch: operation(info, 'patch', 'patchStatus', kindRef, { patch: true, query: [...write, 'force'] }),
      parameters: [param('name', 'path'), ...scope],
    };
  }
  if (info.subresources.scale) {
    const scale = 'io.k8s.api.autoscaling.v1.Scale';
    const gvk = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
    out[`${collection}/{name}/scale`] = {
      get: operation(info, 'get', 'readScale', scale, { gvk }),
      put: operation(info, 'put', 'replaceScale', scale, { body: scale, query: write, gvk }),
      patch: operation(info, 'patch', 'patchScale', scale, { patch: true, query: [...write, 'force'], gvk }),
      parameters: [param('name', 'path'), ...scope],
    };
  }
  return out;
}

/**
 * The document for one custom group version, from every CRD kind served at it. `shared` holds the
 * meta schemas (and autoscaling.v1.Scale) copied from the built-in documents.
 */
export function buildCrdDocument(infos: CrdVersionInfo[], shared: Record<string, OpenApiSchema>, kubeVersion: string): object {
  const schemas: Record<string, OpenApiSchema> = { ...shared };
  const allPaths: Record<string, object> = {};
  for (const info of [...infos].sort((a, b) => a.kind.localeCompare(b.kind))) {
    schemas[crdSchemaName(info.group, info.version, info.kind)] = kindSchema(info);
    schemas[crdSchemaName(info.group, info.version, info.listKind)] = listSchema(info);
    Object.assign(allPaths, paths(info));
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: kubeVersion },
    paths: allPaths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}
