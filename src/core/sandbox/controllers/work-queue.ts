// A deduplicating work queue processed one key at a time, with retry and back-off on failure, as
// client-go's rate-limited workqueue: a key queued while it is being processed runs again after.
import type { Clock } from '../../clock/clock.js';

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private running = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: (key: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly onError: (key: string, error: unknown) => void = () => undefined,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.queued.add(key);
    if (!this.running) void this.drain();
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
    if (!this.running && this.queued.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queued.size > 0 && !this.stopped) {
      const key = this.queued.values().next().value as string;
      this.queued.delete(key);
      try {
        await this.process(key);
        this.failures.delete(key);
      } catch (error) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.onError(key, error);
        // 5 ms doubling to 1000 s, client-go's default item back-off, capped lower for a sandbox.
        this.addAfter(key, Math.min(5 * 2 ** n, 60_000));
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
