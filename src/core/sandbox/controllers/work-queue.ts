// A deduplicating work queue with retry and back-off on failure, as client-go's rate-limited
// workqueue: a key queued while it is being processed runs again after, never twice at once. Like
// kube-controller-manager's --concurrent-*-syncs, several keys may be processed at a time (workers):
// each sync waits on its writes' commits, and one worker left the controller idle meanwhile.
import type { Clock } from '../../clock/clock.js';

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: (key: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly onError: (key: string, error: unknown) => void = () => undefined,
    /** Keys processed at once (kube-controller-manager's ConcurrentReplicaSetSyncs and the like). */
    private readonly workers = 1,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.queued.add(key);
    if (this.active < this.workers && !this.processing.has(key)) {
      this.active++;
      void this.work();
    }
  }

  addAfter(key: string, ms: number): void {
    this.clock.setTimeout(() => this.add(key), ms);
  }

  stop(): void {
    this.stopped = true;
    this.queued.clear();
  }

  /** Resolves once nothing is queued or running (for tests and orderly shutdown). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queued.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The oldest queued key no worker holds. */
  private next(): string | undefined {
    for (const key of this.queued) if (!this.processing.has(key)) return key;
    return undefined;
  }

  private async work(): Promise<void> {
    for (let key = this.next(); key !== undefined && !this.stopped; key = this.next()) {
      this.queued.delete(key);
      this.processing.add(key);
      try {
        await this.process(key);
        this.failures.delete(key);
      } catch (error) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.onError(key, error);
        // 5 ms doubling to 1000 s, client-go's default item back-off, capped lower for a sandbox.
        this.addAfter(key, Math.min(5 * 2 ** n, 60_000));
      } finally {
        this.processing.delete(key);
      }
    }
    this.active--;
    if (this.active > 0 || (this.queued.size > 0 && !this.stopped)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
