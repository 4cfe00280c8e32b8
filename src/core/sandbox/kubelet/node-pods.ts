// The pods of every node from one watch, dispatched by spec.nodeName: what each kubelet would get
// from its own `fieldSelector=spec.nodeName=<node>` watch, at O(1) per pod change instead of one
// selector evaluated per node (kube-apiserver's watch cache indexes pods by node for the same
// reason). A kubelet that starts (or starts again) is first handed the pods already bound to it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient } from '../apiserver/client.js';
import { Informer, type InformerEvent } from '../controllers/informer.js';
import type { PodSourceHandler } from './pod-source.js';

/** What a kubelet needs of its pod feed: PodSource (its own watch) or a NodePodIndex source. */
export interface KubeletPodSource extends Disposable {
  start(): Promise<void>;
}

function nodeOf(pod: KubeObject): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}

export class NodePodIndex implements Disposable {
  private readonly informer: Informer;
  /** node -> pod uid -> pod. */
  private readonly byNode = new Map<string, Map<string, Pod>>();
  private readonly handlers = new Map<string, PodSourceHandler>();
  private readonly subscription: Disposable;

  constructor(
    client: ApiClient,
    private readonly onError: (error: unknown) => void,
  ) {
    this.informer = new Informer(client, { group: '', resource: 'pods' }, onError);
    this.subscription = this.informer.onDidChange((event) => this.onEvent(event));
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  /** The feed of one node's kubelet; start() replays the pods bound to it, as a first list would. */
  source(nodeName: string, handler: PodSourceHandler): KubeletPodSource {
    let active = false;
    return {
      start: async () => {
        await this.informer.hasSynced();
        active = true;
        this.handlers.set(nodeName, handler);
        for (const pod of [...(this.byNode.get(nodeName)?.values() ?? [])]) this.dispatch(handler, 'upsert', pod);
      },
      dispose: () => {
        if (active && this.handlers.get(nodeName) === handler) this.handlers.delete(nodeName);
        active = false;
      },
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.informer.dispose();
    this.handlers.clear();
  }

  private onEvent(event: InformerEvent): void {
    const pod = event.object as unknown as Pod;
    const old = event.old as unknown as Pod | undefined;
    // A pod deleted and created again under the same name while the watch was away: the old one goes.
    if (old && old.metadata?.uid !== pod.metadata?.uid) this.remove(old);
    if (event.type === 'DELETED') this.remove(pod);
    else this.upsert(pod);
  }

  private upsert(pod: Pod): void {
    const node = nodeOf(pod as unknown as KubeObject);
    if (!node) return;
    let pods = this.byNode.get(node);
    if (!pods) {
      pods = new Map();
      this.byNode.set(node, pods);
    }
    pods.set(pod.metadata?.uid ?? '', pod);
    const handler = this.handlers.get(node);
    if (handler) this.dispatch(handler, 'upsert', pod);
  }

  private remove(pod: Pod): void {
    const node = nodeOf(pod as unknown as KubeObject);
    const pods = this.byNode.get(node);
    if (!pods?.delete(pod.metadata?.uid ?? '')) return;
    if (pods.size === 0) this.byNode.delete(node);
    const handler = this.handlers.get(node);
    if (handler) this.dispatch(handler, 'remove', pod);
  }

  private dispatch(handler: PodSourceHandler, kind: 'upsert' | 'remove', pod: Pod): void {
    try {
      handler[kind](pod);
    } catch (error) {
      this.onError(error);
    }
  }
}
