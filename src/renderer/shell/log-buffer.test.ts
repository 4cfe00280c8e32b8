import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/rpc/terminal-contract.js';
import { LogBuffer, LogFilter, levelOf, toPattern } from './log-buffer.js';

const BASE = Date.parse('2026-11-24T20:00:00Z');
const stamp = (i: number) => `${new Date(BASE + i).toISOString().slice(0, 23)}${String(i % 1_000_000).padStart(6, '0')}Z`;
const line = (i: number, pod = 'p'): LogLine => [BASE + i, stamp(i), pod, 'c', pod === 'p' ? 0 : 1, `line ${i}${i % 10 === 0 ? ' ERROR boom' : ''}`];
const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => line(from + i));

describe('LogBuffer', () => {
  it('keeps the newest lines within its capacity', () => {
    const buffer = new LogBuffer(100);
    for (let b = 0; b < 25; b++) buffer.append(batch(b * 10, 10));
    expect(buffer.size).toBe(100);
    expect(buffer.dropped).toBe(150);
    expect(buffer.at(0)?.[0]).toBe(BASE + 150);
    expect(buffer.at(99)?.[0]).toBe(BASE + 249);
    expect(buffer.at(100)).toBeUndefined();
    expect(buffer.matching(toPattern('ERROR'))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('gives back every field as it was appended: nanosecond timestamps, pod, container, colour, UTF-8 text', () => {
    const buffer = new LogBuffer(10);
    const lines: LogLine[] = [
      [BASE + 123, '2026-11-24T20:00:00.123456789Z', 'web-1', 'nginx', 3, 'GET / 200 — café ☕ 日本'],
      [BASE + 124, '2026-11-24T20:00:00.124000000Z', 'web-2', 'sidecar', 4, ''],
      [BASE + 125, '2026-11-24T20:00:00.125000001Z', 'web-1', 'nginx', 3, 'a\nb'],
    ];
    buffer.append(lines);
    expect(buffer.at(0)).toEqual(lines[0]);
    expect(buffer.at(1)).toEqual(lines[1]);
    // A newline inside a text cannot split it into two lines.
    expect(buffer.at(2)?.[5]).toBe('a b');
    expect(buffer.size).toBe(3);
    expect(buffer.textLength(0)).toBe(new TextEncoder().encode(lines[0][5]).length);
  });

  it('stays correct as it grows, wraps around its ring many times and frees old chunks', () => {
    const buffer = new LogBuffer(5000);
    const long = 'x'.repeat(3000);
    for (let b = 0; b < 60; b++) buffer.append(Array.from({ length: 1000 }, (_, i): LogLine => [b * 1000 + i, stamp(0), `pod-${(b * 1000 + i) % 3}`, 'c', 0, `${b * 1000 + i} ${long}`]));
    expect(buffer.size).toBe(5000);
    for (const i of [0, 1, 2499, 4999]) {
      expect(buffer.at(i)?.[0]).toBe(55_000 + i);
      expect(buffer.text(i)).toBe(`${55_000 + i} ${long}`);
      expect(buffer.sourceOf(i).pod).toBe(`pod-${(55_000 + i) % 3}`);
    }
    // Only the chunks of the live lines stay: about 5000 × 3 KB, not 60,000 × 3 KB.
    expect(buffer.textBytes).toBeLessThan(5000 * 3010 + 2 * (1 << 20));
    expect(buffer.matching(/^59999 /)).toEqual([4999]);
  });

  it('a filter follows appends incrementally and drops the lines the ring dropped', () => {
    const buffer = new LogBuffer(50);
    const filter = new LogFilter(buffer, toPattern('error')!);
    buffer.append(batch(0, 30));
    expect(filter.update()).toBe(3);
    expect([0, 1, 2].map((i) => buffer.at(filter.indexAt(i))?.[5])).toEqual(['line 0 ERROR boom', 'line 10 ERROR boom', 'line 20 ERROR boom']);
    buffer.append(batch(30, 40));
    // Lines 0..19 were dropped: 20, 30, 40, 50, 60 remain.
    expect(filter.update()).toBe(5);
    expect(buffer.text(filter.indexAt(0))).toBe('line 20 ERROR boom');
    expect(buffer.text(filter.indexAt(4))).toBe('line 60 ERROR boom');
    for (let k = 0; k < 200; k++) buffer.append(batch(70 + k * 10, 10));
    expect(filter.update()).toBe(5);
    expect(buffer.text(filter.indexAt(4))).toBe('line 2060 ERROR boom');
    buffer.clear();
    expect(filter.update()).toBe(0);
    buffer.append(batch(0, 11));
    expect(filter.update()).toBe(2);
  });

  it('downloads every line with its pod and container', () => {
    const buffer = new LogBuffer(10);
    buffer.append([line(1), line(2, 'q')]);
    expect(buffer.toText(false)).toBe('[p/c] line 1\n[q/c] line 2\n');
    expect(buffer.toText(true).split('\n')[0]).toBe(`${stamp(1)} [p/c] line 1`);
  });

  it('reads filters as regexes, or literally when they are not valid ones; finds levels', () => {
    expect(toPattern('line 1[0-2]$')!.test('line 11')).toBe(true);
    expect(toPattern('a(b')!.test('xa(by')).toBe(true);
    expect(levelOf('2026 ERROR disk full')).toBe('error');
    expect(levelOf('{"level":"warn","msg":"x"}')).toBe('warn');
    expect(levelOf('level=debug msg=x')).toBe('debug');
    expect(levelOf('hello')).toBeUndefined();
  });
});
