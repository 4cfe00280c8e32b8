import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { EventRecorder } from './recorder.js';
import { startFixture, type Fixture } from '../workloads/test-fixture.js';

const EVENTS = { group: '', resource: 'events' };

describe('EventRecorder', () => {
  let f: Fixture;
  let pod: KubeObject;
  beforeEach(async () => {
    f = await startFixture();
    pod = await f.client.create({ group: '', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  });
  afterEach(async () => {
    await f.close();
  });

  it('writes a core/v1 Event with source, reporting component, involvedObject and timestamps', async () => {
    const recorder = new EventRecorder(f.client, f.clock, 'kubelet', 'node-1');
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod web_default(uid)');
    await recorder.flush();
    const [event] = (await f.client.list(EVENTS, 'default')).items;
    expect(event).toMatchObject({
      reason: 'BackOff',
      type: 'Warning',
      count: 1,
      source: { component: 'kubelet', host: 'node-1' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: pod.metadata.uid, apiVersion: 'v1' },
    });
    expect(event.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('aggregates a repeat within 10 minutes into count and lastTimestamp, and starts afresh after', async () => {
    const recorder = new EventRecorder(f.client, f.clock, 'kubelet');
    recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
    f.clock.advance(60_000);
    recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
    f.clock.advance(60_000);
    recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
    recorder.event(pod, 'Normal', 'Started', 'Started container c');
    await recorder.flush();
    let items = (await f.client.list(EVENTS, 'default')).items;
    expect(items.map((e) => [e.reason, e.count, e.firstTimestamp, e.lastTimestamp]).sort()).toEqual([
      ['Pulled', 3, '2026-01-01T00:00:00Z', '2026-01-01T00:02:00Z'],
      ['Started', 1, '2026-01-01T00:02:00Z', '2026-01-01T00:02:00Z'],
    ]);
    f.clock.advance(11 * 60_000);
    recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
    await recorder.flush();
    items = (await f.client.list(EVENTS, 'default')).items;
    expect(items.filter((e) => e.reason === 'Pulled').map((e) => e.count).sort()).toEqual([1, 3]);
  });

  it('writes many events at once yet keeps their recording order in names and a repeat counted once per call', async () => {
    const recorder = new EventRecorder(f.client, f.clock, 'default-scheduler');
    const recorded: string[] = [];
    for (let i = 0; i < 40; i++) {
      const other = { ...pod, metadata: { ...pod.metadata, uid: `uid-${i}` } };
      recorder.event(other, 'Normal', 'Scheduled', `Successfully assigned default/web to node-${i}`);
      recorded.push(`node-${i}`);
      if (i % 10 === 0) recorder.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available');
    }
    await recorder.flush();
    const items = (await f.client.list(EVENTS, 'default')).items;
    const scheduled = items.filter((e) => e.reason === 'Scheduled').sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    expect(scheduled.map((e) => String(e.message).split(' to ')[1])).toEqual(recorded);
    expect(items.filter((e) => e.reason === 'FailedScheduling').map((e) => e.count)).toEqual([4]);
  });
});
