// One list+watch per cluster and kind, shared by every subscriber, with an informer cache in the
// core: a new subscriber gets the cache at once, a 410 relists, a broken connection reconnects with
// back-off, and changes reach each subscriber coalesced at most every `batchMs`.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import type { KubeObject } from '../../shared/kube.js';
import type { WatchableKind } from '../../shared/rpc/contract.js';
import { kubeGet, KubeHttpError } from './kube-http.js';

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
    while (!this.stopped) {
      try {
        let resourceVersion = await this.list();
        backoff = this.options.minBackoffMs;
        this.setError(undefined);
        // Watch until the server says our resourceVersion is gone (410) or the connection fails.
        for (;;) {
          const outcome = await this.watchOnce(resourceVersion);
          if (this.stopped) return;
          if (outcome.kind === 'expired') break;
          if (outcome.kind === 'failed') throw outcome.error;
          resourceVersion = outcome.resourceVersion;
        }
      } catch (error) {
        if (this.stopped) return;
        const message = error instanceof Error ? error.message : String(error);
        this.setError(`${message} (retrying in ${Math.round(backoff / 1000)} s)`);
        this.options.onError?.(`watch ${this.path}: ${message}`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
      }
    }
  }

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

  private watchOnce(resourceVersion: string): Promise<{ kind: 'expired' } | { kind: 'ended'; resourceVersion: string } | { kind: 'failed'; error: Error }> {
    return new Promise((resolve) => {
      let rv = resourceVersion;
      let expired = false;
      const watch = new Watch(this.config);
      // A quiet cluster sends nothing for minutes; client-node's 30 s inactivity timeout would churn.
      Reflect.set(watch, 'requestTimeoutMs', 6 * 60_000);
      const started = Date.now();
      const onEvent = (type: string, obj: unknown) => {
        if (type === 'ERROR') {
          const status = obj as { code?: number; message?: string };
          if (status?.code === 410) expired = true;
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
      };
      const done = (error: unknown) => {
        if (expired) return resolve({ kind: 'expired' });
        const status = (error as { statusCode?: number } | null)?.statusCode;
        if (status === 410) return resolve({ kind: 'expired' });
        const isTimeout = error instanceof Error && error.name === 'TimeoutError';
        if (error && !isTimeout) return resolve({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
        // A watch the server closed right away would spin: treat it as a failure to get back-off.
        if (Date.now() - started < 1000 && !error) return resolve({ kind: 'failed', error: new Error('the server closed the watch at once') });
        resolve({ kind: 'ended', resourceVersion: rv });
      };
      watch
        .watch(this.path, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 }, onEvent, done)
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        })
        .catch(done);
    });
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

  dispose(): void {
    for (const informer of this.informers.values()) informer.stop();
    this.informers.clear();
  }
}
