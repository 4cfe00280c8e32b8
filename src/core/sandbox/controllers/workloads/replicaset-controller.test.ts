import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { PODS, REPLICASETS, statusOf } from './common.js';
import { eventsOf, listOf, markPodReady, startFixture, type Fixture } from './test-fixture.js';
import { podsToDelete } from './replicaset-controller.js';

function replicaSet(name: string, replicas: number, minReadySeconds = 0): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      minReadySeconds,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

describe('ReplicaSetController', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates owned pods named <rs>-<5 chars> with the template labels, and records events', async () => {
    await f.client.create(REPLICASETS, 'default', replicaSet('web', 3));
    await f.settle();
    const pods = await listOf(f.client, PODS, 'default', 'app=web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true, blockOwnerDeletion: true });
    }
    const events = await eventsOf(f.client, 'web');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(events[0].source.component).toBe('replicaset-controller');
    const rs = await f.client.get(REPLICASETS, 'default', 'web');
    expect(statusOf(rs)).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect(f.errors).toEqual([]);
  });

  it('scales down preferring pods not ready, counts ready and available pods after minReadySeconds', async () => {
    await f.client.create(REPLICASETS, 'default', replicaSet('web', 3, 10));
    await f.settle();
    const pods = await listOf(f.client, PODS, 'default', 'app=web');
    await markPodReady(f.client, pods[0], f.clock.now());
    await markPodReady(f.client, pods[1], f.clock.now());
    await f.settle();
    let rs = await f.client.get(REPLICASETS, 'default', 'web');
    expect(statusOf(rs)).toMatchObject({ replicas: 3, readyReplicas: 2 });
    expect(statusOf(rs).availableReplicas ?? 0).toBe(0);
    await f.advance(11_000);
    rs = await f.client.get(REPLICASETS, 'default', 'web');
    expect(statusOf(rs).availableReplicas).toBe(2);
    await f.client.patch(REPLICASETS, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await f.settle();
    const left = (await listOf(f.client, PODS, 'default', 'app=web')).map((p) => p.metadata.name).sort();
    expect(left).toEqual([pods[0].metadata.name, pods[1].metadata.name].sort());
    expect((await eventsOf(f.client, 'web')).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${pods[2].metadata.name}`)).toBe(true);
  });

  it('adopts a matching orphan and replaces a deleted pod', async () => {
    await f.client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await f.client.create(REPLICASETS, 'default', replicaSet('web', 2));
    await f.settle();
    const pods = await listOf(f.client, PODS, 'default', 'app=web');
    expect(pods).toHaveLength(2);
    const orphan = pods.find((p) => p.metadata.name === 'orphan');
    expect(orphan?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
    await f.client.delete(PODS, 'default', 'orphan');
    await f.settle();
    const after = await listOf(f.client, PODS, 'default', 'app=web');
    expect(after).toHaveLength(2);
    expect(after.some((p) => p.metadata.name === 'orphan')).toBe(false);
  });
});

describe('podsToDelete', () => {
  const p = (name: string, node: string | undefined, phase: string, ready: boolean, created: string): KubeObject => ({
    metadata: { name, creationTimestamp: created },
    spec: node ? { nodeName: node } : {},
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: created }] },
  });
  it('orders unscheduled, pending, not ready, then newest', () => {
    const pods = [
      p('old-ready', 'n1', 'Running', true, '2026-01-01T00:00:00Z'),
      p('new-ready', 'n1', 'Running', true, '2026-01-01T00:05:00Z'),
      p('not-ready', 'n1', 'Running', false, '2026-01-01T00:00:00Z'),
      p('pending', 'n1', 'Pending', false, '2026-01-01T00:00:00Z'),
      p('unscheduled', undefined, 'Pending', false, '2026-01-01T00:00:00Z'),
    ];
    expect(podsToDelete(pods, 5).map((x) => x.metadata.name)).toEqual(['unscheduled', 'pending', 'not-ready', 'new-ready', 'old-ready']);
  });
});
