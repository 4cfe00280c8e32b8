import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/rpc/terminal-contract.js';
import { LogBuffer, levelOf, toPattern } from './log-buffer.js';

const line = (i: number): LogLine => [i, `t${i}`, 'p', 'c', 0, `line ${i}${i % 10 === 0 ? ' ERROR boom' : ''}`];

describe('LogBuffer', () => {
  it('keeps the newest lines within its capacity', () => {
    const buffer = new LogBuffer(100);
    for (let b = 0; b < 25; b++) buffer.append(Array.from({ length: 10 }, (_, i) => line(b * 10 + i)));
    expect(buffer.size).toBe(100);
    expect(buffer.dropped).toBe(150);
    expect(buffer.at(0)?.[0]).toBe(150);
    expect(buffer.at(99)?.[0]).toBe(249);
    expect(buffer.matching(toPattern('ERROR'))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
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
