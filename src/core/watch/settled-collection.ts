// A big list (50,000 pods) or a burst of changes leaves the backend's heap grown with the garbage
// of parsing and serializing them: V8 keeps that memory (a young generation at its maximum, old
// pages full of dead objects) until its own memory reducer runs, which it does only after a long
// quiet spell, and under a steady trickle of watch events maybe never. Once the informers have been
// quiet for a moment after many changes, one memory-reducing collection gives the memory back at
// once, as the sandbox does after its startup.
import { collectStartupGarbage } from '../sandbox/startup-memory.js';

export interface SettledCollectionOptions {
  /** How long without changes counts as settled. */
  quietMs?: number;
  /** How many object changes since the last collection make one worth its CPU (a full GC). */
  threshold?: number;
  /** The collection itself (tests count calls). */
  collect?: () => Promise<void>;
}

export class SettledCollection {
  private changes = 0;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly quietMs: number;
  private readonly threshold: number;
  private readonly collect: () => Promise<void>;
  /** Collections run so far: visible to tests and diagnostics. */
  collections = 0;

  constructor(options: SettledCollectionOptions = {}) {
    this.quietMs = options.quietMs ?? 2000;
    this.threshold = options.threshold ?? 2000;
    this.collect = options.collect ?? collectStartupGarbage;
  }

  /** `count` objects were listed, changed or deleted. */
  note(count = 1): void {
    if (this.disposed) return;
    this.changes += count;
    this.last = Date.now();
    // One timer for a whole burst, not one per event: it checks the quiet spell when it fires.
    if (this.changes >= this.threshold && this.timer === undefined) this.arm(this.quietMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.disposed) return;
      const quiet = Date.now() - this.last;
      if (quiet < this.quietMs) return this.arm(this.quietMs - quiet);
      const changes = this.changes;
      this.changes = 0;
      this.collections++;
      const started = performance.now();
      void this.collect().then(() => {
        if (process.env.KUBEDESK_WATCH_TRACE) process.stderr.write(`[watch] memory-reducing collection after ${changes} changes in ${(performance.now() - started).toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB\n`);
      });
    }, delay);
    // Never what keeps the process alive.
    this.timer.unref?.();
  }
}
