// A watch cache in front of an ObjectStorage, as kube-apiserver's cacher: lists and gets that may
// be served stale (resourceVersion "0", or NotOlderThan a revision the cache has reached) come from
// memory; watches fan out from one underlying watch per cached prefix. Writes, consistent reads,
// exact-revision reads and continuations go to the underlying storage.
import type { KubeObject } from '../../../shared/kube.js';
import { asPrefix, bookmarkObject, encodeContinue, parseResourceVersion, revisionOf } from './object-codec.js';
import type {
  CreateOptions,
  GetOptions,
  GuaranteedUpdateOptions,
  ListOptions,
  ListResult,
  ObjectStorage,
  Preconditions,
  StorageWatch,
  StorageWatchEvent,
  StorageWatchOptions,
} from './storage.js';
import { WatchCache, type CacheWatcher } from './watch-cache.js';
import { cloneJson } from './json-clone.js';

export interface CacherOptions {
  /**
   * Prefixes to cache (e.g. "/registry/pods/"). A request under one of them uses its cache, created
   * on first use. Omitted: every recursive list/watch prefix not under an existing cache gets one.
   */
  prefixes?: string[];
  /**
   * Changes kept per prefix for watches that start in the past (default 1,000). A watch from further
   * back is served by the storage (same events, decoded for that watch alone), so this only trades
   * memory for such watches' cost: each kept change holds an old version of a decoded object, and
   * 10,000 of them per prefix were a fifth of the heap a rollout of 3,000 pods left to the GC.
   */
  historySize?: number;
}

export class CachedObjectStorage implements ObjectStorage {
  private readonly caches = new Map<string, WatchCache>();

  constructor(
    private readonly inner: ObjectStorage,
    private readonly options: CacherOptions = {},
  ) {}

  /** The cache covering `key`, created if allowed; undefined: pass through. */
  private cacheFor(key: string, mayCreate: boolean): WatchCache | undefined {
    for (const [prefix, cache] of this.caches) if (key.startsWith(prefix)) return cache;
    let prefix: string | undefined;
    if (this.options.prefixes) prefix = this.options.prefixes.find((p) => key.startsWith(p));
    else if (mayCreate && key.endsWith('/')) prefix = key;
    if (prefix === undefined) return undefined;
    const cache = new WatchCache(prefix, this.inner, this.options.historySize ?? 1_000, (broken) => {
      if (this.caches.get(broken.prefix) === broken) this.caches.delete(broken.prefix);
    });
    this.caches.set(prefix, cache);
    return cache;
  }

  /** A synced cache able to answer a read at `resourceVersion`, or undefined to go to storage. */
  private async servingCache(key: string, resourceVersion: string | undefined, match: ListOptions['resourceVersionMatch'], mayCreate: boolean) {
    if (resourceVersion === undefined || resourceVersion === '' || match === 'Exact') return undefined;
    const minimum = parseResourceVersion(resourceVersion, key);
    const cache = this.cacheFor(key, mayCreate);
    if (!cache) return undefined;
    try {
      await cache.synced;
    } catch {
      return undefined;
    }
    if (cache.failed || cache.revision < minimum) return undefined;
    return cache;
  }

  create(key: string, obj: KubeObject, options?: CreateOptions): Promise<KubeObject> {
    return this.inner.create(key, obj, options);
  }

  async get(key: string, options: GetOptions = {}): Promise<KubeObject | undefined> {
    const cache = await this.servingCache(key, options.resourceVersion, undefined, false);
    if (!cache) return this.inner.get(key, { ...options, cachedExisting: options.cachedExisting ?? this.cachedExisting(key) });
    const obj = cache.objects.get(key);
    if (obj) return cloneJson(obj);
    // Not in the cache: let the storage give the same answer (and error) it would give anyway.
    return this.inner.get(key, { ignoreNotFound: options.ignoreNotFound });
  }

  async list(requested: ListOptions): Promise<ListResult> {
    const options = { ...requested, prefix: asPrefix(requested.prefix) };
    const cache = options.continue ? undefined : await this.servingCache(options.prefix, options.resourceVersion, options.resourceVersionMatch, true);
    if (!cache) return this.inner.list(options);
    const matching = cache.snapshot(options.prefix, true, options.predicate);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const page = limit ? matching.slice(0, limit) : matching;
    const result: ListResult = { items: page.map((e) => cloneJson(e.object)), resourceVersion: String(cache.revision), continue: '' };
    if (limit && matching.length > limit) {
      // The next page is read from storage at exactly this revision, so pages stay consistent.
      result.continue = encodeContinue(page[page.length - 1].key + '\0', options.prefix, cache.revision);
      if (!options.predicate) result.remainingItemCount = matching.length - limit;
    }
    return result;
  }

  guaranteedUpdate(key: string, tryUpdate: (current: KubeObject | undefined) => Promise<KubeObject> | KubeObject, options: GuaranteedUpdateOptions = {}): Promise<KubeObject> {
    // As kube's cacher: the cached object starts the update when it is the stored revision.
    return this.inner.guaranteedUpdate(key, tryUpdate, { ...options, cachedExisting: options.cachedExisting ?? this.cachedExisting(key) });
  }

  /** The cached object of `key` if it is at a given revision (the one the store read), for reads and updates. */
  private cachedExisting(key: string): ((modRevision: number) => KubeObject | undefined) | undefined {
    const cache = this.cacheFor(key, false);
    if (!cache) return undefined;
    return (modRevision) => {
      const obj = cache.failed ? undefined : cache.objects.get(key);
      return obj && revisionOf(obj) === modRevision ? obj : undefined;
    };
  }

  delete(key: string, options?: { preconditions?: Preconditions; validateDeletion?: (current: KubeObject) => void }): Promise<KubeObject> {
    return this.inner.delete(key, options);
  }

  currentResourceVersion(): Promise<string> {
    return this.inner.currentResourceVersion();
  }

  count(prefix: string): Promise<number> {
    return this.inner.count(prefix);
  }

  watch(requested: StorageWatchOptions, onEvent: (event: StorageWatchEvent) => void): StorageWatch {
    const options = requested.recursive ? { ...requested, key: asPrefix(requested.key) } : requested;
    let disposed = false;
    let release: () => void = () => undefined;
    const setRelease = (r: () => void): void => {
      release = r;
      if (disposed) r();
    };
    const emit = (event: StorageWatchEvent): void => {
      if (!disposed) onEvent(event);
    };
    const ready = (async () => {
      const cache = this.cacheFor(options.key, options.recursive);
      const requested = parseResourceVersion(options.resourceVersion, options.key);
      if (cache) await cache.synced.catch(() => undefined);
      if (disposed) return;
      if (!cache || cache.failed) return this.passThrough(options, emit, setRelease);
      // As the contract says: "0" always starts with the current state; sendInitialEvents adds it (plus the bookmark) to any start.
      const initial = options.sendInitialEvents === true || options.resourceVersion === '0';
      const watcher: CacheWatcher = {
        key: options.key,
        recursive: options.recursive,
        predicate: options.predicate,
        after: cache.revision,
        emit,
        fail(event) {
          emit(event);
          disposed = true;
        },
      };
      if (initial) {
        // The cache's frozen objects, shared as its change events are (see watch-cache.ts).
        for (const { object } of cache.snapshot(options.key, options.recursive, options.predicate)) emit({ type: 'ADDED', object });
        if (options.sendInitialEvents) emit({ type: 'BOOKMARK', object: bookmarkObject(cache.revision, true) });
      } else if (requested > 0) {
        watcher.after = requested;
      }
      // Older than the cache's history: the storage may still have it (or will say Expired).
      if (!cache.addWatcher(watcher)) return this.passThrough(options, emit, setRelease);
      let timer: ReturnType<typeof setInterval> | undefined;
      if (options.bookmarkIntervalMs && options.bookmarkIntervalMs > 0) {
        timer = setInterval(() => emit(cache.bookmark()), options.bookmarkIntervalMs);
        timer.unref?.();
      }
      setRelease(() => {
        cache.removeWatcher(watcher);
        if (timer) clearInterval(timer);
      });
    })();
    ready.catch(() => undefined);
    return {
      ready,
      dispose: () => {
        disposed = true;
        release();
      },
    };
  }

  private async passThrough(
    options: StorageWatchOptions,
    emit: (event: StorageWatchEvent) => void,
    setRelease: (release: () => void) => void,
  ): Promise<void> {
    const watch = this.inner.watch(options, emit);
    setRelease(() => watch.dispose());
    await watch.ready;
  }

  /** Stops every underlying watch. */
  dispose(): void {
    for (const cache of this.caches.values()) cache.dispose();
    this.caches.clear();
  }
}
