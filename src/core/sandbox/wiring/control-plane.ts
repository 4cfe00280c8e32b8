// Composition of the control plane: storage, registry, REST, admission, auth, virtual resources,
// controllers. Constructor injection only; this is the one place that knows every implementation.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import type { Pki } from '../apiserver/auth/pki.js';
import { Authenticator } from '../apiserver/auth/authenticator.js';
import { ServiceAccountTokens } from '../apiserver/auth/tokens.js';
import { RbacAuthorizer } from '../apiserver/auth/rbac.js';
import { hasImpersonationHeaders, impersonate } from '../apiserver/auth/impersonation.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../apiserver/auth/bootstrap-policy.js';
import { AdmissionChain, defaultAdmissionPlugins } from '../apiserver/admission/chain.js';
import { ApiError } from '../apiserver/errors.js';
import type { HttpDeps } from '../apiserver/http-handler.js';
import { LocalApiClient } from '../apiserver/local-client.js';
import { ResourceApi } from '../apiserver/resource-api.js';
import { SYSTEM_USER, type ApiServices } from '../apiserver/services.js';
import { POST_START_HOOKS, type HealthCheck } from '../apiserver/health.js';
import { scaleHandler } from '../apiserver/handlers/scale.js';
import { componentStatusHandler } from '../apiserver/handlers/component-statuses.js';
import { bindingHandler, evictionHandler, tokenRequestHandler } from '../apiserver/handlers/virtual.js';
import { reviewHandlers } from './reviews.js';
import type { ConnectHandler, VirtualCreate } from '../apiserver/http-types.js';
import { bootstrapCluster } from '../bootstrap/bootstrap.js';
import { GarbageCollector } from '../controllers/garbage-collector.js';
import { Informer } from '../controllers/informer.js';
import { NamespaceControllers } from '../controllers/namespace-controllers.js';
import { CrdController } from '../controllers/crd-controller.js';
import { builtinResources } from '../registry/catalog.js';
import { ResourceRegistry } from '../registry/resource-registry.js';
import { GenericStore } from '../registry/store/generic-store.js';
import { ServiceAllocator } from '../registry/store/service-allocator.js';
import type { ResourceDef, UserInfo } from '../registry/types.js';
import type { KV } from '../store/kv.js';
import { KvObjectStorage } from '../store/object-storage.js';
import { startCompactor } from '../store/compactor.js';
import { CachedObjectStorage } from '../store/cacher.js';
import { OpenApiService } from '../openapi/openapi-service.js';
import { selection } from './selection.js';
import { startClusterComponents, type ClusterComponents } from './cluster-components.js';
import { SCHEDULER_USER } from '../scheduler/index.js';
import { fleetBackends, metricsConnectHandlers, metricsResources, streamingConnectHandlers } from '../apiserver/streaming/index.js';
import { tablesWith } from './tables.js';
import { PatchSchemas, fieldManagementWith, patchesWith } from './patches.js';
import { schemasFor } from './schemas.js';
import { objectMetaValidation } from '../registry/object-meta.js';
import { customResourceStrategy } from './custom-resources.js';
import { pdbAllowsEviction } from './disruption.js';

export interface ControlPlaneInput {
  /** The sandbox's data directory (PVC data); omitted in tests: in memory. */
  dataDir?: string;
  /** Off: API server and part-1 controllers only (no scheduler, kubelets, workload controllers). */
  simulateCluster?: boolean;
  kv: KV;
  pki: Pki;
  clock: Clock;
  log: (line: string) => void;
  serverUrl: () => string;
  nodes: number;
}

export interface ControlPlane {
  httpDeps: HttpDeps;
  client: ApiClient;
  registry: ResourceRegistry;
  start(): Promise<void>;
  ready(): Promise<void>;
  stop(): void;
  /** The simulated kubelets once started (none without simulateCluster): the app's node controls. */
  fleet(): ClusterComponents['fleet'] | undefined;
}

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.3+kubedesk',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-24T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export async function buildControlPlane(input: ControlPlaneInput): Promise<ControlPlane> {
  const { kv, pki, clock, log } = input;
  const storage = new CachedObjectStorage(new KvObjectStorage(kv));
  const builtins = builtinResources();
  const registry = new ResourceRegistry([...builtins, ...metricsResources()]);
  const builtinKeys = new Set(builtins.map((d) => `${d.group}/${d.plural}`));
  const serviceAllocator = new ServiceAllocator(storage);
  const openapi = new OpenApiService();
  const tables = tablesWith(clock);
  const customSchemas = new WeakMap<ResourceDef, unknown>();
  const patchSchemas = new PatchSchemas({ customSchema: (def) => customSchemas.get(def) });
  const patches = patchesWith(patchSchemas);
  const defOfObject = (obj: { apiVersion?: string; kind?: string }) => {
    const slash = (obj.apiVersion ?? '').indexOf('/');
    const group = slash < 0 ? '' : (obj.apiVersion ?? '').slice(0, slash);
    return registry.byKind(group, obj.kind ?? '');
  };
  const fieldManagement = fieldManagementWith(patchSchemas, defOfObject);
  const chain = new AdmissionChain(defaultAdmissionPlugins());
  const stores = new Map<ResourceDef, GenericStore>();
  // Admission reads other objects through the system client (defined below; called only later).
  const admission = {
    admit: (attrs: Parameters<AdmissionChain['admit']>[0]) => chain.admit(attrs, client),
    validate: (attrs: Parameters<AdmissionChain['validate']>[0]) => chain.validate(attrs, client),
  };
  const services: ApiServices = {
    registry,
    clock,
    selection,
    tables,
    patches,
    schemas: schemasFor(openapi, (def) => !builtinKeys.has(`${def.group}/${def.plural}`)),
    storeFor(def) {
      let store = stores.get(def);
      if (!store) {
        store = new GenericStore(def, { storage, clock, admission, meta: objectMetaValidation, fields: fieldManagement, allocate: (d, obj, old) => serviceAllocator.allocate(d, obj, old) });
        stores.set(def, store);
      }
      return store;
    },
  };
  const api = new ResourceApi(services);
  const client = new LocalApiClient(api, registry, SYSTEM_USER);

  const tokens = new ServiceAccountTokens({ privateKey: pki.saPrivateKey, publicKey: pki.saPublicKey, now: () => clock.now() });
  const authenticator = new Authenticator({
    caCert: pki.caCert,
    tokens,
    lookupServiceAccount: async (ns, name) => optional(() => client.get({ group: '', resource: 'serviceaccounts' }, ns, name)).then((o) => (o ? { uid: o.metadata.uid ?? '' } : undefined)),
    lookupPod: async (ns, name) => optional(() => client.get({ group: '', resource: 'pods' }, ns, name)).then((o) => (o ? { uid: o.metadata.uid ?? '' } : undefined)),
    lookupSecret: async (ns, name) =>
      optional(() => client.get({ group: '', resource: 'secrets' }, ns, name)).then((o) => {
        if (!o) return undefined;
        const token = (o.data as Record<string, string> | undefined)?.token;
        return { uid: o.metadata.uid ?? '', token: token ? Buffer.from(token, 'base64').toString('utf8') : undefined };
      }),
    now: () => clock.now(),
  });

  // A client certificate is fixed for the life of a TLS connection: verify it once per socket.
  const certUsers = new WeakMap<object, Promise<UserInfo | undefined>>();
  const authenticateRequest = async (req: IncomingMessage): Promise<UserInfo | undefined> => {
    const user = await authenticateCredentials(req);
    // `kubectl --as`: the authenticated user must be allowed to impersonate, checked by RBAC.
    if (user && hasImpersonationHeaders(req.headersDistinct)) return impersonate(req.headersDistinct, user, authorizer);
    return user;
  };
  const authenticateCredentials = (req: IncomingMessage): Promise<UserInfo | undefined> => {
    if (req.headers.authorization) return authenticator.authenticate({ peerCertificate: (req.socket as TLSSocket).getPeerCertificate?.(), authorization: req.headers.authorization });
    const socket = req.socket as TLSSocket;
    let user = certUsers.get(socket);
    if (!user) {
      user = authenticator.authenticate({ peerCertificate: socket.getPeerCertificate?.() });
      certUsers.set(socket, user);
    }
    return user;
  };
  const rbacRef = (resource: string) => ({ group: 'rbac.authorization.k8s.io', resource });
  const informers = {
    namespaces: new Informer(client, { group: '', resource: 'namespaces' }, (e) => log(`namespace informer: ${String(e)}`)),
    serviceAccounts: new Informer(client, { group: '', resource: 'serviceaccounts' }),
    configMaps: new Informer(client, { group: '', resource: 'configmaps' }),
    roles: new Informer(client, rbacRef('roles')),
    roleBindings: new Informer(client, rbacRef('rolebindings')),
    clusterRoles: new Informer(client, rbacRef('clusterroles')),
    clusterRoleBindings: new Informer(client, rbacRef('clusterrolebindings')),
    crds: new Informer(client, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }),
  };
  const authorizer = new RbacAuthorizer({
    listClusterRoleBindings: async () => informers.clusterRoleBindings.list(),
    listRoleBindings: async (ns) => informers.roleBindings.list(ns),
    getRole: async (ns, name) => informers.roles.get(ns, name),
    getClusterRole: async (name) => informers.clusterRoles.get('', name),
    listClusterRoles: async () => informers.clusterRoles.list(),
  });

  const bindingClient = new LocalApiClient(api, registry, SCHEDULER_USER, 'kube-scheduler');
  const virtualCreates = new Map<string, VirtualCreate>([
    ['/serviceaccounts/token', tokenRequestHandler(tokens, client)],
    // A Binding sets spec.nodeName, which only the scheduler's identity may do on a pod update.
    ['/pods/binding', bindingHandler(bindingClient)],
    ['/bindings/', bindingHandler(bindingClient)],
    ['/pods/eviction', evictionHandler(client, (pod) => pdbAllowsEviction(client, pod))],
    ...reviewHandlers(authorizer, authenticator),
  ]);
  const connect = new Map<string, ConnectHandler>();
  for (const key of ['apps/deployments', 'apps/replicasets', 'apps/statefulsets', '/replicationcontrollers']) {
    connect.set(`${key}/scale`, scaleHandler(api, patches));
  }
  // Logs, exec, attach, port-forward, proxies and metrics.k8s.io reach the kubelets once they run.
  let components: ClusterComponents | undefined;
  const streaming = fleetBackends(() => components?.fleet);
  for (const [key, handler] of streamingConnectHandlers(streaming.pods, client, clock)) connect.set(key, handler);
  for (const [key, handler] of metricsConnectHandlers(streaming.metrics, client)) connect.set(key, handler);
  connect.set('/componentstatuses/', componentStatusHandler(() => kv.status().then(() => true, () => false), tables));

  let storeHealthy = false;
  const health: HealthCheck[] = [
    { name: 'ping', check: () => undefined },
    { name: 'log', check: () => undefined },
    { name: 'etcd', check: async () => void (await kv.status()) },
    { name: 'etcd-readiness', check: async () => void (await kv.status()), endpoints: ['readyz'] },
    { name: 'informer-sync', check: () => { if (!storeHealthy) throw new Error('informers not synced'); }, endpoints: ['readyz'] },
    ...POST_START_HOOKS.map((hook) => ({ name: `poststarthook/${hook}`, check: () => undefined })),
    { name: 'shutdown', check: () => undefined, endpoints: ['readyz'] },
  ];

  const httpDeps: HttpDeps = {
    registry,
    api,
    tables,
    authn: { authenticate: (req: IncomingMessage) => authenticateRequest(req) },
    authz: { authorize: (attrs) => authorizer.authorize({ ...attrs, nonResourceURL: attrs.nonResourcePath } as Parameters<RbacAuthorizer['authorize']>[0]) },
    openapi,
    health,
    version: SERVER_VERSION,
    serverAddress: () => input.serverUrl().replace(/^https:\/\//, ''),
    virtualCreates,
    connect,
    log,
  };

  const controllers: { dispose(): void }[] = [];
  const onError = (error: unknown) => log(`controller error: ${error instanceof Error ? error.message : String(error)}`);

  return {
    httpDeps,
    client,
    registry,
    async start() {
      await bootstrapCluster({
        client,
        now: clock.now(),
        nodes: input.nodes,
        serverUrl: input.serverUrl(),
        caCertPem: pki.caCert,
        clusterRoles: defaultClusterRoles(),
        clusterRoleBindings: defaultClusterRoleBindings(),
      });
      await Promise.all(Object.values(informers).map((i) => i.start()));
      controllers.push(new CrdController(client, informers.crds, registry, openapi, clock, onError, (def, crd) => customResourceStrategy(def, crd, openapi, customSchemas)));
      controllers.push(
        new NamespaceControllers({ client, namespaces: informers.namespaces, serviceAccounts: informers.serviceAccounts, configMaps: informers.configMaps, registry, clock, caCertPem: pki.caCert, onError }),
      );
      const gcInformers = registry
        .all()
        .filter((d) => d.verbs.includes('watch') && d.verbs.includes('delete') && !['events', 'leases'].includes(d.plural))
        // Whole objects: they are the watch cache's own (shared, frozen), so a metadata-only copy would cost more.
        .map((d) => new Informer(client, { group: d.group, resource: d.plural }, onError));
      await Promise.all(gcInformers.map((i) => i.start()));
      controllers.push(...gcInformers, new GarbageCollector(client, registry, gcInformers, clock, onError));
      const compactor = startCompactor(kv, { onError });
      controllers.push(compactor);
      if (input.simulateCluster !== false) {
        components = await startClusterComponents({ client, api, registry, clock, tokens, onError, dataDir: input.dataDir });
        controllers.push(components);
      }
      storeHealthy = true;
    },
    async ready() {
      await kv.status();
    },
    fleet: () => components?.fleet,
    stop() {
      for (const c of [...controllers].reverse()) c.dispose();
      for (const i of Object.values(informers)) i.dispose();
    },
  };
}

async function optional<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) return undefined;
    throw error;
  }
}
