// A shared informer over the API client: a streaming list (watch with initial events), then its
// changes, a fresh streaming list on 410 Gone, with a local cache by namespace/name. Controllers
// react to its onDidChange events. Cached objects are deep-frozen and shared with the API server's
// watch cache and other informers: consumers copy before changing anything (copy-on-write).
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient, ClientWatch, ClientWatchEvent, ResourceRef } from '../apiserver/client.js';
import { deepFreeze } from '../store/frozen.js';

export type InformerEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; old?: KubeObject };

export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name ?? '');
}

export class Informer implements Disposable {
  private readonly cache = new Map<string, KubeObject>();
  /**
   * The same objects by namespace: controllers list one namespace on each change of another kind
   * (the services selecting a pod, at every pod event), which must not copy every cached object.
   */
  private readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<(event: InformerEvent) => void>();
  private watch: ClientWatch | undefined;
  private disposed = false;
  private synced!: Promise<void>;

  constructor(
    private readonly client: ApiClient,
    readonly ref: ResourceRef,
    private readonly onError: (error: unknown) => void = () => undefined,
    /** Keep only what the consumer needs (e.g. metadata for the garbage collector): memory at 50k pods. */
    private readonly transform: (obj: KubeObject) => KubeObject = (obj) => obj,
  ) {}

  start(): Promise<void> {
    this.synced = new Promise<void>((resolve, reject) => this.run(resolve, reject));
    return this.synced;
  }

  hasSynced(): Promise<void> {
    return this.synced;
  }

  list(namespace?: string): KubeObject[] {
    if (namespace === undefined) return [...this.cache.values()];
    const objects = this.byNamespace.get(namespace);
    return objects ? [...objects.values()] : [];
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  onDidChange(listener: (event: InformerEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.dispose();
  }

  private keep(key: string, obj: KubeObject): void {
    this.cache.set(key, obj);
    const ns = obj.metadata.namespace ?? '';
    let objects = this.byNamespace.get(ns);
    if (!objects) this.byNamespace.set(ns, (objects = new Map()));
    objects.set(key, obj);
  }

  private forget(key: string, obj: KubeObject): void {
    this.cache.delete(key);
    const ns = obj.metadata.namespace ?? '';
    const objects = this.byNamespace.get(ns);
    if (objects?.delete(key) && objects.size === 0) this.byNamespace.delete(ns);
  }

  private emit(event: InformerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /**
   * A streaming list (watch with sendInitialEvents, as client-go's WatchList): the current objects
   * arrive as ADDED events up to a bookmark marking their end, then changes follow on the same watch.
   * Served by the watch cache, these are its frozen objects: the informer keeps them without a copy.
   * `synced` runs at the end of the initial events; `failed` if the watch cannot be established.
   */
  private run(synced: () => void = () => undefined, failed: (error: unknown) => void = this.onError): void {
    let seen: Set<string> | undefined = new Set<string>();
    const initial = (event: ClientWatchEvent): boolean => {
      if (!seen) return false;
      if (event.type === 'BOOKMARK') {
        if (event.object.metadata.annotations?.['k8s.io/initial-events-end'] !== 'true') return true;
        // Gone while we were not watching (a relist after 410): deleted.
        for (const [key, old] of this.cache) {
          if (!seen.has(key)) {
            this.forget(key, old);
            this.emit({ type: 'DELETED', object: old });
          }
        }
        seen = undefined;
        synced();
        return true;
      }
      if (event.type !== 'ADDED') return false;
      const item = deepFreeze(this.transform(event.object));
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.keep(key, item);
      if (!old) this.emit({ type: 'ADDED', object: item });
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit({ type: 'MODIFIED', object: item, old });
      return true;
    };
    // Ended before its initial events did: the next attempt must stream them again.
    this.startWatch({ sendInitialEvents: true }, initial, () => seen !== undefined, () => this.run(synced, failed), failed);
  }

  /** Watches and applies changes to the cache, restarting the watch (or the streaming list) when it ends. */
  private startWatch(
    from: { resourceVersion?: string; sendInitialEvents?: boolean },
    initial: (event: ClientWatchEvent) => boolean,
    mustRelist: () => boolean,
    relist: () => void,
    failed: (error: unknown) => void,
  ): void {
    let lastRv = from.resourceVersion ?? '';
    let watch: ClientWatch;
    try {
      watch = this.client.watch(this.ref, '', { ...from, allowWatchBookmarks: true }, (event) => {
        if (initial(event) || event.type === 'BOOKMARK') {
          lastRv = event.object.metadata.resourceVersion ?? lastRv;
          return;
        }
        if (event.type === 'ERROR') return;
        // Objects are shared with the watch cache and every other informer: frozen, never written to.
        const object = deepFreeze(this.transform(event.object));
        const key = objectKey(object);
        const old = this.cache.get(key);
        lastRv = object.metadata.resourceVersion ?? lastRv;
        if (event.type === 'DELETED') {
          this.forget(key, old ?? object);
          this.emit({ type: 'DELETED', object });
        } else {
          this.keep(key, object);
          this.emit({ type: old ? 'MODIFIED' : 'ADDED', object, old });
        }
      });
    } catch (error) {
      failed(error);
      return;
    }
    this.watch = watch;
    const restart = (fresh: boolean) => {
      if (this.disposed) return;
      setTimeout(() => {
        if (this.disposed) return;
        if (fresh || mustRelist() || !lastRv) relist();
        else this.startWatch({ resourceVersion: lastRv }, () => false, () => false, () => this.run(), this.onError);
      }, 100);
    };
    watch.ready.then(
      () =>
        watch.done.then(
          () => restart(false),
          (error: unknown) => {
            // 410 Gone: our resourceVersion was compacted; start over with a fresh list.
            restart(true);
            if (!(typeof error === 'object' && error !== null && (error as { code?: number }).code === 410)) this.onError(error);
          },
        ),
      // Never established (e.g. the resource is not served): the caller decides, as with a failed list.
      failed,
    );
  }
}

/** The metadata a garbage collector needs, and nothing else. */
export function metadataOnly(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
  };
}
