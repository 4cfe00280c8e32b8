// Assembles one OpenAPI v3 document per group version, shaped as kube-apiserver serves
// /openapi/v3/apis/<group>/<version>: paths with x-kubernetes-action and
// x-kubernetes-group-version-kind on operations (kubectl explain finds kinds through them, and
// kubectl checks PATCH operations for the fieldValidation parameter), and the closure of the
// schemas they reference under components.schemas.
import { join } from 'node:path';
import { readClientApi } from './client-apis.mjs';
import { GROUPS, META } from './names.mjs';
import { ref } from './schemas.mjs';

const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function resourceSegments(path) {
  const rest = path.replace(/^\/api\/[^/]+\/?/, '').replace(/^\/apis\/[^/]+\/[^/]+\/?/, '');
  return rest.replace(/^namespaces\/\{namespace\}\//, '').split('/').filter(Boolean);
}

function actionOf(op, segments) {
  // Proxy, exec, attach, portforward: every method is a connect action, never the kind's PATCH/PUT
  // (kubectl looks for fieldValidation on the first PATCH it finds for a kind).
  if (op.id?.startsWith('connect')) return 'connect';
  const streams = op.responseType === 'string' || op.responseType === undefined;
  switch (op.method) {
    case 'get':
      if (op.responseType?.endsWith('List')) return 'list';
      return streams && segments.length > 2 ? 'connect' : 'get';
    case 'post':
      return streams ? 'connect' : 'post';
    case 'put':
      return 'put';
    case 'patch':
      return 'patch';
    case 'delete':
      return op.id.startsWith('deleteCollection') ? 'deletecollection' : 'delete';
    default:
      return 'connect';
  }
}

function parameter(param) {
  const type = param.type === 'number' ? 'integer' : param.type;
  const out = { name: param.name, in: param.in };
  if (param.description) out.description = param.description;
  if (param.in === 'path') out.required = true;
  out.schema = { type, uniqueItems: true };
  return out;
}

function content(types, schema) {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

/** Builds the document for one entry of DOCUMENTS. */
export function buildDocument(spec, registry, apisDir, kubeVersion) {
  const { group } = GROUPS[spec.dir];
  const version = spec.version;
  const operations = readClientApi(join(apisDir, `${spec.api}.js`));
  const schemaOf = (model) => (model && model !== 'any' && model !== 'string' ? registry.modelSchema(model, `${GROUPS[spec.dir].pkg}.${version}.X`) : undefined);
  const isKind = (schemaName) => {
    const gvk = schemaName && registry.gvkOf(schemaName);
    return gvk && !gvk.kind.endsWith('List') && gvk.kind !== 'Status' ? gvk : undefined;
  };

  // Kinds newer than kubernetes-types are recognised from their read/create operations.
  for (const op of operations) {
    const segments = resourceSegments(op.path);
    const response = schemaOf(op.responseType);
    if (response && segments.length <= 2 && (op.method === 'get' || op.method === 'post') && !op.responseType.endsWith('List')) {
      registry.addGvk(response, { group, kind: response.slice(response.lastIndexOf('.') + 1), version });
    }
  }
  const resourceKinds = new Map();
  for (const op of operations) {
    const segments = resourceSegments(op.path);
    const gvk = isKind(schemaOf(op.responseType));
    if (gvk && segments.length <= 2 && !resourceKinds.has(segments[0])) resourceKinds.set(segments[0], gvk);
  }

  const paths = {};
  for (const op of [...operations].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const segments = resourceSegments(op.path);
    const action = actionOf(op, segments);
    const response = schemaOf(op.responseType);
    const body = schemaOf(op.bodyType);
    const gvk = segments.length === 0 ? undefined
      : action === 'connect' ? undefined
        : (segments.length > 2 && (isKind(response) ?? isKind(body))) || resourceKinds.get(segments[0]);
    const operation = {
      tags: [`${spec.api.replace(/Api$/, '').replace(/V(\d)/, '_v$1').toLowerCase()}`],
      description: op.summary,
      operationId: op.id,
      parameters: op.params.map(parameter),
    };
    if (op.method === 'patch') {
      const types = op.mediaTypes.length > 0 ? op.mediaTypes : ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
      operation.requestBody = { content: content(types, ref(`${META}.Patch`)), required: true };
    } else if (body) {
      operation.requestBody = { content: { '*/*': { schema: ref(body) } }, required: op.method !== 'delete' };
    }
    const ok = response
      ? { description: 'OK', content: content(action === 'list' ? [...RESPONSE_TYPES, 'application/json;stream=watch'] : RESPONSE_TYPES, ref(response)) }
      : { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } };
    operation.responses = { 200: ok };
    if (op.method === 'post' || op.method === 'put') operation.responses[201] = { ...ok, description: 'Created' };
    if (op.method === 'post' || op.method === 'delete') operation.responses[202] = { ...ok, description: 'Accepted' };
    operation.responses[401] = { description: 'Unauthorized' };
    operation['x-kubernetes-action'] = action;
    if (gvk) operation['x-kubernetes-group-version-kind'] = gvk;
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation };
  }

  // Every document can carry these, as kube-apiserver's do.
  for (const name of ['V1DeleteOptions', 'V1Status', 'V1WatchEvent', 'V1APIResourceList']) schemaOf(name);
  const roots = [`${META}.DeleteOptions`, `${META}.Status`, `${META}.WatchEvent`, `${META}.APIResourceList`, `${META}.Patch`];
  const schemas = closure(registry, [paths, ...roots.map(ref)]);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubeVersion },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

/** Every schema reachable from `roots` by $ref, sorted by name. */
function closure(registry, roots) {
  const seen = new Set();
  const queue = [...roots];
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) queue.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = value.slice('#/components/schemas/'.length);
          if (!seen.has(name)) {
            seen.add(name);
            const schema = registry.schemas.get(name);
            if (!schema) throw new Error(`gen-openapi: schema ${name} is referenced but was never built; a model mapping in src/core/sandbox/openapi/generator is missing`);
            queue.push(schema);
          }
        } else queue.push(value);
      }
    }
  }
  return Object.fromEntries([...seen].sort().map((name) => [name, registry.schemas.get(name)]));
}
