// The pods bound to one node, as the kubelet watches them: list and watch with
// fieldSelector spec.nodeName=<node>, re-watch from the last resourceVersion, relist on 410 Gone.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient, ClientWatch } from '../apiserver/client.js';

const PODS = { group: '', resource: 'pods' };

export interface PodSourceHandler {
  upsert(pod: Pod): void;
  remove(pod: Pod): void;
}

export class PodSource implements Disposable {
  private readonly known = new Map<string, Pod>();
  private watch: ClientWatch | undefined;
  private disposed = false;

  constructor(
    private readonly client: ApiClient,
    private readonly nodeName: string,
    private readonly handler: PodSourceHandler,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const fieldSelector = `spec.nodeName=${this.nodeName}`;
    const list = await this.client.list(PODS, '', { fieldSelector });
    if (this.disposed) return;
    const seen = new Set<string>();
    for (const item of list.items) {
      const pod = item as unknown as Pod;
      const uid = pod.metadata?.uid ?? '';
      seen.add(uid);
      this.known.set(uid, pod);
      this.handler.upsert(pod);
    }
    for (const [uid, pod] of this.known) {
      if (!seen.has(uid)) {
        this.known.delete(uid);
        this.handler.remove(pod);
      }
    }
    this.startWatch(list.metadata.resourceVersion ?? '', fieldSelector);
  }

  private startWatch(resourceVersion: string, fieldSelector: string): void {
    let lastRv = resourceVersion;
    const watch = this.client.watch(PODS, '', { resourceVersion, fieldSelector, allowWatchBookmarks: true }, (event) => {
      if (this.disposed) return;
      lastRv = event.object.metadata.resourceVersion ?? lastRv;
      if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
      const pod = event.object as KubeObject as unknown as Pod;
      const uid = pod.metadata?.uid ?? '';
      try {
        if (event.type === 'DELETED') {
          this.known.delete(uid);
          this.handler.remove(pod);
        } else {
          this.known.set(uid, pod);
          this.handler.upsert(pod);
        }
      } catch (error) {
        this.onError(error);
      }
    });
    this.watch = watch;
    const restart = (relist: boolean) => {
      if (this.disposed) return;
      setTimeout(() => {
        if (this.disposed) return;
        if (relist) this.start().catch((error: unknown) => this.onError(error));
        else this.startWatch(lastRv, fieldSelector);
      }, 100);
    };
    watch.done.then(
      () => restart(false),
      (error: unknown) => {
        restart(true);
        if (!(typeof error === 'object' && error !== null && (error as { code?: number }).code === 410)) this.onError(error);
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.dispose();
  }
}
