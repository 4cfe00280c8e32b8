// Coalesced pod status writes: one pods/status patch per burst of changes, none when nothing
// changed, in order. Conditions keep their lastTransitionTime from what was last written, not from
// a possibly stale informer copy.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.js';
import { computePodStatus, type PodView } from './pod-status.js';

export class StatusWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private lastWritten = '';
  private lastStatus: PodStatus | undefined;
  stopped = false;

  constructor(
    private readonly current: () => { pod: Pod; view: PodView },
    private readonly write: (pod: Pod, status: PodStatus) => Promise<void>,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.chain = this.chain.then(() => this.flushNow()).catch((error: unknown) => this.onError(error));
    });
  }

  /** Resolves once every requested write is done. */
  async flushed(): Promise<void> {
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await this.chain;
  }

  private async flushNow(): Promise<void> {
    if (this.stopped) return;
    const { pod, view } = this.current();
    const base: Pod = this.lastStatus ? { ...pod, status: { ...pod.status, conditions: this.lastStatus.conditions } } : pod;
    const status = computePodStatus(base, view, this.clock.now());
    const key = JSON.stringify(status);
    if (key === this.lastWritten) return;
    this.lastStatus = status;
    this.lastWritten = key;
    await this.write(pod, status);
  }
}
