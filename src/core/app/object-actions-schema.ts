// The editor's schema for one kind, from the cluster's own /openapi/v3 (so CRDs and the server's
// exact version are covered), turned into the self-contained JSON schema monaco-yaml validates
// with: only the definitions the kind reaches, refs made local, Kubernetes' extensions translated.
import type { KubeConfig } from '@kubernetes/client-node';
import { parseApiVersion } from '../../shared/kube.js';
import type { EditorSchema } from '../../shared/rpc/object-contract.js';
import { bodyOrThrow, kubeRequest } from './object-actions-http.js';

type Json = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The components.schemas name whose x-kubernetes-group-version-kind is this kind. */
export function findKindSchema(schemas: Json, group: string, version: string, kind: string): string | undefined {
  for (const [name, schema] of Object.entries(schemas)) {
    const gvks = isRecord(schema) ? schema['x-kubernetes-group-version-kind'] : undefined;
    if (Array.isArray(gvks) && gvks.some((g) => isRecord(g) && g.group === group && g.version === version && g.kind === kind)) return name;
  }
  return undefined;
}

function convertNode(node: unknown, reached: Set<string>, pending: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => convertNode(n, reached, pending));
  if (!isRecord(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      const name = value.slice(REF_PREFIX.length);
      if (!reached.has(name)) {
        reached.add(name);
        pending.push(name);
      }
      out.$ref = `#/definitions/${name}`;
    } else if (key === 'oneOf') {
      // int-or-string and Quantity: both branches may match a YAML scalar; anyOf is what they mean.
      out.anyOf = convertNode(value, reached, pending);
    } else if (key === 'format' || key.startsWith('x-kubernetes-')) {
      // Formats like int-or-string are Kubernetes' own; validators would reject or ignore them.
    } else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertNode(v, reached, pending)]));
    } else {
      out[key] = convertNode(value, reached, pending);
    }
  }
  if (node['x-kubernetes-int-or-string'] === true && !out.anyOf) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    delete out.type;
  }
  // Unknown fields are refused by strict field validation: flag them while typing, as the server
  // would, except where the schema says anything goes.
  if (isRecord(out.properties) && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** A kind's schema with every definition it reaches, refs local (`#/definitions/<name>`). */
export function toEditorSchema(schemas: Json, rootName: string, apiVersion: string, kind: string): EditorSchema {
  const reached = new Set<string>();
  const pending: string[] = [];
  const root = convertNode(schemas[rootName], reached, pending) as Json;
  const definitions: Json = {};
  while (pending.length > 0) {
    const name = pending.pop() as string;
    definitions[name] = schemas[name] === undefined ? {} : convertNode(schemas[name], reached, pending);
    // The API writes `creationTimestamp: null` in pod templates; null is what it means by "unset".
    if (/\.(Micro)?Time$/.test(name)) (definitions[name] as Json).type = ['string', 'null'];
  }
  const properties = isRecord(root.properties) ? { ...root.properties } : {};
  // Completion offers the one right value for these two.
  properties.apiVersion = { ...(isRecord(properties.apiVersion) ? properties.apiVersion : {}), type: 'string', enum: [apiVersion] };
  properties.kind = { ...(isRecord(properties.kind) ? properties.kind : {}), type: 'string', enum: [kind] };
  const required = new Set([...(Array.isArray(root.required) ? (root.required as string[]) : []), 'apiVersion', 'kind']);
  return {
    key: `${apiVersion}/${kind}`,
    schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...root, properties, required: [...required], definitions },
  };
}

interface CacheEntry {
  at: number;
  value: Promise<EditorSchema | null>;
}

const cache = new WeakMap<KubeConfig, Map<string, CacheEntry>>();
// CRDs change schemas while the app runs; a minute is fresh enough for typing help.
const TTL_MS = 60_000;

async function load(config: KubeConfig, apiVersion: string, kind: string): Promise<EditorSchema | null> {
  const { group, version } = parseApiVersion(apiVersion);
  const index = bodyOrThrow(await kubeRequest(config, 'GET', '/openapi/v3'), 'GET /openapi/v3') as { paths?: Record<string, { serverRelativeURL?: string }> };
  const docPath = group === '' ? `api/${version}` : `apis/${group}/${version}`;
  const url = index.paths?.[docPath]?.serverRelativeURL ?? `/openapi/v3/${docPath}`;
  const answer = await kubeRequest(config, 'GET', url, { timeoutMs: 60_000 });
  if (answer.status === 404) return null;
  const doc = bodyOrThrow(answer, `GET ${url}`) as { components?: { schemas?: Json } };
  const schemas = doc.components?.schemas ?? {};
  const rootName = findKindSchema(schemas, group, version, kind);
  return rootName ? toEditorSchema(schemas, rootName, apiVersion, kind) : null;
}

export function editorSchema(config: KubeConfig, apiVersion: string, kind: string): Promise<EditorSchema | null> {
  let perCluster = cache.get(config);
  if (!perCluster) cache.set(config, (perCluster = new Map()));
  const key = `${apiVersion}/${kind}`;
  const hit = perCluster.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = load(config, apiVersion, kind);
  perCluster.set(key, { at: Date.now(), value });
  value.catch(() => perCluster.delete(key));
  return value;
}
