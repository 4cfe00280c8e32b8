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

  it('combines the 10th distinct message of a reason and stops at 25 events per object, as client-go (a ReplicaSet of 100 pods)', async () => {
    const recorder = new EventRecorder(f.client, f.clock, 'replicaset-controller');
    for (let i = 0; i < 100; i++) recorder.event(pod, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
    await recorder.flush();
    let items = (await f.client.list(EVENTS, 'default')).items;
    const single = items.filter((e) => !String(e.message).startsWith('(combined'));
    expect(single.map((e) => e.message).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `Created pod: web-${i}`).sort());
    expect(single.every((e) => e.count === 1)).toBe(true);
    // 9 events, then the combined one created and patched 15 times: 25 writes; the last 75 are dropped.
    const combined = () => items.filter((e) => String(e.message).startsWith('(combined'));
    expect(combined().map((e) => [e.message, e.count, e.reason])).toEqual([['(combined from similar events): Created pod: web-24', 16, 'SuccessfulCreate']]);
    // Five minutes refill one token: the next one is written, counting the dropped ones as client-go does.
    f.clock.advance(300_000);
    recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-100');
    recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-101');
    await recorder.flush();
    items = (await f.client.list(EVENTS, 'default')).items;
    expect(combined().map((e) => [e.message, e.count, e.lastTimestamp])).toEqual([['(combined from similar events): Created pod: web-100', 92, '2026-01-01T00:05:00Z']]);
    expect(items).toHaveLength(10);
  });

  it('does not combine or limit when told not to (the scheduler records through events.k8s.io)', async () => {
    const recorder = new EventRecorder(f.client, f.clock, 'default-scheduler', undefined, undefined, { correlate: false });
    for (let i = 0; i < 30; i++) recorder.event(pod, 'Warning', 'FailedScheduling', `0/${i} nodes are available`);
    await recorder.flush();
    const items = (await f.client.list(EVENTS, 'default')).items;
    expect(items).toHaveLength(30);
    expect(items.every((e) => e.count === 1 && !String(e.message).startsWith('(combined'))).toBe(true);
  });
});
