import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/rpc/terminal-contract.js';
import { LogsState } from './shell-store.js';

const lines = (from: number, n: number): LogLine[] => Array.from({ length: n }, (_, i) => [from + i, `t${from + i}`, 'p', 'c', 0, `line ${from + i}`]);

describe('LogsState', () => {
  it('pause holds new lines and resume shows them all, in order, none lost', () => {
    const logs = new LogsState('s1', 'pod/app');
    logs.receive(lines(0, 10));
    logs.setPaused(true);
    logs.receive(lines(10, 5));
    logs.receive(lines(15, 5));
    expect(logs.buffer.size).toBe(10);
    expect(logs.heldCount).toBe(10);
    logs.setPaused(false);
    expect(logs.heldCount).toBe(0);
    expect(logs.buffer.size).toBe(20);
    expect(Array.from({ length: 20 }, (_, i) => logs.buffer.at(i)![0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
