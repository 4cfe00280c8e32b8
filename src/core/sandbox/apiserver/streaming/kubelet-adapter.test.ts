import { describe, expect, it } from 'vitest';
import { MemoryLogStore } from '../../kubelet/log-store.js';
import { fleetBackends, parseStampedLine } from './kubelet-adapter.js';
import type { LogEntry } from './backend.js';

describe('the kubelet fleet as streaming backends', () => {
  it('reads and follows the kubelet log store as timestamped entries', () => {
    const logs = new MemoryLogStore();
    const instance = logs.startInstance('default', 'web', 'uid-1', 'app');
    instance.append('stdout', 'first\nsecond\n', new Date('2026-11-24T20:00:00.123Z'));
    const { pods } = fleetBackends({ logs, containerFor: () => undefined, metrics: { nodeMetrics: () => [], podMetrics: () => [] } });
    const read = pods.logs.read('default', 'web', 'app', false) as LogEntry[];
    expect(read).toEqual([
      { time: new Date('2026-11-24T20:00:00.123Z'), line: 'first\n' },
      { time: new Date('2026-11-24T20:00:00.123Z'), line: 'second\n' },
    ]);
    expect(pods.logs.read('default', 'web', 'app', true)).toBeUndefined();
    const followed: string[] = [];
    let ended = false;
    const sub = pods.logs.follow('default', 'web', 'app', (e) => followed.push(e.line), () => (ended = true));
    expect(sub).toBeDefined();
    instance.append('stdout', 'third\n', new Date('2026-11-24T20:00:01Z'));
    instance.end();
    expect(followed).toEqual(['third\n']);
    expect(ended).toBe(true);
  });

  it('answers "nothing running" until the fleet exists', () => {
    const { pods, metrics } = fleetBackends(() => undefined);
    expect(pods.container('default', 'web', 'app')).toBeUndefined();
    expect(pods.logs.read('default', 'web', 'app', false)).toBeUndefined();
    expect(metrics.nodeMetrics()).toEqual([]);
  });

  it('parses the RFC3339Nano prefix', () => {
    expect(parseStampedLine('2026-11-24T20:00:00.123000000Z hello world\n')).toEqual({ time: new Date('2026-11-24T20:00:00.123Z'), line: 'hello world\n' });
  });
});
