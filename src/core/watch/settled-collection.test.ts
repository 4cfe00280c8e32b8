import { describe, expect, it } from 'vitest';
import { SettledCollection } from './settled-collection.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('settled collection', () => {
  it('collects once after many changes have been quiet for a while, not during the burst nor for a few changes', async () => {
    let calls = 0;
    const settled = new SettledCollection({ quietMs: 150, threshold: 100, collect: async () => void calls++ });
    settled.note(50);
    await sleep(400);
    expect(calls).toBe(0);
    // A burst longer than the quiet spell: no collection until it stops.
    for (let i = 0; i < 10; i++) {
      settled.note(20);
      await sleep(40);
    }
    expect(calls).toBe(0);
    await sleep(600);
    expect(calls).toBe(1);
    // Counting starts again after a collection.
    settled.note(10);
    await sleep(400);
    expect(calls).toBe(1);
    settled.dispose();
  });

  it('runs a real memory-reducing collection that the process survives', async () => {
    const settled = new SettledCollection({ quietMs: 10, threshold: 1 });
    settled.note(5);
    for (let i = 0; i < 100 && settled.collections === 0; i++) await sleep(20);
    expect(settled.collections).toBe(1);
    await sleep(50);
    settled.dispose();
  });
});
