// One prefix's watch cache (as kube-apiserver's cacher/watchCache): the current objects, kept up
// to date by a single underlying watch, a bounded history of recent changes, and the watchers it
// fans out to. Objects in the cache are deep-frozen and shared: watchers receive the cache's own
// object (one copy per object in the process, whatever the number of watchers); reads that hand
// out mutable objects (get, list) copy them.
import type { KubeObject } from '../../../shared/kube.js';
import { bookmarkObject, expiredStatus, revisionOf } from './object-codec.js';
import type { ObjectStorage, StorageWatch, StorageWatchEvent } from './storage.js';
import { translateChange, type KeyedStorageWatchEvent } from './storage-watch.js';
import { deepFreeze } from './frozen.js';

interface Change {
  revision: number;
  key: string;
  prev: KubeObject | undefined;
  cur: KubeObject | undefined;
  /** For a delete: the last state as the underlying storage sent it (resourceVersion = deleting revision). */
  deleted?: KubeObject;
}

export interface CacheWatcher {
  key: string;
  recursive: boolean;
  predicate?: (obj: KubeObject) => boolean;
  /** Deliver changes with a revision above this. */
  after: number;
  emit(event: StorageWatchEvent): void;
  /** The cache broke (its underlying watch failed): the watcher is dropped after this. */
  fail(event: StorageWatchEvent): void;
}

/** A frozen object as `obj` with another resourceVersion; only the top level and metadata are new. */
function atRevision(obj: KubeObject, revision: number): KubeObject {
  return deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } });
}

/** Default key of an object when the underlying storage does not say: `<prefix><namespace>/<name>`. */
export function defaultKeyOf(prefix: string, obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${prefix}${ns}/${obj.metadata.name ?? ''}` : `${prefix}${obj.metadata.name ?? ''}`;
}

export class WatchCache {
  readonly objects = new Map<string, KubeObject>();
  revision = 0;
  /** history covers every change with revision > historyStart. */
  historyStart = 0;
  /** Changes from index `head` on; older ones are dropped by moving `head`, not by shifting the array. */
  private history: Change[] = [];
  private head = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private readonly inner: StorageWatch;
  readonly synced: Promise<void>;
  private markSynced: () => void = () => undefined;
  failed = false;

  constructor(
    readonly prefix: string,
    storage: ObjectStorage,
    private readonly capacity: number,
    private readonly onBroken: (cache: WatchCache) => void,
  ) {
    let rejectSync: (e: unknown) => void = () => undefined;
    this.synced = new Promise<void>((resolve, reject) => {
      this.markSynced = resolve;
      rejectSync = reject;
    });
    this.synced.catch(() => undefined);
    this.inner = storage.watch({ key: prefix, recursive: true, sendInitialEvents: true, bookmarkIntervalMs: 1000, frozen: true }, (e) => this.handle(e));
    this.inner.ready.catch((error: unknown) => {
      rejectSync(error);
      this.break(expiredStatus(`watch cache for ${prefix} could not start: ${String(error)}`));
    });
  }

  private handle(event: KeyedStorageWatchEvent): void {
    if (this.failed) return;
    if (event.type === 'ERROR') {
      this.break(event.object);
      return;
    }
    const revision = revisionOf(event.object);
    if (event.type === 'BOOKMARK') {
      this.revision = Math.max(this.revision, revision);
      if (event.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true') {
        this.historyStart = this.revision;
        this.markSynced();
      }
      return;
    }
    // Decoded for this cache alone: freezing it makes it shareable with every watcher.
    deepFreeze(event.object);
    const key = event.key ?? defaultKeyOf(this.prefix, event.object);
    const prev = this.objects.get(key);
    const change: Change = { revision, key, prev, cur: undefined };
    if (event.type === 'DELETED') {
      this.objects.delete(key);
      change.deleted = event.object;
    } else {
      this.objects.set(key, event.object);
      change.cur = event.object;
    }
    this.revision = Math.max(this.revision, revision);
    this.history.push(change);
    if (this.history.length - this.head > this.capacity) {
      // Splicing the front off moved the whole history on every change once it was full.
      const head = this.history.length - this.capacity;
      this.historyStart = this.history[head - 1].revision;
      this.head = head;
      // Now and then the dropped front goes for real (a quarter of capacity: amortized O(1)).
      if (head >= Math.max(1, this.capacity >>> 2)) {
        this.history = this.history.slice(head);
        this.head = 0;
      }
    }
    for (const watcher of this.watchers) this.deliver(watcher, change);
  }

  private deliver(watcher: CacheWatcher, change: Change): void {
    if (change.revision <= watcher.after) return;
    if (watcher.recursive ? !change.key.startsWith(watcher.key) : change.key !== watcher.key) return;
    const event = translateChange(change.deleted ?? change.prev, change.cur, watcher.predicate);
    if (!event) return;
    // Every watcher gets the cache's frozen object. An object that left the selection is sent in
    // its previous state with the revision of the change, as kube does.
    const object = event.type === 'DELETED' && !change.deleted && change.prev ? atRevision(change.prev, change.revision) : event.object;
    watcher.emit({ type: event.type, object });
  }

  /** Registers a watcher and replays the history after `watcher.after`; false if history does not reach back that far. */
  addWatcher(watcher: CacheWatcher): boolean {
    if (watcher.after < this.historyStart) return false;
    for (let i = this.head; i < this.history.length; i++) this.deliver(watcher, this.history[i]);
    this.watchers.add(watcher);
    return true;
  }

  removeWatcher(watcher: CacheWatcher): void {
    this.watchers.delete(watcher);
  }

  /** Current objects under `prefix` (or the single key), sorted by key. Frozen and shared: copy them for callers that may write. */
  snapshot(prefix: string, recursive: boolean, predicate?: (obj: KubeObject) => boolean): { key: string; object: KubeObject }[] {
    const out: { key: string; object: KubeObject }[] = [];
    if (!recursive) {
      const obj = this.objects.get(prefix);
      if (obj && (!predicate || predicate(obj))) out.push({ key: prefix, object: obj });
      return out;
    }
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const key of keys) {
      const obj = this.objects.get(key);
      if (obj && (!predicate || predicate(obj))) out.push({ key, object: obj });
    }
    return out;
  }

  bookmark(): StorageWatchEvent {
    return { type: 'BOOKMARK', object: bookmarkObject(this.revision) };
  }

  private break(status: KubeObject): void {
    if (this.failed) return;
    this.failed = true;
    this.inner.dispose();
    for (const watcher of this.watchers) watcher.fail({ type: 'ERROR', object: status });
    this.watchers.clear();
    this.onBroken(this);
  }

  dispose(): void {
    this.failed = true;
    this.inner.dispose();
    this.watchers.clear();
  }
}
