import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { startClusterControllers, type RunningClusterControllers } from './index.js';
import { eventsFor, eventually, NODES, pod, PODS, startTestControlPlane, type TestControlPlane } from './test-control-plane.js';

const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };
let cp: TestControlPlane;
let running: RunningClusterControllers;

beforeAll(async () => {
  cp = await startTestControlPlane(3);
  await eventually(() => cp.client.get({ group: '', resource: 'serviceaccounts' }, 'default', 'default'), 'default service account');
  running = startClusterControllers({ client: cp.client, clock: cp.clock, onError: (e) => console.error(e) });
  await running.ready;
});
afterAll(async () => {
  running.dispose();
  await cp.close();
});

async function renew(node: string): Promise<void> {
  const lease = await cp.client.get(LEASES, 'kube-node-lease', node);
  await cp.client.update(LEASES, 'kube-node-lease', { ...lease, spec: { ...(lease.spec as object), renewTime: cp.clock.now().toISOString().replace('Z', '000Z') } });
}

/** Move time on in 5 s steps; the nodes in `alive` keep renewing their leases. */
async function advance(ms: number, alive: string[], step = 5000): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    for (const n of alive) await renew(n);
    await running.idle();
    cp.clock.advance(step);
    await running.idle();
  }
}

function taints(node: KubeObject): { key: string; effect: string }[] {
  return ((node.spec as { taints?: { key: string; effect: string }[] } | undefined)?.taints ?? []).map(({ key, effect }) => ({ key, effect }));
}

it('a node whose lease stops gets Ready=Unknown and unreachable taints; its pods are evicted after tolerationSeconds', async () => {
  const onWorker = { nodeName: 'kubedesk-worker' };
  await cp.client.create(PODS, 'default', pod('slow', onWorker));
  await cp.client.create(PODS, 'default', pod('quick', { ...onWorker, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }] }));
  const slow = await cp.client.get(PODS, 'default', 'slow');
  // DefaultTolerationSeconds gives every pod 300 s on an unreachable node.
  expect((slow.spec as { tolerations?: unknown[] }).tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });

  const alive = ['kubedesk-control-plane', 'kubedesk-worker2'];
  await advance(30_000, alive);
  expect(taints(await cp.client.get(NODES, '', 'kubedesk-worker'))).toEqual([]);
  await advance(15_000, alive);
  const node = await eventually(async () => {
    const n = await cp.client.get(NODES, '', 'kubedesk-worker');
    return taints(n).length === 2 ? n : undefined;
  }, 'unreachable taints');
  expect(taints(node)).toEqual([
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
  ]);
  const ready = ((node.status as { conditions: { type: string; status: string; reason: string; message: string }[] }).conditions).find((c) => c.type === 'Ready');
  expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  expect(taints(await cp.client.get(NODES, '', 'kubedesk-worker2'))).toEqual([]);

  await advance(25_000, alive);
  await eventually(async () => {
    const list = await cp.client.list(PODS, 'default');
    const quick = list.items.find((p) => p.metadata.name === 'quick');
    return !quick || quick.metadata.deletionTimestamp ? true : undefined;
  }, 'quick evicted');
  const quickNow = (await cp.client.list(PODS, 'default')).items.find((p) => p.metadata.name === 'quick');
  if (quickNow) expect((quickNow.status as { conditions?: unknown[] }).conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }));
  const slowNow = await cp.client.get(PODS, 'default', 'slow');
  expect(slowNow.metadata.deletionTimestamp).toBeUndefined();
  const evictions = await eventsFor(cp.client, 'default', 'quick');
  expect(evictions.map((e) => e.reason)).toContain('TaintManagerEviction');

  await advance(280_000, alive, 20_000);
  await eventually(async () => {
    const list = await cp.client.list(PODS, 'default');
    const p = list.items.find((x) => x.metadata.name === 'slow');
    return !p || p.metadata.deletionTimestamp ? true : undefined;
  }, 'slow evicted after 300 s');

  // The kubelet comes back: its lease renews and the taints go.
  await advance(5000, [...alive, 'kubedesk-worker']);
  await eventually(async () => taints(await cp.client.get(NODES, '', 'kubedesk-worker')).length === 0, 'taints removed');
  const back = await cp.client.get(NODES, '', 'kubedesk-worker');
  expect((back.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
}, 30_000);

it('a node reporting Ready=False gets the not-ready taints until it is Ready again', async () => {
  const setReady = async (status: string) => {
    const node = await cp.client.get(NODES, '', 'kubedesk-worker2');
    const st = node.status as { conditions: { type: string; status: string }[] };
    await cp.client.update(NODES, '', { ...node, status: { ...st, conditions: st.conditions.map((c) => (c.type === 'Ready' ? { ...c, status } : c)) } }, { subresource: 'status' });
  };
  const alive = ['kubedesk-control-plane', 'kubedesk-worker', 'kubedesk-worker2'];
  await setReady('False');
  await advance(5000, alive);
  await eventually(async () => taints(await cp.client.get(NODES, '', 'kubedesk-worker2')).filter((t) => t.key === 'node.kubernetes.io/not-ready').length === 2, 'not-ready taints');
  await setReady('True');
  await advance(5000, alive);
  await eventually(async () => taints(await cp.client.get(NODES, '', 'kubedesk-worker2')).length === 0, 'not-ready taints removed');
});

it('a cordoned node gets the unschedulable NoSchedule taint; uncordoned, it loses it', async () => {
  const cordon = async (unschedulable: boolean) => {
    const node = await cp.client.get(NODES, '', 'kubedesk-worker');
    await cp.client.update(NODES, '', { ...node, spec: { ...(node.spec as object), unschedulable } });
  };
  await cordon(true);
  await eventually(async () => {
    const t = taints(await cp.client.get(NODES, '', 'kubedesk-worker'));
    return t.length === 1 && t[0].key === 'node.kubernetes.io/unschedulable' && t[0].effect === 'NoSchedule';
  }, 'unschedulable taint');
  await cordon(false);
  await eventually(async () => taints(await cp.client.get(NODES, '', 'kubedesk-worker')).length === 0, 'unschedulable taint removed');
});
