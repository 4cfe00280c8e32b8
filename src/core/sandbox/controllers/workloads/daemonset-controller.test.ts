import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { DAEMONSETS, NODES, PODS, isPodActive, isPodReady, specOf, statusOf, type Obj } from './common.js';
import { daemonPodNode } from './daemonset-placement.js';
import { eventsOf, listOf, markPodReady, startFixture, type Fixture } from './test-fixture.js';

function daemonSet(podSpec: Obj = {}, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { name: 'agent' } },
      template: { metadata: { labels: { name: 'agent' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }], ...podSpec } },
      ...spec,
    },
  };
}

const live = async (f: Fixture) => (await listOf(f.client, PODS, 'kube-system', 'name=agent')).filter(isPodActive);
const placed = async (f: Fixture) => (await live(f)).map(daemonPodNode).sort();

describe('DaemonSetController', () => {
  let f: Fixture;
  let nodes: string[];
  beforeEach(async () => {
    f = await startFixture({ nodes: 3 });
    nodes = (await listOf(f.client, NODES, '')).map((n) => n.metadata.name ?? '').sort();
  });
  afterEach(async () => {
    await f.close();
  });

  it('one pod per schedulable node, pinned by node affinity, with the daemon tolerations; control plane only when tolerated', async () => {
    const controlPlane = (await listOf(f.client, NODES, '')).find((n) => Array.isArray(specOf(n).taints))?.metadata.name;
    const workers = nodes.filter((n) => n !== controlPlane);
    await f.client.create(DAEMONSETS, 'kube-system', daemonSet());
    await f.settle();
    expect(await placed(f)).toEqual(workers);
    const [pod] = await live(f);
    expect(pod.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(pod.metadata.labels).toMatchObject({ name: 'agent', 'pod-template-generation': '1' });
    expect(pod.metadata.labels?.['controller-revision-hash']).toBeTruthy();
    expect(specOf(pod).affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [daemonPodNode(pod)] }] }] } } });
    expect((specOf(pod).tolerations as Obj[]).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    let ds = await f.client.get(DAEMONSETS, 'kube-system', 'agent');
    expect(statusOf(ds)).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberUnavailable: 2, observedGeneration: 1 });
    for (const p of await live(f)) await markPodReady(f.client, p, f.clock.now());
    await f.settle();
    ds = await f.client.get(DAEMONSETS, 'kube-system', 'agent');
    expect(statusOf(ds)).toMatchObject({ numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2 });
    await f.client.patch(DAEMONSETS, 'kube-system', 'agent', 'merge', {
      spec: { template: { spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } } },
    });
    await f.settle();
    for (let i = 0; i < 4; i++) {
      for (const p of await live(f)) if (!isPodReady(p)) await markPodReady(f.client, p, f.clock.now());
      await f.settle();
    }
    expect(await placed(f)).toEqual(nodes);
    expect((await eventsOf(f.client, 'agent', 'kube-system')).some((e) => e.reason === 'SuccessfulCreate' && e.source.component === 'daemonset-controller')).toBe(true);
  });

  it('follows nodeSelector and node affinity as labels change; a NoExecute taint evicts', async () => {
    await f.client.patch(NODES, '', nodes[1], 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await f.client.create(DAEMONSETS, 'kube-system', daemonSet({ nodeSelector: { disk: 'ssd' }, tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] }));
    await f.settle();
    expect(await placed(f)).toEqual([nodes[1]]);
    await f.client.patch(NODES, '', nodes[2], 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await f.settle();
    expect(await placed(f)).toEqual([nodes[1], nodes[2]]);
    await f.client.patch(NODES, '', nodes[1], 'merge', { metadata: { labels: { disk: null } } });
    await f.settle();
    expect(await placed(f)).toEqual([nodes[2]]);
    await f.client.patch(NODES, '', nodes[2], 'merge', { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
    await f.settle();
    expect(await placed(f)).toEqual([]);
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodes[0]] }] }] } } };
    await f.client.patch(DAEMONSETS, 'kube-system', 'agent', 'merge', { spec: { template: { spec: { nodeSelector: null, affinity } } } });
    await f.settle();
    expect(await placed(f)).toEqual([nodes[0]]);
  });

  it('rolling update replaces one node at a time with maxUnavailable 1', async () => {
    await f.client.create(DAEMONSETS, 'kube-system', daemonSet({ tolerations: [{ operator: 'Exists' }] }));
    await f.settle();
    for (const p of await live(f)) await markPodReady(f.client, p, f.clock.now());
    await f.settle();
    const oldHash = (await live(f))[0].metadata.labels?.['controller-revision-hash'];
    await f.client.patch(DAEMONSETS, 'kube-system', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:v2' }] } } } });
    const seen: number[] = [];
    for (let round = 0; round < 10; round++) {
      await f.settle();
      const pods = await live(f);
      expect(pods.filter((p) => !isPodReady(p)).length).toBeLessThanOrEqual(1);
      const updated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash).length;
      seen.push(updated);
      if (updated === 3 && pods.every(isPodReady)) break;
      for (const p of pods) if (!isPodReady(p)) await markPodReady(f.client, p, f.clock.now());
    }
    expect(seen).toEqual([1, 2, 3, 3]);
    const ds = await f.client.get(DAEMONSETS, 'kube-system', 'agent');
    expect(statusOf(ds)).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 });
  });
});
