// Time is injected everywhere in the sandbox so tests can drive it (a fake clock) and the sandbox can
// run faster than real time when a learner wants to.
import type { Disposable } from '../../shared/disposable.js';

export interface Clock {
  now(): Date;
  /** Calls fn after ms of this clock's time. */
  setTimeout(fn: () => void, ms: number): Disposable;
}

export const realClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { dispose: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to. Timers fire in order during advance(). */
export class FakeClock implements Clock {
  private current: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, ms: number): Disposable {
    const id = this.nextId++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, id });
    return { dispose: () => (this.timers = this.timers.filter((t) => t.id !== id)) };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}
