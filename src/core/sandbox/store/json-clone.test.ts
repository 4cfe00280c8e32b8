import { describe, expect, it } from 'vitest';
import { cloneJson } from './json-clone.js';

describe('cloneJson', () => {
  it('copies nested objects and arrays deeply, keeping key order and undefined values', () => {
    const source = { b: 1, a: { list: [1, { x: 'y' }, null], flag: true }, u: undefined };
    const copy = cloneJson(source);
    expect(copy).toEqual(source);
    expect(Object.keys(copy)).toEqual(['b', 'a', 'u']);
    expect('u' in copy).toBe(true);
    copy.a.list.push(2);
    (copy.a.list[1] as { x: string }).x = 'changed';
    expect(source.a.list).toEqual([1, { x: 'y' }, null]);
  });

  it('hands non-plain values (dates, buffers) and cycles to structuredClone', () => {
    const when = new Date(0);
    const copy = cloneJson({ when, bytes: new Uint8Array([1, 2]) });
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(when);
    expect(Array.from(copy.bytes)).toEqual([1, 2]);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const copied = cloneJson(cyclic);
    expect(copied.name).toBe('loop');
    expect(copied).not.toBe(cyclic);
  });

  it('returns primitives as they are', () => {
    expect(cloneJson(3)).toBe(3);
    expect(cloneJson('s')).toBe('s');
    expect(cloneJson(null)).toBe(null);
  });
});
