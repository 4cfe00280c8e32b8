// A shared informer over the API client: list, then watch from the list's resourceVersion, relist on
// 410 Gone, with a local cache by namespace/name. Controllers react to its onDidChange events.
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient, ClientWatch, ResourceRef } from '../apiserver/client.js';

export type InformerEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; old?: KubeObject };

export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name ?? '');
}

export class Informer implements Disposable {
  private readonly cache = new Map<string, KubeObject>();
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
    this.synced = this.run();
    return this.synced;
  }

  hasSynced(): Promise<void> {
    return this.synced;
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
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

  private emit(event: InformerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private async run(): Promise<void> {
    const list = await this.client.list(this.ref, '');
    const seen = new Set<string>();
    for (const listed of list.items) {
      const item = this.transform(listed);
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (!old) this.emit({ type: 'ADDED', object: item });
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit({ type: 'MODIFIED', object: item, old });
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit({ type: 'DELETED', object: old });
      }
    }
    if (this.disposed) return;
    this.startWatch(list.metadata.resourceVersion ?? '');
  }

  private startWatch(resourceVersion: string): void {
    let lastRv = resourceVersion;
    const watch = this.client.watch(this.ref, '', { resourceVersion, allowWatchBookmarks: true }, (event) => {
      if (event.type === 'BOOKMARK') {
        lastRv = event.object.metadata.resourceVersion ?? lastRv;
        return;
      }
      if (event.type === 'ERROR') return;
      event = { type: event.type, object: this.transform(event.object) };
      const key = objectKey(event.object);
      const old = this.cache.get(key);
      lastRv = event.object.metadata.resourceVersion ?? lastRv;
      if (event.type === 'DELETED') {
        this.cache.delete(key);
        this.emit({ type: 'DELETED', object: event.object });
      } else {
        this.cache.set(key, event.object);
        this.emit({ type: old ? 'MODIFIED' : 'ADDED', object: event.object, old });
      }
    });
    this.watch = watch;
    const restart = (relist: boolean) => {
      if (this.disposed) return;
      setTimeout(() => {
        if (this.disposed) return;
        if (relist) this.run().catch((error: unknown) => this.onError(error));
        else this.startWatch(lastRv);
      }, 100);
    };
    watch.done.then(
      () => restart(false),
      (error: unknown) => {
        // 410 Gone: our resourceVersion was compacted; start over with a fresh list.
        restart(true);
        if (!(typeof error === 'object' && error !== null && (error as { code?: number }).code === 410)) this.onError(error);
      },
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
