// The registry browser's state: one session on the sandbox's etcd, the expanded prefixes and their
// listings, the selected key's value and history, the revision shown (live or a past one), and the
// live pane of watch events, which also refreshes what is on screen while live.
import { makeAutoObservable, observable, runInAction } from 'mobx';
import type { RegistryChild, RegistryHistory, RegistryListing, RegistrySessionInfo, RegistryTarget, RegistryValue, RegistryWatchEvent } from '../../shared/rpc/registry-contract.js';
import type { RpcClient } from '../../shared/rpc/rpc-client.js';
import type { ValueFormat } from './render-value.js';

export const ROOT_PREFIX = '/registry/';
const MAX_EVENTS = 200;

export interface TreeRow {
  child: RegistryChild;
  depth: number;
  expanded: boolean;
}

export interface LiveEvent {
  id: number;
  revision: number;
  type: 'put' | 'delete';
  key: string;
  version: number;
}

export class RegistryStore {
  session: RegistrySessionInfo | undefined = undefined;
  error: string | undefined = undefined;
  readonly listings = observable.map<string, RegistryListing>({}, { deep: false });
  readonly expanded = observable.set<string>();
  selectedKey: string | undefined = undefined;
  value: RegistryValue | null | undefined = undefined;
  history: RegistryHistory | undefined = undefined;
  /** Undefined: live. Otherwise the past revision everything is shown at. */
  revision: number | undefined = undefined;
  /** The newest revision seen, the slider's end. */
  headRevision = 0;
  format: ValueFormat = 'yaml';
  events: LiveEvent[] = [];
  watchCommand = '';
  searchQuery = '';
  searchResults: { keys: string[]; command: string } | undefined = undefined;
  diffFrom: number | undefined = undefined;
  diffTo: number | undefined = undefined;
  writeStatus: string | undefined = undefined;
  private watchId: string | undefined = undefined;
  private nextEventId = 1;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private opening: Promise<void> | undefined = undefined;

  constructor(private readonly rpc: RpcClient) {
    makeAutoObservable<RegistryStore, 'rpc' | 'watchId' | 'nextEventId' | 'refreshTimer' | 'opening'>(this, {
      rpc: false, watchId: false, nextEventId: false, refreshTimer: false, opening: false, listings: false, expanded: false,
    });
    rpc.on('registry.event', (e) => this.onEvent(e));
  }

  /** Opens the sandbox's etcd once; later calls wait for the same opening. */
  open(): Promise<void> {
    this.opening ??= this.doOpen({ kind: 'sandbox' });
    return this.opening;
  }

  /** Leaves the current etcd for another one (a real cluster's, with its TLS files). */
  connect(target: RegistryTarget): Promise<void> {
    this.dispose();
    this.session = undefined;
    this.watchId = undefined;
    this.listings.clear();
    this.expanded.clear();
    this.selectedKey = undefined;
    this.value = undefined;
    this.history = undefined;
    this.revision = undefined;
    this.events = [];
    this.searchResults = undefined;
    this.opening = this.doOpen(target);
    return this.opening;
  }

  private async doOpen(target: RegistryTarget): Promise<void> {
    try {
      const session = await this.rpc.call('registry.open', { target });
      runInAction(() => {
        this.session = session;
        this.headRevision = session.revision;
        this.error = undefined;
      });
      const watch = await this.rpc.call('registry.watch', { sessionId: session.sessionId, prefix: ROOT_PREFIX });
      this.watchId = watch.watchId;
      runInAction(() => (this.watchCommand = watch.command));
      await this.toggle(ROOT_PREFIX);
    } catch (error) {
      this.opening = undefined;
      runInAction(() => (this.error = error instanceof Error ? error.message : String(error)));
    }
  }

  get compactRevision(): number {
    return this.session?.compactRevision ?? 0;
  }

  /** The tree as rows, depth first, expanded prefixes opened. */
  get rows(): TreeRow[] {
    const rows: TreeRow[] = [];
    const walk = (prefix: string, depth: number): void => {
      for (const child of this.listings.get(prefix)?.children ?? []) {
        const expanded = !child.leaf && this.expanded.has(child.key);
        rows.push({ child, depth, expanded });
        if (expanded) walk(child.key, depth + 1);
      }
    };
    walk(ROOT_PREFIX, 0);
    return rows;
  }

  async toggle(prefix: string): Promise<void> {
    if (this.expanded.has(prefix) && prefix !== ROOT_PREFIX) {
      this.expanded.delete(prefix);
      return;
    }
    this.expanded.add(prefix);
    await this.load(prefix);
  }

  private async load(prefix: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const listing = await this.rpc.call('registry.list', { sessionId: session.sessionId, prefix, revision: this.revision });
      runInAction(() => {
        this.listings.set(prefix, listing);
        if (this.revision === undefined) this.headRevision = Math.max(this.headRevision, listing.revision);
      });
    } catch (error) {
      runInAction(() => (this.error = error instanceof Error ? error.message : String(error)));
    }
  }

  async select(key: string): Promise<void> {
    this.selectedKey = key;
    this.diffFrom = undefined;
    this.diffTo = undefined;
    this.writeStatus = undefined;
    await this.loadSelected();
  }

  private async loadSelected(): Promise<void> {
    const session = this.session;
    const key = this.selectedKey;
    if (!session || !key) return;
    const [value, history] = await Promise.all([
      this.rpc.call('registry.get', { sessionId: session.sessionId, key, revision: this.revision }),
      this.rpc.call('registry.history', { sessionId: session.sessionId, key }),
    ]);
    runInAction(() => {
      if (this.selectedKey !== key) return;
      this.value = value;
      this.history = history;
    });
  }

  setFormat(format: ValueFormat): void {
    this.format = format;
  }

  setDiff(from: number | undefined, to: number | undefined): void {
    this.diffFrom = from;
    this.diffTo = to;
  }

  /** Shows the registry as it was at `revision` (undefined or the head: live again). */
  async travel(revision: number | undefined): Promise<void> {
    this.revision = revision === undefined || revision >= this.headRevision ? undefined : revision;
    await Promise.all([...this.expanded].map((p) => this.load(p)));
    await this.loadSelected();
  }

  setSearch(query: string): void {
    this.searchQuery = query;
  }

  async search(): Promise<void> {
    const session = this.session;
    if (!session || !this.searchQuery.trim()) return void (this.searchResults = undefined);
    const results = await this.rpc.call('registry.search', { sessionId: session.sessionId, query: this.searchQuery.trim(), revision: this.revision });
    runInAction(() => (this.searchResults = results));
  }

  /** Compare-and-set on the mod revision the user saw; the caller asked for confirmation. */
  async write(text: string): Promise<void> {
    const session = this.session;
    const current = this.value;
    if (!session || !current) return;
    const result = await this.rpc.call('registry.put', { sessionId: session.sessionId, key: current.key, value: text, expectedModRevision: current.modRevision });
    runInAction(() => (this.writeStatus = result.ok ? `ok:${result.modRevision}` : `conflict:${result.modRevision}`));
    await this.loadSelected();
  }

  private onEvent(event: RegistryWatchEvent): void {
    if (event.watchId !== this.watchId) return;
    if (event.error) {
      this.error = event.error;
      return;
    }
    this.headRevision = Math.max(this.headRevision, event.revision);
    const added = event.events.map((e) => ({ id: this.nextEventId++, revision: e.modRevision, type: e.type, key: e.key, version: e.version }));
    this.events = [...added.reverse(), ...this.events].slice(0, MAX_EVENTS);
    if (this.revision !== undefined) return;
    // Live: refresh what is on screen, at most a few times a second under a burst of writes.
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.revision !== undefined) return;
      void Promise.all([...this.expanded].map((p) => this.load(p)));
      void this.loadSelected();
    }, 250);
  }

  dispose(): void {
    if (this.watchId) void this.rpc.call('registry.unwatch', { watchId: this.watchId }).catch(() => undefined);
    if (this.session) void this.rpc.call('registry.close', { sessionId: this.session.sessionId }).catch(() => undefined);
  }
}
