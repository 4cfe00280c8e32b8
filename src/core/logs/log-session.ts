// Logs of many pods at once, as stern shows them: the pods of a label selector (or named pods),
// every container (init containers too when asked), merged in time order, a colour index per pod,
// and pods that appear later joined automatically.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Disposable } from '../../shared/disposable.js';
import type { LogTargetParams } from '../../shared/rpc/terminal-contract.js';
import { kubeGet } from '../app/kube-http.js';
import { ContainerLog, type LogEntry } from './container-log.js';

/** What to follow: the RPC contract's parameters as they come from the UI. */
export type LogTarget = LogTargetParams;

export interface SessionEntry extends LogEntry {
  /** Stable per pod within the session: the UI maps it to a colour. */
  colour: number;
}

export interface LogSessionHandlers {
  onEntries(entries: SessionEntry[]): void;
  /** Streams joining, reconnecting or ending, in words for the status line. */
  onStatus?(message: string): void;
}

interface PodShape {
  metadata?: { name?: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string };
}

export class LogSession implements Disposable {
  private readonly streams = new Map<string, ContainerLog>();
  private readonly colours = new Map<string, number>();
  private pending: SessionEntry[] = [];
  private flushTimer?: ReturnType<typeof setTimeout>;
  private pollTimer?: ReturnType<typeof setTimeout>;
  private disposed = false;

  constructor(
    private readonly config: KubeConfig,
    private readonly target: LogTarget,
    private readonly handlers: LogSessionHandlers,
    /** How often the pod list is refreshed to join new pods; also the merge window is derived from it. */
    private readonly pollMs = 2000,
    /** Entries wait this long so that lines of different pods come out in time order. */
    private readonly mergeMs = 150,
  ) {
    void this.poll();
  }

  /** "pod/container" keys of the streams open now. */
  get streamKeys(): string[] {
    return [...this.streams.keys()];
  }

  private async poll(): Promise<void> {
    if (this.disposed) return;
    try {
      for (const pod of await this.listPods()) this.join(pod);
    } catch (error) {
      this.handlers.onStatus?.(`cannot list pods: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!this.disposed && this.target.follow) this.pollTimer = setTimeout(() => void this.poll(), this.pollMs);
  }

  private async listPods(): Promise<PodShape[]> {
    const ns = encodeURIComponent(this.target.namespace);
    if (this.target.selector !== undefined) {
      const list = (await kubeGet(this.config, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(this.target.selector)}`)) as { items?: PodShape[] };
      return (list.items ?? []).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    }
    const pods: PodShape[] = [];
    for (const name of this.target.pods ?? []) {
      if ([...this.streams.keys()].some((k) => k.startsWith(`${name}/`))) continue;
      pods.push((await kubeGet(this.config, `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}`)) as PodShape);
    }
    return pods;
  }

  private join(pod: PodShape): void {
    const name = pod.metadata?.name;
    if (!name || pod.status?.phase === 'Pending') return;
    const t = this.target;
    const containers = [...(t.includeInitContainers ? (pod.spec?.initContainers ?? []) : []), ...(pod.spec?.containers ?? [])].map((c) => c.name).filter((c) => t.container === undefined || c === t.container);
    if (!this.colours.has(name)) this.colours.set(name, this.colours.size);
    const colour = this.colours.get(name)!;
    for (const container of containers) {
      const key = `${name}/${container}`;
      if (this.streams.has(key)) continue;
      this.handlers.onStatus?.(`joined ${key}`);
      const log = new ContainerLog(
        this.config,
        { namespace: t.namespace, pod: name, container, follow: t.follow, tailLines: t.tailLines, sinceSeconds: t.sinceSeconds, sinceTime: t.sinceTime, previous: t.previous },
        {
          onEntries: (entries) => this.add(entries.map((e) => ({ ...e, colour }))),
          onRetry: (reason) => this.handlers.onStatus?.(`${key}: reconnecting (${reason})`),
          onEnd: (reason) => {
            this.handlers.onStatus?.(`${key}: ended${reason ? ` (${reason})` : ''}`);
            // A pod re-created under the same name (StatefulSet) is joined again by the next poll.
            if (this.streams.get(key) === log) this.streams.delete(key);
          },
        },
      );
      this.streams.set(key, log);
    }
  }

  private add(entries: SessionEntry[]): void {
    this.pending.push(...entries);
    this.flushTimer ??= setTimeout(() => this.flush(), this.mergeMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.disposed || this.pending.length === 0) return;
    // Sort is stable: lines of one container with equal times keep their order.
    const batch = this.pending.sort((a, b) => a.time - b.time || (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    this.pending = [];
    this.handlers.onEntries(batch);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.flushTimer);
    for (const s of this.streams.values()) s.dispose();
    this.streams.clear();
  }
}
