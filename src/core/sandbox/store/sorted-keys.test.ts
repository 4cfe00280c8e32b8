import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys.js';

/** Deterministic pseudo-random numbers (xorshift), so a failure replays. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function keysFrom(index: SortedKeys, start: string, limit = Infinity): string[] {
  const out: string[] = [];
  index.forEachFrom(start, (key) => {
    out.push(key);
    return out.length < limit;
  });
  return out;
}

describe('SortedKeys', () => {
  it('keeps keys inserted in any order sorted across chunk splits, as one sorted array would', () => {
    const next = random(42);
    const index = new SortedKeys();
    const reference: string[] = [];
    for (let i = 0; i < 5000; i++) {
      // Names that sort anywhere (events, pods) and names that grow (appends).
      const key = next() < 0.3 ? `/registry/pods/ns/p-${String(i).padStart(6, '0')}` : `/registry/events/ns/e-${Math.floor(next() * 1e9).toString(36)}-${i}`;
      index.insert(key);
      reference.push(key);
    }
    reference.sort();
    expect(index.length).toBe(reference.length);
    expect([...index]).toEqual(reference);
    for (const start of ['', '/registry/events/', '/registry/events/ns/e-m', '/registry/pods/ns/p-002500', '/registry/zzz', reference[1234], `${reference[4321]}\0`]) {
      const from = reference.findIndex((k) => k >= start);
      expect(keysFrom(index, start)).toEqual(from < 0 ? [] : reference.slice(from));
      expect(keysFrom(index, start, 3)).toEqual(from < 0 ? [] : reference.slice(from, from + 3));
    }
  });

  it('filters into a new index and iterates nothing when empty', () => {
    const index = new SortedKeys();
    expect(keysFrom(index, 'a')).toEqual([]);
    for (const key of ['d', 'b', 'a', 'c', 'e']) index.insert(key);
    const kept = index.filter((k) => k !== 'c' && k !== 'a');
    expect([...kept]).toEqual(['b', 'd', 'e']);
    expect(kept.length).toBe(3);
    expect([...index]).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
