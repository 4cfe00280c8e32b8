// The HTTPS request pipeline: authentication, request info, authorization, then discovery, health,
// OpenAPI or the REST verbs. Every failure leaves as a Status object.
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../../shared/kube.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { ResourceDef, UserInfo } from '../registry/types.js';
import type { PatchType, WriteOptions } from './client.js';
import { decodeBody, mediaType, negotiate, readBody, send, sendStatus } from './content.js';
import { ApiError } from './errors.js';
import { aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './handlers/discovery.js';
import { serveWatch } from './handlers/watch-stream.js';
import { serveOpenApiV2 } from './handlers/openapi-v2.js';
import { runHealth, type HealthCheck } from './health.js';
import type { Authn, Authz, ConnectHandler, OpenApiDocs, UpgradeSocket, VirtualCreate } from './http-types.js';
import { isTrue, parseRequestInfo, type RequestInfo } from './request-info.js';
import type { ResourceApi, Target } from './resource-api.js';
import type { Tables } from './services.js';

export interface HttpDeps {
  registry: ResourceRegistry;
  api: ResourceApi;
  tables: Tables;
  authn: Authn;
  authz: Authz;
  openapi: OpenApiDocs;
  health: HealthCheck[];
  version: object;
  serverAddress: () => string;
  virtualCreates: Map<string, VirtualCreate>;
  connect: Map<string, ConnectHandler>;
  log?: (line: string) => void;
}

const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

export class HttpHandler {
  private readonly upgrades = new WeakMap<IncomingMessage, UpgradeSocket>();
  private readonly upgradedSockets = new Set<Duplex>();

  constructor(private readonly deps: HttpDeps) {}

  /**
   * Node's 'upgrade' event (WebSocket, SPDY/3.1): the same pipeline as handle(), with a response
   * object bound to the raw socket so failures still leave as Status objects; connect handlers
   * that accept the upgrade take the socket over.
   */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    res.on('finish', () => socket.end());
    this.upgrades.set(req, { socket, head });
    this.upgradedSockets.add(socket);
    socket.on('close', () => this.upgradedSockets.delete(socket));
    socket.on('error', () => socket.destroy());
    this.handle(req, res);
  };

  /** Upgraded connections (exec, port-forward sessions) are not the HTTP server's any more: end them on shutdown. */
  closeUpgradedConnections(): void {
    for (const socket of this.upgradedSockets) socket.destroy();
    this.upgradedSockets.clear();
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : ApiError.internal(error instanceof Error ? error.message : String(error));
      if (apiError.code >= 500) this.deps.log?.(`${req.method} ${req.url?.split('?')[0]}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendStatus(res, apiError.status);
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const query = url.searchParams;
    const user = await this.deps.authn.authenticate(req);
    if (!user) {
      if (!PUBLIC_PATHS.test(path)) throw ApiError.unauthorized();
    }
    const info = parseRequestInfo(req.method ?? 'GET', path, query);
    if (PUBLIC_PATHS.test(path)) return this.servePublic(path, query, res);
    const who = user!;
    if (!info.isResourceRequest) {
      await this.authorize(who, info, path);
      return this.serveNonResource(req, res, path, info);
    }
    const def = this.deps.registry.lookup(info.group, info.version, info.resource);
    if (!def) throw ApiError.make(404, 'NotFound', 'the server could not find the requested resource');
    await this.authorize(who, info, path);
    const target: Target = { def, version: info.version, namespace: def.namespaced ? info.namespace : '' };
    if (def.namespaced && info.namespace === '' && (info.verb === 'create' || info.name)) {
      throw ApiError.make(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (!def.namespaced && info.namespace && info.resource !== 'namespaces') {
      throw ApiError.make(404, 'NotFound', 'the server could not find the requested resource');
    }
    return this.serveResource(req, res, who, info, target, query);
  }

  private async authorize(user: UserInfo, info: RequestInfo, path: string): Promise<void> {
    const attrs = info.isResourceRequest
      ? { user, verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource, namespace: info.resource === 'namespaces' ? info.name : info.namespace, name: info.name }
      : { user, verb: info.verb, group: '', resource: '', subresource: '', namespace: '', name: '', nonResourcePath: path };
    const decision = await this.deps.authz.authorize(attrs);
    if (decision.allowed) return;
    if (!info.isResourceRequest) throw ApiError.forbidden(`forbidden: User "${user.username}" cannot ${info.verb} path "${path}"`);
    const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    // The subject is the group-qualified resource without its subresource, as kube-apiserver's NewForbidden words it.
    const qualified = info.group ? `${info.resource}.${info.group}` : info.resource;
    const what = info.name ? `${qualified} "${info.name}"` : qualified;
    const scope = info.namespace && info.resource !== 'namespaces' ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
    throw ApiError.forbidden(
      `${what} is forbidden: User "${user.username}" cannot ${info.verb} resource "${resource}" in API group "${info.group}" ${scope}${decision.reason ? `: ${decision.reason}` : ''}`,
      { group: info.group, resource: info.resource },
      info.name || undefined,
    );
  }

  private async servePublic(path: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
    if (path === '/version') return send(res, 200, this.deps.version);
    const [, kind, check] = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path) ?? [];
    const result = await runHealth(kind as 'healthz', this.deps.health, query.has('verbose'), check);
    res.writeHead(result.code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(result.body);
  }

  private async serveNonResource(req: IncomingMessage, res: ServerResponse, path: string, info: RequestInfo): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw ApiError.methodNotSupported({ group: '', resource: path }, req.method ?? '');
    const { registry } = this.deps;
    const accept = req.headers.accept;
    const aggregated = wantsAggregated(accept);
    if (path === '/api' || path === '/apis') {
      if (aggregated) {
        const body = aggregatedDiscovery(registry, path === '/api', aggregated);
        res.writeHead(200, { 'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList` });
        res.end(JSON.stringify(body));
        return;
      }
      return send(res, 200, path === '/api' ? apiVersions(this.deps.serverAddress()) : apiGroupList(registry));
    }
    if (info.apiPrefix === 'apis' && info.group === '' && /^\/apis\/[^/]+$/.test(path)) {
      const group = path.slice('/apis/'.length);
      const doc = apiGroupDocument(registry, group);
      if (doc) return send(res, 200, doc);
    }
    if ((info.apiPrefix === 'api' || info.apiPrefix === 'apis') && info.version) {
      const doc = apiResourceList(registry, info.group, info.version);
      if (doc) return send(res, 200, doc);
    }
    if (path === '/openapi/v2') return serveOpenApiV2(req, res, String((this.deps.version as { gitVersion?: string }).gitVersion ?? ''));
    if (path === '/openapi/v3') return send(res, 200, this.deps.openapi.index());
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.deps.openapi.document(path.slice('/openapi/v3/'.length));
      if (doc) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, immutable', Etag: '"sandbox"' });
        res.end(JSON.stringify(doc));
        return;
      }
    }
    throw ApiError.make(404, 'NotFound', 'the server could not find the requested resource');
  }

  private async serveResource(req: IncomingMessage, res: ServerResponse, user: UserInfo, info: RequestInfo, target: Target, query: URLSearchParams): Promise<void> {
    const { api } = this.deps;
    const negotiated = negotiate(req.headers.accept, query);
    const def = target.def;
    const manager = defaultFieldManager(req);
    const write = writeOptions(query, info.subresource);
    const key = `${def.group}/${def.plural}/${info.subresource}`;

    const connect = this.deps.connect.get(key);
    if (connect) return connect({ user, info, target, query, req, res, upgrade: this.upgrades.get(req) });
    const virtual = this.deps.virtualCreates.get(key);
    if (virtual) {
      if (info.verb !== 'create') throw ApiError.methodNotSupported({ group: def.group, resource: def.plural }, info.verb);
      const body = await this.readObject(req);
      const out = await virtual(user, target, info.name, body, write.dryRun ?? false);
      return send(res, out.code, out.object, negotiated.yaml);
    }
    if (info.subresource && !(def.subresources ?? []).includes(info.subresource)) {
      throw ApiError.make(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (!def.verbs.includes(info.verb as never) && !info.subresource) {
      throw ApiError.methodNotSupported({ group: def.group, resource: def.plural }, info.verb);
    }

    switch (info.verb) {
      case 'get': {
        const obj = await api.get(target, info.name, query.get('resourceVersion') ?? undefined);
        return this.respondObjects(res, target.def, [obj], negotiated, true, obj.metadata.resourceVersion);
      }
      case 'list': {
        const list = await api.list(target, listQuery(query));
        if (negotiated.table) {
          return send(
            res,
            200,
            this.deps.tables.toTable(def, list.items, {
              includeObject: negotiated.includeObject,
              resourceVersion: list.metadata.resourceVersion,
              continue: list.metadata.continue,
              remainingItemCount: list.metadata.remainingItemCount,
            }),
          );
        }
        return send(res, 200, { ...list, items: list.items.map(stripTypeMeta) }, negotiated.yaml);
      }
      case 'watch':
        return serveWatch(api, this.deps.tables, target, query, negotiated, req, res);
      case 'create': {
        const body = await this.readObject(req);
        const out = await api.create(user, target, body, write, manager, true);
        return this.respondWrite(res, out.code, out.object, out.warnings, negotiated.yaml);
      }
      case 'update': {
        const body = await this.readObject(req);
        const out = await api.update(user, target, info.name, body, write, manager);
        return this.respondWrite(res, out.code, out.object, out.warnings, negotiated.yaml);
      }
      case 'patch': {
        const type = patchTypeOf(req.headers['content-type']);
        const raw = await readBody(req);
        const patch = decodeBody(raw, type === 'apply' ? 'application/yaml' : 'application/json');
        const force = isTrue(query.get('force'));
        const out = await api.patch(user, target, info.name, type, patch, { ...write, force }, manager);
        return this.respondWrite(res, out.code, out.object, out.warnings, negotiated.yaml);
      }
      case 'delete': {
        const options = await this.deleteOptions(req, query);
        const out = await api.delete(user, target, info.name, options);
        return send(res, out.code, out.object, negotiated.yaml);
      }
      case 'deletecollection': {
        const options = await this.deleteOptions(req, query);
        const list = await api.deleteCollection(user, target, listQuery(query), options);
        return send(res, 200, list, negotiated.yaml);
      }
      default:
        throw ApiError.methodNotSupported({ group: def.group, resource: def.plural }, info.verb);
    }
  }

  private respondObjects(res: ServerResponse, def: ResourceDef, objs: KubeObject[], negotiated: ReturnType<typeof negotiate>, single: boolean, resourceVersion?: string): void {
    if (negotiated.table) return send(res, 200, this.deps.tables.toTable(def, objs, { includeObject: negotiated.includeObject, resourceVersion }));
    return send(res, 200, single ? objs[0] : objs, negotiated.yaml);
  }

  private respondWrite(res: ServerResponse, code: number, obj: KubeObject, warnings: string[], yaml: boolean): void {
    const headers: Record<string, string> = {};
    if (warnings.length > 0) headers['Warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
    send(res, code, obj, yaml, headers);
  }

  private async readObject(req: IncomingMessage): Promise<KubeObject> {
    const raw = await readBody(req);
    const body = decodeBody(raw, req.headers['content-type']);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ApiError.badRequest('the request body must be a JSON or YAML object');
    return body as KubeObject;
  }

  private async deleteOptions(req: IncomingMessage, query: URLSearchParams) {
    const raw = await readBody(req);
    const body = raw.length > 0 ? (decodeBody(raw, req.headers['content-type']) as Record<string, unknown>) : {};
    const grace = query.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
    const propagation = (query.get('propagationPolicy') ?? body.propagationPolicy) as 'Orphan' | 'Background' | 'Foreground' | undefined;
    const orphan = query.get('orphanDependents') ?? body.orphanDependents;
    const dryRun = query.getAll('dryRun').includes('All') || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
    return {
      gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
      propagationPolicy: propagation ?? (orphan === true || (typeof orphan === 'string' && isTrue(orphan)) ? 'Orphan' : undefined),
      preconditions: (body.preconditions as { uid?: string; resourceVersion?: string } | undefined) ?? undefined,
      dryRun,
    };
  }
}

function stripTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

function listQuery(query: URLSearchParams) {
  const limit = query.get('limit');
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: query.get('continue') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: (query.get('resourceVersionMatch') as 'NotOlderThan' | 'Exact' | null) ?? undefined,
  };
}

function writeOptions(query: URLSearchParams, subresource: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw ApiError.badRequest(`Invalid dry run value: ${JSON.stringify(dryRun)}; supported values: "All"`);
  const fieldValidation = query.get('fieldValidation') ?? undefined;
  if (fieldValidation !== undefined && !['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) {
    throw ApiError.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${fieldValidation}`);
  }
  return {
    dryRun: dryRun.includes('All'),
    fieldManager: query.get('fieldManager') ?? undefined,
    fieldValidation: fieldValidation as WriteOptions['fieldValidation'],
    subresource,
  };
}

function patchTypeOf(contentType: string | undefined): PatchType {
  switch (mediaType(contentType)) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw ApiError.unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json']);
  }
}

/** kube-apiserver derives a missing fieldManager from the User-Agent ("kubectl/v1.32..." → "kubectl"). */
function defaultFieldManager(req: IncomingMessage): string {
  const agent = req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0].slice(0, 128) || 'unknown';
}
