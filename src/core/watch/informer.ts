// One list+watch of one resource type across a whole cluster, with its cache by uid. As client-go's
// reflector: a broken connection re-watches from the last resourceVersion, only 410 Gone relists.
// The list is a streaming watch-list where the server offers it (a watch with sendInitialEvents,
// as client-go's WatchListClient: served from the API server's watch cache, one stream instead of
// pages each read from storage), else pages. Either way subscribers see the first rows long before
// 50,000 have arrived; a relist compares with the cache instead of resetting what the UI shows.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../shared/kube.js';
import { kubeGet, kubeWatch, KubeHttpError } from '../app/kube-http.js';
import type { Subscriber } from './subscriber.js';
import { withJsonText } from './raw-json.js';

export interface InformerOptions {
  minBackoffMs: number;
  maxBackoffMs: number;
  firstPage: number;
  page: number;
  /** List with a streaming watch-list first (falls back to pages where the server refuses it). */
  watchList?: boolean;
  onError?: (message: string) => void;
  /** `count` objects came in (listed, changed or deleted): for a collection once they settle. */
  onObjects?: (count: number) => void;
}

/**
 * Where an informer lists and watches, resolved lazily because discovery is asynchronous:
 * across the cluster, and in the context's namespace for an account that may only read that one.
 */
export type PathResolver = () => Promise<{ path: string; namespacedPath?: string }>;

export class ForbiddenError extends Error {}

/** managedFields double an object's size and no table or YAML view shows them. */
function slim(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

/** The cache's text of `obj` (slimmed), recorded on it too: sending it on costs no second serialization. */
function cacheText(obj: KubeObject): string {
  const text = JSON.stringify(slim(obj));
  // V8 builds JSON.stringify's answer as a tree of a few pieces (a "cons string"); reading a
  // character flattens it into one, and the next young-generation collection drops the pieces:
  // ~11 MB less for 50,000 pods, for a copy of each text (a fraction of a microsecond).
  text.charCodeAt(0);
  withJsonText(obj, text);
  return text;
}

export class Informer {
  /**
   * Each object as its JSON text: a third of the memory of the parsed object (50,000 pods hold
   * ~70 MB instead of ~250 MB); parsed again only for a new subscriber's snapshot.
   */
  cache = new Map<string, string>();
  readonly subscribers = new Set<Subscriber>();
  synced = false;
  listing = false;
  error: string | undefined;
  forbidden = false;
  /** How many times a 410 Gone made this informer list again: visible to tests and diagnostics. */
  relists = 0;
  /** How the last list came: one streaming watch-list, or pages. */
  listedBy: 'stream' | 'pages' | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private path: string | undefined;
  private namespacedPath: string | undefined;
  /** The server refused a watch with sendInitialEvents (older than 1.27, or its WatchList gate off): pages only. */
  private streamRefused = false;
  /** Where a streamed list's watch got to: a broken stream resumes from there, without a relist. */
  private streamedRv: string | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly resolvePath: PathResolver,
    private readonly options: InformerOptions,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = this.options.minBackoffMs;
    let resourceVersion: string | undefined;
    while (!this.stopped) {
      try {
        if (this.path === undefined) {
          const resolved = await this.resolvePath();
          this.path = resolved.path;
          this.namespacedPath = resolved.namespacedPath;
        }
        if (resourceVersion === undefined && this.options.watchList && !this.streamRefused) {
          const outcome = await this.streamList(this.path, () => {
            backoff = this.options.minBackoffMs;
            this.setError(undefined);
          });
          if (this.stopped) return;
          if (outcome.kind === 'refused') this.streamRefused = true;
          else if (outcome.kind === 'ended') {
            resourceVersion = outcome.resourceVersion;
            if (outcome.quick) await this.sleep(backoff);
          }
          continue;
        }
        if (resourceVersion === undefined) {
          resourceVersion = await this.list(this.path);
          backoff = this.options.minBackoffMs;
          this.setError(undefined);
        }
        const outcome = await this.watchOnce(this.path, resourceVersion, () => {
          backoff = this.options.minBackoffMs;
          this.setError(undefined);
        });
        if (this.stopped) return;
        if (outcome.kind === 'expired') {
          this.relists++;
          resourceVersion = undefined;
          continue;
        }
        resourceVersion = outcome.resourceVersion;
        // A watch the server closed at once would spin: pause as after a failure, without an error.
        if (outcome.quick) await this.sleep(backoff);
      } catch (error) {
        if (this.stopped) return;
        if (resourceVersion === undefined) resourceVersion = this.streamedRv;
        const message = error instanceof Error ? error.message : String(error);
        // RBAC refusals do not heal in a second: say so, and ask again only now and then.
        const forbidden = (error instanceof KubeHttpError && error.status === 403) || error instanceof ForbiddenError;
        // Refused across the cluster: what Lens calls accessible namespaces, with the context's.
        if (forbidden && this.namespacedPath && this.path !== this.namespacedPath) {
          this.path = this.namespacedPath;
          resourceVersion = undefined;
          continue;
        }
        if (forbidden) backoff = this.options.maxBackoffMs;
        const prefix = forbidden ? 'your account may not list or watch this kind: ' : '';
        this.setError(`${prefix}${message} (retrying in ${Math.max(1, Math.round(backoff / 1000))} s)`, forbidden);
        this.options.onError?.(`watch ${this.path ?? '(unresolved)'}: ${message}`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
        // A type that was not found may appear (a CRD being created): resolve it again.
        if (!(error instanceof KubeHttpError) || error.status === 404) this.path = undefined;
      }
    }
  }

  private async list(path: string): Promise<string> {
    const progressive = !this.synced;
    const fresh = new Map<string, string>();
    let token: string | undefined;
    let resourceVersion = '';
    let first = true;
    if (progressive) this.listing = true;
    try {
      do {
        this.abort = new AbortController();
        const query = new URLSearchParams({ limit: String(first ? this.options.firstPage : this.options.page) });
        if (token) query.set('continue', token);
        const asked = performance.now();
        const body = (await kubeGet(this.config, `${path}?${query}`, this.abort.signal)) as { items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } };
        if (process.env.KUBEDESK_WATCH_TRACE) process.stderr.write(`[watch] ${path} page of ${body.items?.length} in ${(performance.now() - asked).toFixed(0)} ms\n`);
        if (!Array.isArray(body.items)) throw new KubeHttpError(`GET ${path} answered something that is not a list`, undefined, 'http');
        if (this.stopped) return '';
        resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
        token = body.metadata?.continue || undefined;
        for (const item of body.items) {
          const uid = item.metadata?.uid;
          if (uid) fresh.set(uid, cacheText(item));
        }
        this.options.onObjects?.(body.items.length);
        if (progressive) {
          // The UI gets what arrived so far: a reset on the first page, upserts after.
          if (first) {
            this.cache = fresh;
            for (const s of this.subscribers) s.markReset(true);
          } else {
            for (const item of body.items) if (item.metadata?.uid) for (const s of this.subscribers) s.upsert(item.metadata.uid, item);
          }
        }
        first = false;
      } while (token);
    } finally {
      if (progressive) this.listing = false;
    }
    this.listed(fresh, progressive);
    this.listedBy = 'pages';
    return resourceVersion;
  }

  /** The whole list arrived in `fresh`: the first one only says so, a relist sends what differs. */
  private listed(fresh: Map<string, string>, progressive: boolean): void {
    if (progressive) {
      for (const s of this.subscribers) s.touch();
    } else {
      // A relist: tell subscribers only what differs, not 50,000 objects again.
      for (const [uid, text] of fresh) {
        if (this.cache.get(uid) !== text) {
          const obj = withJsonText(JSON.parse(text) as KubeObject, text);
          for (const s of this.subscribers) s.upsert(uid, obj);
        }
      }
      for (const uid of this.cache.keys()) if (!fresh.has(uid)) for (const s of this.subscribers) s.remove(uid);
      this.cache = fresh;
    }
    this.synced = true;
  }

  /**
   * The list as one watch stream: ADDED events for the current objects, a bookmark annotated
   * k8s.io/initial-events-end, then changes as any watch. Answers the resourceVersion to watch on
   * from when the stream ends after the list ('ended' with undefined: it ended before, list again),
   * or 'refused' when the server does not offer streaming lists.
   */
  private async streamList(path: string, onOpen: () => void): Promise<{ kind: 'refused' } | { kind: 'ended'; resourceVersion: string | undefined; quick: boolean }> {
    const progressive = !this.synced;
    const fresh = new Map<string, string>();
    let initial = true;
    let rv: string | undefined;
    let announced = false;
    let expired = false;
    const started = Date.now();
    // The first rows go out with the first objects, not after the whole list.
    const announce = () => {
      if (announced || !progressive) return;
      announced = true;
      this.cache = fresh;
      for (const s of this.subscribers) s.markReset(true);
    };
    this.streamedRv = undefined;
    this.abort = new AbortController();
    const query = new URLSearchParams({ watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    if (progressive) this.listing = true;
    try {
      await kubeWatch(this.config, `${path}?${query}`, {
        onOpen,
        onEvent: (type, obj) => {
          if (!initial && type === 'ERROR' && (obj as { code?: unknown } | null)?.code === 410) expired = true;
          else if (!initial) this.apply(path, type, obj, (v) => (rv = this.streamedRv = v));
          if (!initial) return;
          if (type === 'ERROR') throw new KubeHttpError(`the list of ${path} failed: ${(obj as { message?: unknown } | null)?.message ?? 'unknown error'}`, undefined, 'http');
          const object = obj as KubeObject;
          if (type === 'BOOKMARK') {
            if (object?.metadata?.annotations?.['k8s.io/initial-events-end'] !== 'true') return;
            rv = this.streamedRv = object.metadata.resourceVersion ?? '';
            initial = false;
            announce();
            if (progressive) this.listing = false;
            this.listed(fresh, progressive);
            this.listedBy = 'stream';
            if (process.env.KUBEDESK_WATCH_TRACE) process.stderr.write(`[watch] ${path} streamed list of ${fresh.size} in ${Date.now() - started} ms\n`);
            return;
          }
          const uid = object?.metadata?.uid;
          if (!uid) return;
          this.options.onObjects?.(1);
          if (type === 'DELETED') fresh.delete(uid);
          else fresh.set(uid, cacheText(object));
          if (!progressive) return;
          if (!announced) return announce();
          if (type === 'DELETED') for (const s of this.subscribers) s.remove(uid);
          else for (const s of this.subscribers) s.upsert(uid, object);
        },
      }, this.abort.signal);
    } catch (error) {
      // 400/422: a server that validates away sendInitialEvents or resourceVersionMatch on a watch.
      if (initial && error instanceof KubeHttpError && (error.status === 400 || error.status === 422)) return { kind: 'refused' };
      throw error;
    } finally {
      if (progressive && initial) this.listing = false;
    }
    // Ended before the end of the list: a server that ignores sendInitialEvents never says where
    // the list ends (an aborted stream returns here too, and the caller stops).
    if (initial) return { kind: 'refused' };
    if (expired) {
      this.relists++;
      return { kind: 'ended', resourceVersion: undefined, quick: false };
    }
    return { kind: 'ended', resourceVersion: rv, quick: Date.now() - started < 1000 };
  }

  /** One change of a running watch into the cache and to the subscribers. */
  private apply(path: string, type: string, obj: unknown, setRv: (rv: string) => void): void {
    if (type === 'ERROR') throw new KubeHttpError(`the watch on ${path} failed: ${(obj as { message?: unknown } | null)?.message ?? 'unknown error'}`, undefined, 'http');
    const object = obj as KubeObject;
    const newRv = object?.metadata?.resourceVersion;
    if (newRv) setRv(newRv);
    if (type === 'BOOKMARK') return;
    const uid = object?.metadata?.uid;
    if (!uid) return;
    this.options.onObjects?.(1);
    if (type === 'DELETED') {
      this.cache.delete(uid);
      for (const s of this.subscribers) s.remove(uid);
    } else {
      this.cache.set(uid, cacheText(object));
      for (const s of this.subscribers) s.upsert(uid, object);
    }
  }

  private async watchOnce(path: string, resourceVersion: string, onOpen: () => void): Promise<{ kind: 'expired' } | { kind: 'ended'; resourceVersion: string; quick: boolean }> {
    let rv = resourceVersion;
    let expired = false;
    const started = Date.now();
    this.abort = new AbortController();
    const query = new URLSearchParams({ watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    try {
      await kubeWatch(this.config, `${path}?${query}`, {
        onOpen,
        onEvent: (type, obj) => {
          if (type === 'ERROR' && (obj as { code?: unknown } | null)?.code === 410) expired = true;
          else this.apply(path, type, obj, (v) => (rv = v));
        },
      }, this.abort.signal);
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 410) return { kind: 'expired' };
      throw error;
    }
    if (expired) return { kind: 'expired' };
    return { kind: 'ended', resourceVersion: rv, quick: Date.now() - started < 1000 };
  }

  private setError(error: string | undefined, forbidden = false): void {
    this.error = error;
    this.forbidden = forbidden;
    for (const s of this.subscribers) s.setError(error, forbidden);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
