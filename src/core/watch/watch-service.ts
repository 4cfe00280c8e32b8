// One informer per cluster and resource type, shared by every subscriber (every window, the
// overview and the tables alike), for any type the cluster's discovery lists: core kinds and CRDs.
// A new subscriber gets the cache at once; an informer nobody uses lingers a while (switching views
// back and forth costs nothing) and then stops.
import type { KubeConfig } from '@kubernetes/client-node';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import { collectionPath, DiscoveryCache } from './discovery.js';
import { Informer, type InformerOptions } from './informer.js';
import { Subscriber, type WatchBatch } from './subscriber.js';
import { SettledCollection, type SettledCollectionOptions } from './settled-collection.js';

export type { WatchBatch } from './subscriber.js';

export interface WatchServiceOptions {
  batchMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long an informer without subscribers keeps watching before it stops. */
  lingerMs?: number;
  firstPage?: number;
  page?: number;
  /** Lists with a streaming watch-list where the server offers it (default true), else in pages. */
  watchList?: boolean;
  /**
   * Batches carry objects known only by their JSON text (raw-json.ts), for listeners that send
   * them with stringifyWithJsonTexts (web mode's WebSocket): the backend parses nothing to send.
   */
  jsonTextOnly?: boolean;
  onError?: (message: string) => void;
  /**
   * A memory-reducing collection once many object changes have settled (settled-collection.ts):
   * for a process whose memory is mostly its informers (the web backend, Electron's main process).
   */
  collectWhenSettled?: boolean | SettledCollectionOptions;
}

interface Entry {
  informer: Informer;
  stopTimer?: ReturnType<typeof setTimeout>;
}

export class WatchService implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly batchMs: number;
  private readonly lingerMs: number;
  private readonly jsonTextOnly: boolean;
  private readonly informerOptions: InformerOptions;
  readonly discovery: DiscoveryCache;
  readonly settled: SettledCollection | undefined;

  constructor(
    private readonly configFor: (clusterId: string) => KubeConfig | undefined,
    options: WatchServiceOptions = {},
  ) {
    this.batchMs = options.batchMs ?? 100;
    this.lingerMs = options.lingerMs ?? 60_000;
    this.jsonTextOnly = options.jsonTextOnly ?? false;
    this.informerOptions = {
      minBackoffMs: options.minBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      firstPage: options.firstPage ?? 500,
      page: options.page ?? 5000,
      watchList: options.watchList ?? true,
      onError: options.onError,
    };
    if (options.collectWhenSettled) {
      const settled = new SettledCollection(options.collectWhenSettled === true ? {} : options.collectWhenSettled);
      this.settled = settled;
      this.informerOptions.onObjects = (count) => settled.note(count);
    }
    this.discovery = new DiscoveryCache(configFor);
  }

  /** `kind` is a ResourceType id (`pods`, `deployments.apps`, `widgets.example.com`) or a bare plural. */
  subscribe(clusterId: string, kind: string, listener: (batch: WatchBatch) => void): Disposable {
    const config = this.configFor(clusterId);
    if (!config) throw new Error(`unknown or not yet started cluster "${clusterId}": pick one from the cluster list`);
    const key = `${clusterId}\u0000${kind}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const informer = this.createInformer(config, clusterId, kind);
      entry = { informer };
      this.entries.set(key, entry);
      informer.start();
    }
    if (entry.stopTimer) {
      clearTimeout(entry.stopTimer);
      entry.stopTimer = undefined;
    }
    const owner = entry;
    // The subscriber reads whichever informer serves the entry now (dropCluster replaces it).
    const subscriber = new Subscriber({ get cache() { return owner.informer.cache; }, get listing() { return owner.informer.listing; } }, listener, this.batchMs, this.jsonTextOnly);
    const informer = owner.informer;
    informer.subscribers.add(subscriber);
    if (informer.synced || informer.listing) subscriber.markReset(true);
    if (informer.error) subscriber.setError(informer.error, informer.forbidden);
    return toDisposable(() => {
      subscriber.dispose();
      owner.informer.subscribers.delete(subscriber);
      if (owner.informer.subscribers.size > 0 || this.entries.get(key) !== owner) return;
      const stop = () => {
        owner.informer.stop();
        this.entries.delete(key);
      };
      if (this.lingerMs <= 0) stop();
      else owner.stopTimer = setTimeout(stop, this.lingerMs);
    });
  }

  /**
   * The cluster's kubeconfig changed or its sandbox restarted: every watch of it starts again with
   * the new configuration, and its subscribers stay subscribed (they get a fresh list). Unused
   * informers just stop.
   */
  dropCluster(clusterId: string): void {
    this.discovery.drop(clusterId);
    const config = this.configFor(clusterId);
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(`${clusterId}\u0000`)) continue;
      if (entry.stopTimer) clearTimeout(entry.stopTimer);
      entry.informer.stop();
      if (!config || entry.informer.subscribers.size === 0) {
        this.entries.delete(key);
        continue;
      }
      const kind = key.slice(clusterId.length + 1);
      const next = this.createInformer(config, clusterId, kind);
      for (const s of entry.informer.subscribers) next.subscribers.add(s);
      entry.informer = next;
      next.start();
    }
  }

  private createInformer(config: KubeConfig, clusterId: string, kind: string): Informer {
    return new Informer(config, async () => {
      const type = await this.discovery.resolve(clusterId, kind);
      if (!type) throw new Error(`the cluster serves no resource type "${kind}" (is its CRD installed?)`);
      if (!type.verbs.includes('list') || !type.verbs.includes('watch')) throw new Error(`"${kind}" cannot be listed and watched (its verbs: ${type.verbs.join(', ') || 'none'})`);
      const namespace = config.getContextObject(config.getCurrentContext())?.namespace;
      return { path: collectionPath(type), ...(type.namespaced && namespace ? { namespacedPath: collectionPath(type, namespace) } : {}) };
    }, this.informerOptions);
  }

  /** Informers running, lingering ones included. */
  get activeWatches(): number {
    return this.entries.size;
  }

  /** One line per live informer: what it holds and how often it had to relist after 410 Gone. */
  stats(): { clusterId: string; kind: string; objects: number; subscribers: number; relists: number; listedBy?: 'stream' | 'pages'; error?: string }[] {
    return [...this.entries].map(([key, { informer }]) => {
      const [clusterId, kind] = key.split('\u0000');
      return { clusterId, kind, objects: informer.cache.size, subscribers: informer.subscribers.size, relists: informer.relists, listedBy: informer.listedBy, error: informer.error };
    });
  }

  dispose(): void {
    this.settled?.dispose();
    for (const entry of this.entries.values()) {
      if (entry.stopTimer) clearTimeout(entry.stopTimer);
      entry.informer.stop();
    }
    this.entries.clear();
  }
}
