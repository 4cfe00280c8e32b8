// Splits a request path into what kube-apiserver's RequestInfoFactory finds in it: API prefix,
// group, version, namespace, resource, name, subresource and the Kubernetes verb.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (or the HTTP verb for non-resource paths). */
  verb: string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Extra path segments after the subresource (pods/proxy/<path>). */
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path: pathname,
    verb: method.toLowerCase(),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segments[0] !== 'api' && segments[0] !== 'apis') return info;
  info.apiPrefix = segments[0];
  let rest = segments.slice(1);
  if (info.apiPrefix === 'apis') {
    if (rest.length < 2) return info; // /apis or /apis/<group>: discovery
    info.group = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info; // /api
  info.version = rest[0];
  rest = rest.slice(1);
  if (rest.length === 0) return info; // /api/v1, /apis/apps/v1: discovery

  info.isResourceRequest = true;
  // /api/v1/watch/... is the deprecated watch path; kubectl no longer uses it but clients may.
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1];
    // /namespaces/<ns>/<resource>... is namespaced; /namespaces/<name>[/status|/finalize] is the namespace itself.
    if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  if (rest.length > 3) info.parts = rest.slice(3);
  // A namespace is cluster-scoped: requests about it carry no namespace of their own.
  if (info.resource === 'namespaces') info.namespace = '';

  const method_ = method.toUpperCase();
  switch (method_) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? 'get' : 'list';
      if (watchPath || isTrue(query.get('watch'))) info.verb = 'watch';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method_.toLowerCase();
  }
  // A field selector on metadata.name makes a list/watch a request about one object (for RBAC).
  if ((info.verb === 'list' || info.verb === 'watch') && !info.name) {
    const fieldSelector = query.get('fieldSelector') ?? '';
    const match = /^metadata\.name==?([^,]+)$/.exec(fieldSelector);
    if (match) info.name = match[1];
  }
  return info;
}

/** Go's strconv.ParseBool, as kube-apiserver parses query booleans (the Python client sends "True"). */
export function isTrue(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}
