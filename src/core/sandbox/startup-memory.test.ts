import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from './startup-memory.js';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

describe('startup garbage collection', () => {
  it('shrinks a young generation grown by a burst of long-lived allocations, and the process carries on', async () => {
    // What startup does: many objects that survive a while, which makes V8 grow its young generation.
    let kept: unknown[] = [];
    for (let i = 0; i < 2_000_000; i++) kept.push({ i, s: `v${i}` });
    const grown = newSpace();
    kept = [];
    await collectStartupGarbage();
    expect(newSpace()).toBeLessThan(grown);
    // The inspector session is gone and the event loop still runs (disconnecting too early deadlocks it).
    await new Promise((r) => setTimeout(r, 10));
    await collectStartupGarbage();
    expect(kept).toEqual([]);
  });
});
