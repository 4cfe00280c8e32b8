// The UI's state in MobX: clusters and their states, the chosen cluster, kind and namespace, and a
// live collection per watched kind fed by the core's batched deltas.
import { makeAutoObservable, observable, runInAction } from 'mobx';
import type { Disposable } from '../shared/disposable.js';
import type { KubeObject } from '../shared/kube.js';
import type { ClusterInfo, WatchableKind, WatchDelta } from '../shared/rpc/contract.js';
import type { RpcClient } from '../shared/rpc/rpc-client.js';
import { RegistryStore } from './registry/registry-store.js';

export const ALL_NAMESPACES = '';

/** One watched kind of one cluster: objects by uid, shallow so MobX does not deep-wrap big objects. */
export class Collection {
  readonly objects = observable.map<string, KubeObject>({}, { deep: false });
  loaded = false;
  error: string | undefined = undefined;

  constructor(readonly kind: WatchableKind) {
    makeAutoObservable(this, { kind: false, objects: false });
  }

  apply(delta: WatchDelta): void {
    if (delta.reset) {
      this.objects.clear();
      for (const o of delta.reset) if (o.metadata.uid) this.objects.set(o.metadata.uid, o);
      this.loaded = true;
    }
    for (const o of delta.upserts) if (o.metadata.uid) this.objects.set(o.metadata.uid, o);
    for (const uid of delta.deletes) this.objects.delete(uid);
    if ('error' in delta) this.error = delta.error;
  }
}

export class AppStore {
  clusters: ClusterInfo[] = [];
  clusterId: string | undefined = undefined;
  kind: WatchableKind = 'pods';
  namespace = ALL_NAMESPACES;
  selectedUid: string | undefined = undefined;
  connectionLost: string | undefined = undefined;
  now = Date.now();
  /** The resource tables or the etcd registry browser (sandbox only). */
  view: 'resources' | 'registry' = 'resources';
  readonly registry: RegistryStore;
  readonly collections = observable.map<WatchableKind, Collection>({}, { deep: false });
  private readonly subscriptions = new Map<string, Collection>();
  private active: { id: string; dispose: Disposable }[] = [];

  constructor(private readonly rpc: RpcClient) {
    this.registry = new RegistryStore(rpc);
    makeAutoObservable<AppStore, 'rpc' | 'subscriptions' | 'active'>(this, { rpc: false, subscriptions: false, active: false, collections: false, registry: false });
    rpc.on('clusters.changed', (list) => this.setClusters(list));
    rpc.on('watch.delta', (delta) => this.subscriptions.get(delta.subscriptionId)?.apply(delta));
    // Ages tick without any event from the cluster.
    setInterval(() => runInAction(() => (this.now = Date.now())), 1000);
  }

  async start(): Promise<void> {
    const list = await this.rpc.call('clusters.list', {});
    this.setClusters(list);
  }

  setClusters(list: ClusterInfo[]): void {
    this.clusters = list;
    if (!this.clusterId && list.length > 0) void this.selectCluster((list.find((c) => c.source === 'sandbox') ?? list[0]).id);
    else if (this.cluster?.state === 'connected' && this.active.length === 0) void this.watchCurrent();
  }

  get cluster(): ClusterInfo | undefined {
    return this.clusters.find((c) => c.id === this.clusterId);
  }

  async selectCluster(id: string): Promise<void> {
    // Clicking the current cluster again retries it when it is not connected.
    if (id === this.clusterId && this.cluster?.state === 'connected') return;
    this.stopWatches();
    this.clusterId = id;
    this.namespace = this.clusters.find((c) => c.id === id)?.namespace ?? ALL_NAMESPACES;
    this.selectedUid = undefined;
    const info = await this.rpc.call('clusters.connect', { clusterId: id }).catch(() => undefined);
    if (info) runInAction(() => (this.clusters = this.clusters.map((c) => (c.id === info.id ? info : c))));
    if (info?.state === 'connected' && this.clusterId === id && this.active.length === 0) await this.watchCurrent();
  }

  showRegistry(): void {
    this.view = 'registry';
  }

  /** From a registry key to the same object in the resource views. */
  openObject(kind: WatchableKind, namespace: string, uid: string): void {
    this.view = 'resources';
    this.kind = kind;
    this.namespace = namespace;
    this.selectedUid = uid;
  }

  setKind(kind: WatchableKind): void {
    this.view = 'resources';
    this.kind = kind;
    this.selectedUid = undefined;
  }
  setNamespace(namespace: string): void {
    this.namespace = namespace;
  }
  select(uid: string | undefined): void {
    this.selectedUid = uid;
  }
  lost(reason: string): void {
    this.connectionLost = reason;
  }

  collection(kind: WatchableKind): Collection | undefined {
    return this.collections.get(kind);
  }

  /** The current kind's objects in the chosen namespace, sorted by namespace then name. */
  get rows(): KubeObject[] {
    const c = this.collections.get(this.kind);
    if (!c) return [];
    const rows = [...c.objects.values()].filter((o) => !this.namespace || o.metadata.namespace === this.namespace);
    return rows.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  get namespaces(): string[] {
    const ns = this.collections.get('namespaces');
    const names = new Set<string>();
    for (const o of ns?.objects.values() ?? []) if (o.metadata.name) names.add(o.metadata.name);
    if (this.namespace) names.add(this.namespace);
    return [...names].sort();
  }

  get selected(): KubeObject | undefined {
    if (!this.selectedUid) return undefined;
    return this.collections.get(this.kind)?.objects.get(this.selectedUid);
  }

  private async watchCurrent(): Promise<void> {
    const clusterId = this.clusterId;
    if (!clusterId) return;
    this.active = [{ id: 'pending', dispose: { dispose: () => undefined } }];
    const kinds: WatchableKind[] = ['pods', 'deployments', 'namespaces'];
    const started: { id: string; dispose: Disposable }[] = [];
    for (const kind of kinds) {
      const collection = new Collection(kind);
      if (this.clusterId !== clusterId) break;
      runInAction(() => this.collections.set(kind, collection));
      try {
        const { subscriptionId } = await this.rpc.call('watch.subscribe', { clusterId, kind });
        this.subscriptions.set(subscriptionId, collection);
        started.push({ id: subscriptionId, dispose: { dispose: () => void this.rpc.call('watch.unsubscribe', { subscriptionId }).catch(() => undefined) } });
      } catch (error) {
        runInAction(() => (collection.error = error instanceof Error ? error.message : String(error)));
      }
    }
    if (this.clusterId !== clusterId) {
      for (const s of started) s.dispose.dispose();
      return;
    }
    this.active = started;
  }

  private stopWatches(): void {
    for (const s of this.active) {
      this.subscriptions.delete(s.id);
      s.dispose.dispose();
    }
    this.active = [];
    this.collections.clear();
  }
}
