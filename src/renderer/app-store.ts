// The UI's state in MobX: clusters and their states, the chosen cluster and view, the tables'
// filters and selection, and one live Collection per watched type, fed by the core's batched
// deltas. The store decides what is watched: the open table's type, namespaces (for the filter)
// and the overview's few types; a type nobody shows is released after a while.
import { makeAutoObservable, observable, reaction, runInAction } from 'mobx';
import type { KubeObject } from '../shared/kube.js';
import type { AccessAnswer, ClusterInfo, DeleteOutcome, DiscoveryResult, ObjectRef, PropagationPolicy } from '../shared/rpc/contract.js';
import type { RpcClient } from '../shared/rpc/rpc-client.js';
import { RegistryStore } from './registry/registry-store.js';
import { Collection } from './kinds/collection.js';
import { genericView } from './kinds/generic.js';
import { builtInView, KIND_VIEWS } from './kinds/index.js';
import { watchId, type KindView } from './kinds/kind-view.js';
import { parseSelector, type Selector } from './kinds/label-selector.js';
import type { TableQuery } from './kinds/table-model.js';
import { fallBackWhenGone, initialClusterId, placeFor, savedPlace, type SavedPlace } from './initial-place.js';

export const ALL_NAMESPACES = '';

function mark(name: string): void {
  if (typeof performance !== 'undefined' && performance.getEntriesByName(`kubedesk:${name}`).length === 0) performance.mark(`kubedesk:${name}`);
}
/** API groups of Kubernetes itself that do not end in k8s.io. */
const BUILT_IN_GROUPS = new Set(['apps', 'batch', 'autoscaling', 'policy', 'extensions']);
/** What the overview needs live. */
export const OVERVIEW_TYPES = ['nodes', 'pods', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'events'];
/** A type no view shows any more is unwatched after this long (coming back sooner is instant). */
const RELEASE_AFTER_MS = 30_000;

interface Watched {
  collection: Collection;
  subscriptionId?: string;
  releaseTimer?: ReturnType<typeof setTimeout>;
}

export class AppStore {
  clusters: ClusterInfo[] = [];
  clusterId: string | undefined = undefined;
  /** The open table: a KindView name (`pods`, `widgets.example.com`). */
  kind = 'pods';
  /** Chosen namespaces; empty means all. */
  namespaces: string[] = [];
  textFilter = '';
  labelFilter = '';
  /** The events view shows warnings only. */
  warningsOnly = false;
  /** Per view: the column sorted on (-1: namespace then name) and the direction. */
  readonly sorts = observable.map<string, { column: number; desc: boolean }>();
  selectedUid: string | undefined = undefined;
  /** Rows ticked for bulk actions, by uid. */
  readonly checked = observable.set<string>();
  connectionLost: string | undefined = undefined;
  now = Date.now();
  view: 'overview' | 'resources' | 'registry' = 'resources';
  discovery: DiscoveryResult | undefined = undefined;
  /** What the account may list, per type id (SelfSubjectAccessReviews after discovery). */
  access: Record<string, AccessAnswer> = {};
  readonly registry: RegistryStore;
  /** Where the user left (from the settings), until the first cluster is selected; undefined before start() read it. */
  private saved: SavedPlace | undefined = undefined;
  private readonly watched = new Map<string, Watched>();
  private readonly bySubscription = new Map<string, Collection>();

  constructor(private readonly rpc: RpcClient) {
    this.registry = new RegistryStore(rpc);
    makeAutoObservable<AppStore, 'rpc' | 'watched' | 'bySubscription' | 'saved'>(this, { rpc: false, watched: false, bySubscription: false, saved: false, registry: false, sorts: false, checked: false });
    rpc.on('clusters.changed', (list) => this.setClusters(list));
    rpc.on('watch.delta', (delta) => {
      const collection = this.bySubscription.get(delta.subscriptionId);
      if (!collection) return;
      // Marks the bench (bench/ui-bench.ts) reads to say where the time to the first rows goes.
      if (delta.reset) mark(`first-batch:${collection.id}`);
      collection.apply(delta);
      if (collection.loaded) mark(`loaded:${collection.id}`);
      if ((globalThis as { KUBEDESK_TRACE?: boolean }).KUBEDESK_TRACE) performance.mark(`kubedesk:batch:${collection.id}:${delta.reset?.length ?? 0}+${delta.upserts.length}:${delta.listing}`);
    });
    // Ages tick without any event from the cluster.
    setInterval(() => runInAction(() => (this.now = Date.now())), 1000);
    // What is watched follows what is shown.
    reaction(
      () => (this.cluster?.state === 'connected' ? [this.clusterId, ...this.wantedTypes].join('\u0000') : ''),
      () => this.syncWatches(),
      { fireImmediately: true },
    );
    // A CRD created or removed changes the sidebar: ask discovery again.
    reaction(
      () => this.collection('customresourcedefinitions.apiextensions.k8s.io')?.revision,
      () => void this.discover(true),
      { delay: 500 },
    );
  }

  async start(): Promise<void> {
    mark('start');
    const [list, settings] = await Promise.all([this.rpc.call('clusters.list', {}), this.rpc.call('settings.get', {}).catch(() => undefined)]);
    mark('clusters-listed');
    this.saved = savedPlace(settings);
    this.setClusters(list);
  }

  setClusters(list: ClusterInfo[]): void {
    this.clusters = list;
    // Nothing is chosen before start() has read where the user left.
    const first = !this.clusterId && this.saved ? initialClusterId(list, this.saved) : undefined;
    if (first) void this.selectCluster(first);
    else if (this.cluster?.state === 'connected' && !this.discovery) void this.discover(false);
  }

  get cluster(): ClusterInfo | undefined {
    return this.clusters.find((c) => c.id === this.clusterId);
  }

  async selectCluster(id: string): Promise<void> {
    // Clicking the current cluster again retries it when it is not connected.
    if (id === this.clusterId && this.cluster?.state === 'connected') return;
    this.dropWatches();
    this.clusterId = id;
    const ns = this.clusters.find((c) => c.id === id)?.namespace;
    this.namespaces = ns ? [ns] : [];
    // The first cluster selected may be the one the user left: back to its kind and namespace.
    const place = this.saved ? placeFor(id, this.saved) : {};
    this.saved = {};
    if (place.kind) this.kind = place.kind;
    if (place.namespaces) this.namespaces = place.namespaces;
    if (place.view) this.view = place.view;
    this.selectedUid = undefined;
    this.checked.clear();
    this.discovery = undefined;
    this.access = {};
    const info = await this.rpc.call('clusters.connect', { clusterId: id }).catch(() => undefined);
    if (info) runInAction(() => (this.clusters = this.clusters.map((c) => (c.id === info.id ? info : c))));
    if (info?.state === 'connected') mark('cluster-connected');
    if (info?.state === 'connected' && this.clusterId === id) await this.discover(false);
    if (place.kind || place.namespaces?.length) fallBackWhenGone(this, id);
  }

  /** Asks the core what the cluster serves; the sidebar and generic views follow. */
  async discover(refresh: boolean): Promise<void> {
    const clusterId = this.clusterId;
    if (!clusterId || this.cluster?.state !== 'connected') return;
    const result = await this.rpc.call('resources.discover', { clusterId, refresh }).catch(() => undefined);
    if (result && this.clusterId === clusterId) runInAction(() => (this.discovery = result));
    if (!result || this.clusterId !== clusterId) return;
    const access = await this.rpc.call('resources.access', { clusterId, types: this.views.map((v) => watchId(v)) }).catch(() => undefined);
    if (access && this.clusterId === clusterId) runInAction(() => (this.access = access));
  }

  /** Every table the sidebar offers: built-in kinds the cluster serves, then every other type. */
  get views(): KindView[] {
    const types = this.discovery?.types;
    if (!types) return KIND_VIEWS;
    const served = new Set(types.map((t) => t.id));
    const builtIns = KIND_VIEWS.filter((v) => served.has(watchId(v)));
    const taken = new Set(builtIns.map((v) => watchId(v)));
    // Custom types: CRDs, and types of groups Kubernetes does not define (an account that may not
    // read CRDs still sees them), when they can be listed and watched.
    const custom = (t: { group: string; crd?: unknown }) => Boolean(t.crd) || !(t.group === '' || t.group.endsWith('k8s.io') || BUILT_IN_GROUPS.has(t.group));
    const others = types.filter((t) => !taken.has(t.id) && custom(t) && t.verbs.includes('list') && t.verbs.includes('watch')).map(genericView);
    return [...builtIns, ...others.sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name))];
  }

  get currentView(): KindView {
    return this.views.find((v) => v.name === this.kind) ?? builtInView(this.kind) ?? KIND_VIEWS[0];
  }

  showRegistry(): void {
    this.view = 'registry';
  }
  showOverview(): void {
    this.view = 'overview';
  }

  /** Opens an object's table and selects it (from the registry, the overview, a palette). */
  openObject(kind: string, namespace: string, uid: string): void {
    this.setKind(kind);
    if (namespace && this.namespaces.length > 0 && !this.namespaces.includes(namespace)) this.namespaces = [...this.namespaces, namespace];
    this.selectedUid = uid;
  }

  setKind(kind: string): void {
    this.view = 'resources';
    if (kind === this.kind) return;
    this.kind = kind;
    this.selectedUid = undefined;
    this.textFilter = '';
    this.checked.clear();
  }
  setNamespaces(namespaces: string[]): void {
    this.namespaces = namespaces;
  }
  toggleNamespace(ns: string): void {
    this.namespaces = this.namespaces.includes(ns) ? this.namespaces.filter((n) => n !== ns) : [...this.namespaces, ns].sort();
  }
  /** The one namespace chosen, for what takes one (a terminal's default); '' when several or all. */
  get namespace(): string {
    return this.namespaces.length === 1 ? this.namespaces[0] : ALL_NAMESPACES;
  }
  setTextFilter(text: string): void {
    this.textFilter = text;
  }
  setWarningsOnly(on: boolean): void {
    this.warningsOnly = on;
  }
  setLabelFilter(text: string): void {
    this.labelFilter = text;
  }
  sortBy(column: number): void {
    const current = this.sortOf(this.currentView);
    this.sorts.set(this.kind, { column, desc: current?.column === column ? !current.desc : false });
  }
  select(uid: string | undefined): void {
    this.selectedUid = uid;
  }
  lost(reason: string): void {
    this.connectionLost = reason;
  }

  get labelSelector(): { selector: Selector; error?: string } {
    try {
      return { selector: parseSelector(this.labelFilter) };
    } catch (error) {
      return { selector: [], error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The current table's filters and order, as the table model takes them. */
  /** The column a view is sorted on and the direction. */
  sortOf(view: KindView): { column: number; desc: boolean } {
    return this.sorts.get(view.name) ?? { column: view.defaultSort ?? -1, desc: false };
  }

  get query(): TableQuery {
    const sort = this.sortOf(this.currentView);
    return { namespaces: this.namespaces, text: this.textFilter.trim().toLowerCase(), selector: this.labelSelector.selector, column: sort.column, desc: sort.desc, warningsOnly: this.kind === 'events' && this.warningsOnly };
  }

  /** The live collection of a watched type, if watched. */
  collection(id: string): Collection | undefined {
    void this.watchRevision;
    return this.watched.get(id)?.collection;
  }

  get currentCollection(): Collection | undefined {
    return this.collection(watchId(this.currentView));
  }

  get namespaceNames(): string[] {
    const ns = this.collection('namespaces');
    void ns?.revision;
    const names = new Set<string>(this.namespaces);
    for (const o of ns?.objects.values() ?? []) if (o.metadata.name) names.add(o.metadata.name);
    return [...names].sort();
  }

  /** The object open in the details panel. */
  get selected(): KubeObject | undefined {
    if (!this.selectedUid) return undefined;
    const c = this.currentCollection;
    void c?.revision;
    return c?.objects.get(this.selectedUid);
  }

  /** The ticked rows' objects, for bulk actions. */
  get checkedObjects(): KubeObject[] {
    const c = this.currentCollection;
    void c?.revision;
    const out: KubeObject[] = [];
    for (const uid of this.checked) {
      const o = c?.objects.get(uid);
      if (o) out.push(o);
    }
    return out;
  }

  toggleChecked(uid: string): void {
    if (this.checked.has(uid)) this.checked.delete(uid);
    else this.checked.add(uid);
  }
  setChecked(uids: string[]): void {
    this.checked.replace(uids);
  }

  async deleteMany(objects: KubeObject[], propagationPolicy: PropagationPolicy): Promise<DeleteOutcome[]> {
    const clusterId = this.clusterId;
    if (!clusterId) return [];
    const type = watchId(this.currentView);
    const refs: ObjectRef[] = objects.map((o) => ({ type, name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }));
    const { outcomes } = await this.rpc.call('resources.deleteMany', { clusterId, objects: refs, propagationPolicy });
    runInAction(() => {
      const done = new Set(outcomes.filter((o) => o.ok).map((o) => `${o.namespace ?? ''}/${o.name}`));
      for (const o of objects) if (done.has(`${o.metadata.namespace ?? ''}/${o.metadata.name}`) && o.metadata.uid) this.checked.delete(o.metadata.uid);
    });
    return outcomes;
  }

  /** One-off list of a type (metrics.k8s.io cannot be watched). */
  list(type: string): Promise<KubeObject[]> {
    const clusterId = this.clusterId;
    if (!clusterId) return Promise.resolve([]);
    return this.rpc.call('resources.list', { clusterId, type }).then((r) => r.items);
  }

  private get wantedTypes(): string[] {
    const wanted = new Set<string>(['namespaces', 'customresourcedefinitions.apiextensions.k8s.io']);
    if (this.view === 'overview') for (const t of OVERVIEW_TYPES) wanted.add(t);
    if (this.view === 'resources') wanted.add(watchId(this.currentView));
    return [...wanted].sort();
  }

  private syncWatches(): void {
    const clusterId = this.clusterId;
    if (!clusterId || this.cluster?.state !== 'connected') return;
    const wanted = new Set(this.wantedTypes);
    for (const id of wanted) {
      const w = this.watched.get(id);
      if (w) {
        if (w.releaseTimer) clearTimeout(w.releaseTimer);
        w.releaseTimer = undefined;
        continue;
      }
      const entry: Watched = { collection: new Collection(id) };
      mark(`subscribe:${id}`);
      this.watched.set(id, entry);
      this.rpc.call('watch.subscribe', { clusterId, kind: id }).then(
        ({ subscriptionId }) => {
          if (this.watched.get(id) !== entry) return void this.rpc.call('watch.unsubscribe', { subscriptionId }).catch(() => undefined);
          entry.subscriptionId = subscriptionId;
          this.bySubscription.set(subscriptionId, entry.collection);
        },
        (error: unknown) => entry.collection.fail(error instanceof Error ? error.message : String(error)),
      );
    }
    for (const [id, w] of this.watched) {
      if (wanted.has(id) || w.releaseTimer) continue;
      w.releaseTimer = setTimeout(() => this.unwatch(id), RELEASE_AFTER_MS);
    }
    // The sidebar badges and views read `watched` through collection(): tell MobX it changed.
    runInAction(() => (this.watchRevision += 1));
  }

  /** Bumped when the set of watched types changes (the map itself is not observable). */
  watchRevision = 0;

  private unwatch(id: string): void {
    const w = this.watched.get(id);
    if (!w) return;
    this.watched.delete(id);
    if (w.releaseTimer) clearTimeout(w.releaseTimer);
    if (w.subscriptionId) {
      this.bySubscription.delete(w.subscriptionId);
      void this.rpc.call('watch.unsubscribe', { subscriptionId: w.subscriptionId }).catch(() => undefined);
    }
    runInAction(() => (this.watchRevision += 1));
  }

  private dropWatches(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }
}
