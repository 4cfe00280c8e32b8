// kube-scheduler's scheduling queue, reduced to what a sandbox needs: an active queue ordered by
// priority (FIFO within a priority), a back-off per pod (1 s doubling to 10 s) and the unschedulable
// pods, moved back when the cluster changes and at the latest after 5 minutes.
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration. */
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
const FLUSH_EVERY_MS = 30_000;

export class SchedulingQueue implements Disposable {
  private readonly buckets = new Map<number, Set<string>>();
  private readonly priorities = new Map<string, number>();
  private readonly unschedulable = new Map<string, number>();
  private readonly attempts = new Map<string, { count: number; at: number }>();
  private readonly timers = new Map<string, Disposable>();
  private flushTimer: Disposable | undefined;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onActive: () => void,
  ) {
    this.armFlush();
  }

  get activeCount(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size;
    return n;
  }

  add(key: string, priority: number): void {
    if (this.disposed) return;
    this.unschedulable.delete(key);
    this.timers.get(key)?.dispose();
    this.timers.delete(key);
    const old = this.priorities.get(key);
    if (old !== undefined) this.buckets.get(old)?.delete(key);
    this.priorities.set(key, priority);
    let bucket = this.buckets.get(priority);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(priority, bucket);
    }
    bucket.add(key);
    this.onActive();
  }

  pop(): string | undefined {
    const ordered = [...this.buckets.keys()].sort((a, b) => b - a);
    for (const p of ordered) {
      const bucket = this.buckets.get(p);
      const key = bucket?.values().next().value;
      if (bucket && key !== undefined) {
        bucket.delete(key);
        this.priorities.delete(key);
        if (bucket.size === 0) this.buckets.delete(p);
        return key;
      }
    }
    return undefined;
  }

  /** The pod failed to schedule: park it until something changes (or 5 minutes pass). */
  markUnschedulable(key: string, priority: number): void {
    const now = this.clock.now().getTime();
    const previous = this.attempts.get(key);
    this.attempts.set(key, { count: (previous?.count ?? 0) + 1, at: now });
    this.unschedulable.set(key, priority);
  }

  /** Retry soon (after back-off), e.g. a failed binding. */
  backoff(key: string, priority: number): void {
    this.markUnschedulable(key, priority);
    this.activateAfterBackoff(key);
  }

  forget(key: string): void {
    const p = this.priorities.get(key);
    if (p !== undefined) this.buckets.get(p)?.delete(key);
    this.priorities.delete(key);
    this.unschedulable.delete(key);
    this.attempts.delete(key);
    this.timers.get(key)?.dispose();
    this.timers.delete(key);
  }

  /** A node or an assigned pod changed: every parked pod may fit now. */
  moveAllToActive(): void {
    for (const key of [...this.unschedulable.keys()]) this.activateAfterBackoff(key);
  }

  isUnschedulable(key: string): boolean {
    return this.unschedulable.has(key);
  }

  dispose(): void {
    this.disposed = true;
    this.flushTimer?.dispose();
    for (const t of this.timers.values()) t.dispose();
    this.timers.clear();
  }

  private backoffMs(key: string): number {
    const count = this.attempts.get(key)?.count ?? 1;
    return Math.min(INITIAL_BACKOFF_MS * 2 ** (count - 1), MAX_BACKOFF_MS);
  }

  private activateAfterBackoff(key: string): void {
    const priority = this.unschedulable.get(key);
    if (priority === undefined || this.timers.has(key)) return;
    const at = (this.attempts.get(key)?.at ?? 0) + this.backoffMs(key);
    const wait = at - this.clock.now().getTime();
    if (wait <= 0) {
      this.add(key, priority);
      return;
    }
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        if (this.unschedulable.has(key)) this.add(key, priority);
      }, wait),
    );
  }

  private armFlush(): void {
    if (this.disposed) return;
    this.flushTimer = this.clock.setTimeout(() => {
      const now = this.clock.now().getTime();
      for (const [key, priority] of [...this.unschedulable]) {
        if (now - (this.attempts.get(key)?.at ?? now) >= MAX_UNSCHEDULABLE_MS) this.add(key, priority);
      }
      this.armFlush();
    }, FLUSH_EVERY_MS);
  }
}
