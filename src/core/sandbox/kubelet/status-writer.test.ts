import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/clock.js';
import type { ContainerRecord, PodView } from './pod-status.js';
import { StatusWriter } from './status-writer.js';

const T0 = new Date('2026-01-01T00:00:00Z');

function setup() {
  const container: ContainerRecord = { name: 'c', init: false, image: 'nginx', imageID: '', state: { kind: 'waiting', reason: 'ContainerCreating' }, restartCount: 0, ready: false, started: false, volumeMounts: [] };
  const view: PodView = { sandboxReady: true, hostIP: '172.18.0.3', podIP: '10.244.1.2', startTime: T0, containers: [container], initContainers: [] };
  const pod: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Pending', qosClass: 'BestEffort' } };
  const written: PodStatus[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const writer = new StatusWriter(
    () => ({ pod, view }),
    async (_pod, status) => {
      written.push(status);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
    },
    new FakeClock(T0),
    (error) => {
      throw error;
    },
  );
  return { writer, container, written, holdWrites: (on: boolean) => (hold = on), release: () => release?.() };
}

describe('StatusWriter', () => {
  it('answers the requests of one turn with one write, and none when nothing changed', async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) s.writer.request();
    await s.writer.flushed();
    expect(s.written.map((w) => w.phase)).toEqual(['Pending']);
    s.writer.request();
    await s.writer.flushed();
    expect(s.written).toHaveLength(1);
  });

  it('answers requests made while a write is in flight with one more write of the latest state', async () => {
    const s = setup();
    s.holdWrites(true);
    s.writer.request();
    await new Promise((r) => setImmediate(r));
    expect(s.written).toHaveLength(1);
    s.container.state = { kind: 'running', startedAt: T0 };
    s.container.started = true;
    s.writer.request();
    await new Promise((r) => setImmediate(r));
    s.container.ready = true;
    s.writer.request();
    s.holdWrites(false);
    s.release();
    await s.writer.flushed();
    expect(s.written.map((w) => [w.phase, w.containerStatuses?.[0].ready])).toEqual([
      ['Pending', false],
      ['Running', true],
    ]);
  });
});
