// An in-memory ApiClient over plain arrays, for admission plugin tests. It keeps the contract's
// observable behaviour (NotFound/AlreadyExists ApiErrors, resourceVersions, namespace scoping,
// copies in and out) without the registry: no defaulting, validation, admission or selectors.
import { randomUUID } from 'node:crypto';
import type { KubeList, KubeObject } from '../../../../shared/kube.js';
import type { ApiClient, ClientWatch, ClientWatchEvent, DeleteOptions, ListQuery, PatchType, ResourceRef, WatchQuery, WriteOptions } from '../client.js';
import { ApiError } from '../errors.js';

const CLUSTER_SCOPED = new Set([
  '/namespaces',
  '/nodes',
  '/persistentvolumes',
  'storage.k8s.io/storageclasses',
  'scheduling.k8s.io/priorityclasses',
  'networking.k8s.io/ingressclasses',
  'node.k8s.io/runtimeclasses',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
  'apiextensions.k8s.io/customresourcedefinitions',
]);

const KINDS: Record<string, string> = {
  namespaces: 'Namespace',
  pods: 'Pod',
  serviceaccounts: 'ServiceAccount',
  limitranges: 'LimitRange',
  resourcequotas: 'ResourceQuota',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  storageclasses: 'StorageClass',
  priorityclasses: 'PriorityClass',
  services: 'Service',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  deployments: 'Deployment',
};

function keyOf(ref: ResourceRef): string {
  return `${ref.group}/${ref.resource}`;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const base: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

interface Watcher {
  key: string;
  namespace: string;
  onEvent: (event: ClientWatchEvent) => void;
}

export class TestApiClient implements ApiClient {
  private readonly objects = new Map<string, KubeObject[]>();
  private readonly watchers = new Set<Watcher>();
  private readonly unserved = new Set<string>();
  private revision = 1;
  /** Every call, for tests that assert what a plugin read ("list pods default"). */
  readonly calls: string[] = [];

  /** Store objects as they are (no defaulting); returns this for chaining. */
  seed(ref: ResourceRef, ...objects: KubeObject[]): this {
    for (const obj of objects) this.insert(ref, this.namespaceOf(ref, obj.metadata.namespace ?? ''), structuredClone(obj));
    return this;
  }

  /** Make the resource unknown to the server, as a kind whose API is not installed. */
  unserve(ref: ResourceRef): this {
    this.unserved.add(keyOf(ref));
    return this;
  }

  private served(ref: ResourceRef): void {
    if (this.unserved.has(keyOf(ref))) {
      const what = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
      throw ApiError.make(404, 'NotFound', `the server could not find the requested resource (${what})`);
    }
  }

  private namespaceOf(ref: ResourceRef, namespace: string): string {
    return CLUSTER_SCOPED.has(keyOf(ref)) ? '' : namespace;
  }

  private bucket(ref: ResourceRef): KubeObject[] {
    const key = keyOf(ref);
    let items = this.objects.get(key);
    if (!items) this.objects.set(key, (items = []));
    return items;
  }

  private qr(ref: ResourceRef): { group: string; resource: string } {
    return { group: ref.group, resource: ref.resource };
  }

  private find(ref: ResourceRef, namespace: string, name: string): number {
    const ns = this.namespaceOf(ref, namespace);
    return this.bucket(ref).findIndex((o) => o.metadata.name === name && (o.metadata.namespace ?? '') === ns);
  }

  private insert(ref: ResourceRef, namespace: string, obj: KubeObject): KubeObject {
    if (namespace) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    obj.metadata.resourceVersion = String(++this.revision);
    obj.kind ??= KINDS[ref.resource];
    obj.apiVersion ??= ref.group ? `${ref.group}/${ref.version ?? 'v1'}` : 'v1';
    this.bucket(ref).push(obj);
    this.emit(ref, 'ADDED', obj);
    return obj;
  }

  private emit(ref: ResourceRef, type: ClientWatchEvent['type'], obj: KubeObject): void {
    for (const w of this.watchers) {
      if (w.key === keyOf(ref) && (!w.namespace || w.namespace === (obj.metadata.namespace ?? ''))) {
        w.onEvent({ type, object: structuredClone(obj) });
      }
    }
  }

  async get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    this.calls.push(`get ${ref.resource} ${namespace} ${name}`);
    this.served(ref);
    const i = this.find(ref, namespace, name);
    if (i < 0) throw ApiError.notFound(this.qr(ref), name);
    return structuredClone(this.bucket(ref)[i]);
  }

  async list(ref: ResourceRef, namespace: string, query?: ListQuery): Promise<KubeList> {
    this.calls.push(`list ${ref.resource} ${namespace}`);
    this.served(ref);
    if (query?.labelSelector || query?.fieldSelector) throw ApiError.badRequest('TestApiClient does not support selectors');
    const ns = this.namespaceOf(ref, namespace);
    const items = this.bucket(ref).filter((o) => !ns || o.metadata.namespace === ns);
    const kind = KINDS[ref.resource] ?? 'Object';
    return {
      apiVersion: ref.group ? `${ref.group}/${ref.version ?? 'v1'}` : 'v1',
      kind: `${kind}List`,
      metadata: { resourceVersion: String(this.revision) },
      items: structuredClone(items),
    };
  }

  async create(ref: ResourceRef, namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    if (!name) throw ApiError.invalid(KINDS[ref.resource] ?? ref.resource, ref.group, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    if (this.find(ref, namespace, name) >= 0) throw ApiError.alreadyExists(this.qr(ref), name);
    const copy = structuredClone(obj);
    if (options?.dryRun) return copy;
    return structuredClone(this.insert(ref, this.namespaceOf(ref, namespace), copy));
  }

  async update(ref: ResourceRef, namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    const i = this.find(ref, namespace, name);
    if (i < 0) throw ApiError.notFound(this.qr(ref), name);
    const current = this.bucket(ref)[i];
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw ApiError.conflict(this.qr(ref), name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const next = structuredClone(obj);
    next.metadata = { ...next.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, namespace: current.metadata.namespace };
    if (options?.dryRun) return next;
    next.metadata.resourceVersion = String(++this.revision);
    this.bucket(ref)[i] = next;
    this.emit(ref, 'MODIFIED', next);
    return structuredClone(next);
  }

  async patch(ref: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, options?: WriteOptions): Promise<KubeObject> {
    if (type !== 'merge') throw ApiError.badRequest(`TestApiClient only supports merge patches, not ${type}`);
    const current = await this.get(ref, namespace, name);
    const merged = mergePatch(current, patch) as KubeObject;
    delete merged.metadata.resourceVersion;
    return this.update(ref, namespace, merged, options);
  }

  async delete(ref: ResourceRef, namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject> {
    const i = this.find(ref, namespace, name);
    if (i < 0) throw ApiError.notFound(this.qr(ref), name);
    const [removed] = options?.dryRun ? [this.bucket(ref)[i]] : this.bucket(ref).splice(i, 1);
    if (!options?.dryRun) this.emit(ref, 'DELETED', removed);
    return structuredClone(removed);
  }

  watch(ref: ResourceRef, namespace: string, _query: WatchQuery, onEvent: (event: ClientWatchEvent) => void): ClientWatch {
    const watcher: Watcher = { key: keyOf(ref), namespace: this.namespaceOf(ref, namespace), onEvent };
    this.watchers.add(watcher);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    return {
      ready: Promise.resolve(),
      done,
      dispose: () => {
        this.watchers.delete(watcher);
        finish();
      },
    };
  }
}
