// One list+watch per cluster and kind, shared by every subscriber, with an informer cache in the
// core: a new subscriber gets the cache at once, a 410 relists, a broken connection reconnects with
// back-off, and changes reach each subscriber coalesced at most every `batchMs`.
import type { KubeConfig } from '@kubernetes/client-node';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import type { KubeObject } from '../../shared/kube.js';
import type { WatchableKind } from '../../shared/rpc/contract.js';
import { kubeGet, kubeWatch, KubeHttpError } from './kube-http.js';

export const KIND_PATHS: Record<WatchableKind, string> = {
  pods: '/api/v1/pods',
  deployments: '/apis/apps/v1/deployments',
  namespaces: '/api/v1/namespaces',
};

export interface WatchBatch {
  reset?: KubeObject[];
  upserts: KubeObject[];
  deletes: string[];
  error?: string;
}

export interface WatchServiceOptions {
  batchMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (message: string) => void;
}

class Subscriber {
  private reset = false;
  private readonly upserts = new Map<string, KubeObject>();
  private readonly deletes = new Set<string>();
  private error: string | undefined;
  private errorChanged = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly informer: Informer,
    private readonly listener: (batch: WatchBatch) => void,
    private readonly batchMs: number,
  ) {}

  markReset(): void {
    this.reset = true;
    this.upserts.clear();
    this.deletes.clear();
    this.schedule();
  }
  upsert(uid: string, obj: KubeObject): void {
    if (this.reset) return this.schedule();
    this.deletes.delete(uid);
    this.upserts.set(uid, obj);
    this.schedule();
  }
  remove(uid: string): void {
    if (this.reset) return this.schedule();
    this.upserts.delete(uid);
    this.deletes.add(uid);
    this.schedule();
  }
  setError(error: string | undefined): void {
    if (error === this.error) return;
    this.error = error;
    this.errorChanged = true;
    this.schedule();
  }
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }
  private flush(): void {
    this.timer = undefined;
    const batch: WatchBatch = { upserts: [...this.upserts.values()], deletes: [...this.deletes] };
    if (this.reset) batch.reset = [...this.informer.cache.values()];
    if (this.errorChanged || this.error) batch.error = this.error;
    this.reset = false;
    this.errorChanged = false;
    this.upserts.clear();
    this.deletes.clear();
    this.listener(batch);
  }
}

class Informer {
  readonly cache = new Map<string, KubeObject>();
  readonly subscribers = new Set<Subscriber>();
  synced = false;
  error: string | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly path: string,
    private readonly options: Required<Omit<WatchServiceOptions, 'onError'>> & Pick<WatchServiceOptions, 'onError'>,
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
    // undefined: the cache must be (re)built by a list; else the watch resumes from there, as
    // client-go's reflector does: a broken connection re-watches, only 410 Gone relists.
    let resourceVersion: string | undefined;
    while (!this.stopped) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await this.list();
          backoff = this.options.minBackoffMs;
          this.setError(undefined);
        }
        const outcome = await this.watchOnce(resourceVersion, () => {
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
        const message = error instanceof Error ? error.message : String(error);
        // RBAC refusals do not heal in a second: say so, and ask again only now and then.
        if (error instanceof KubeHttpError && error.status === 403) backoff = this.options.maxBackoffMs;
        const forbidden = error instanceof KubeHttpError && error.status === 403 ? 'your account may not list or watch this kind: ' : '';
        this.setError(`${forbidden}${message} (retrying in ${Math.max(1, Math.round(backoff / 1000))} s)`);
        this.options.onError?.(`watch ${this.path}: ${message}`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
      }
    }
  }

  /** How many times a 410 Gone made this informer list again: visible to tests and diagnostics. */
  relists = 0;

  private async list(): Promise<string> {
    this.abort = new AbortController();
    const body = await kubeGet(this.config, this.path, this.abort.signal);
    const list = body as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
    if (!Array.isArray(list.items)) throw new KubeHttpError(`GET ${this.path} answered something that is not a list`, undefined, 'http');
    this.cache.clear();
    for (const item of list.items) {
      const uid = item.metadata?.uid;
      if (uid) this.cache.set(uid, item);
    }
    this.synced = true;
    for (const s of this.subscribers) s.markReset();
    return list.metadata?.resourceVersion ?? '';
  }

  private async watchOnce(resourceVersion: string, onOpen: () => void): Promise<{ kind: 'expired' } | { kind: 'ended'; resourceVersion: string; quick: boolean }> {
    let rv = resourceVersion;
    let expired = false;
    const started = Date.now();
    this.abort = new AbortController();
    const query = new URLSearchParams({ watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    try {
      await kubeWatch(this.config, `${this.path}?${query}`, {
        onOpen,
        onEvent: (type, obj) => {
          if (type === 'ERROR') {
            if ((obj as { code?: unknown } | null)?.code === 410) expired = true;
            else throw new KubeHttpError(`the watch on ${this.path} failed: ${(obj as { message?: unknown } | null)?.message ?? 'unknown error'}`, undefined, 'http');
            return;
          }
          const object = obj as KubeObject;
          const newRv = object?.metadata?.resourceVersion;
          if (newRv) rv = newRv;
          if (type === 'BOOKMARK') return;
          const uid = object?.metadata?.uid;
          if (!uid) return;
          if (type === 'DELETED') {
            this.cache.delete(uid);
            for (const s of this.subscribers) s.remove(uid);
          } else {
            this.cache.set(uid, object);
            for (const s of this.subscribers) s.upsert(uid, object);
          }
        },
      }, this.abort.signal);
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 410) return { kind: 'expired' };
      throw error;
    }
    if (expired) return { kind: 'expired' };
    return { kind: 'ended', resourceVersion: rv, quick: Date.now() - started < 1000 };
  }

  private setError(error: string | undefined): void {
    this.error = error;
    for (const s of this.subscribers) s.setError(error);
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

export class WatchService implements Disposable {
  private readonly informers = new Map<string, Informer>();
  private readonly options: Required<Omit<WatchServiceOptions, 'onError'>> & Pick<WatchServiceOptions, 'onError'>;

  constructor(
    private readonly configFor: (clusterId: string) => KubeConfig | undefined,
    options: WatchServiceOptions = {},
  ) {
    this.options = { batchMs: options.batchMs ?? 100, minBackoffMs: options.minBackoffMs ?? 1000, maxBackoffMs: options.maxBackoffMs ?? 30_000, onError: options.onError };
  }

  subscribe(clusterId: string, kind: WatchableKind, listener: (batch: WatchBatch) => void): Disposable {
    const config = this.configFor(clusterId);
    if (!config) throw new Error(`unknown or not yet started cluster "${clusterId}": pick one from the cluster list`);
    const key = `${clusterId}\u0000${kind}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(config, KIND_PATHS[kind], this.options);
      this.informers.set(key, informer);
      informer.start();
    }
    const subscriber = new Subscriber(informer, listener, this.options.batchMs);
    informer.subscribers.add(subscriber);
    if (informer.synced) subscriber.markReset();
    if (informer.error) subscriber.setError(informer.error);
    const owner = informer;
    return toDisposable(() => {
      subscriber.dispose();
      owner.subscribers.delete(subscriber);
      if (owner.subscribers.size === 0) {
        owner.stop();
        this.informers.delete(key);
      }
    });
  }

  /** Drops every watch of a cluster (its kubeconfig changed or the sandbox restarted). */
  dropCluster(clusterId: string): void {
    for (const [key, informer] of this.informers) {
      if (key.startsWith(`${clusterId}\u0000`)) {
        informer.stop();
        this.informers.delete(key);
      }
    }
  }

  get activeWatches(): number {
    return this.informers.size;
  }

  /** One line per live informer: what it holds and how often it had to relist after 410 Gone. */
  stats(): { clusterId: string; kind: string; objects: number; subscribers: number; relists: number; error?: string }[] {
    return [...this.informers].map(([key, informer]) => {
      const [clusterId, kind] = key.split('\u0000');
      return { clusterId, kind, objects: informer.cache.size, subscribers: informer.subscribers.size, relists: informer.relists, error: informer.error };
    });
  }

  dispose(): void {
    for (const informer of this.informers.values()) informer.stop();
    this.informers.clear();
  }
}
