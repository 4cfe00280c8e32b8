import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/clock.js';
import { WorkQueue } from './work-queue.js';

/** A sync that waits until released, recording how many run at once and in which order they start. */
function harness(workers: number) {
  const started: string[] = [];
  const running = new Map<string, () => void>();
  let peak = 0;
  const queue = new WorkQueue(
    (key) =>
      new Promise<void>((resolve) => {
        if (running.has(key)) throw new Error(`${key} synced twice at once`);
        started.push(key);
        running.set(key, () => {
          running.delete(key);
          resolve();
        });
        peak = Math.max(peak, running.size);
      }),
    new FakeClock(),
    () => undefined,
    workers,
  );
  const release = async (key: string) => {
    running.get(key)?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { queue, started, running, release, peak: () => peak };
}

describe('WorkQueue', () => {
  it('syncs up to `workers` keys at once, oldest first, and never one key twice at once', async () => {
    const h = harness(2);
    for (const k of ['a', 'b', 'c', 'c', 'd']) h.queue.add(k);
    expect(h.started).toEqual(['a', 'b']);
    // Queued again while it runs: it runs once more after, not beside itself.
    h.queue.add('a');
    await h.release('a');
    expect(h.started).toEqual(['a', 'b', 'c']);
    await h.release('b');
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
    await h.release('c');
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'a']);
    let idle = false;
    void h.queue.idle().then(() => (idle = true));
    await h.release('d');
    expect(idle).toBe(false);
    await h.release('a');
    expect(idle).toBe(true);
    expect(h.peak()).toBe(2);
  });

  it('with one worker processes keys one after another (the default)', async () => {
    const h = harness(1);
    for (const k of ['a', 'b', 'c']) h.queue.add(k);
    expect(h.started).toEqual(['a']);
    await h.release('a');
    await h.release('b');
    expect(h.started).toEqual(['a', 'b', 'c']);
    await h.release('c');
    expect(h.peak()).toBe(1);
    await h.queue.idle();
  });
});
