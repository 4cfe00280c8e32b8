import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { eventsFor, eventually, NODES, pod, PODS, startTestControlPlane, type TestControlPlane } from '../controllers/cluster/test-control-plane.js';
import { startScheduler, type RunningScheduler } from './index.js';

let cp: TestControlPlane;
let running: RunningScheduler;

beforeAll(async () => {
  cp = await startTestControlPlane(3);
  await eventually(() => cp.client.get({ group: '', resource: 'serviceaccounts' }, 'default', 'default'), 'default service account');
});
afterAll(async () => cp.close());

beforeEach(async () => {
  running = startScheduler({ client: cp.client, clock: cp.clock, registry: cp.plane.registry, api: cp.plane.httpDeps.api, onError: (e) => console.error(e) });
  await running.ready;
});
afterEach(async () => {
  running.dispose();
  const pods = await cp.client.list(PODS, 'default');
  for (const p of pods.items) await cp.client.delete(PODS, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
  for (const n of ['kubedesk-worker', 'kubedesk-worker2']) await cp.client.patch(NODES, '', n, 'merge', { spec: { unschedulable: null } });
});

const cpu = (amount: string) => ({ containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: amount } } }] });

async function nodeOf(name: string): Promise<string> {
  return eventually(async () => ((await cp.client.get(PODS, 'default', name)).spec as { nodeName?: string }).nodeName, `pod ${name} bound`);
}

async function scheduledCondition(name: string): Promise<{ status?: string; reason?: string; message?: string }> {
  const p = await cp.client.get(PODS, 'default', name);
  const conditions = (p.status as { conditions?: { type: string; status?: string; reason?: string; message?: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === 'PodScheduled') ?? {};
}

async function failure(name: string): Promise<string> {
  return eventually(async () => {
    const c = await scheduledCondition(name);
    return c.status === 'False' ? c.message : undefined;
  }, `pod ${name} unschedulable`);
}

describe('scheduler', () => {
  it('binds a pod to a worker and records Scheduled', async () => {
    await cp.client.create(PODS, 'default', pod('web-abc'));
    const node = await nodeOf('web-abc');
    expect(['kubedesk-worker', 'kubedesk-worker2']).toContain(node);
    const events = await eventually(async () => {
      const list = await eventsFor(cp.client, 'default', 'web-abc');
      return list.length > 0 ? list : undefined;
    }, 'Scheduled event');
    expect(events[0]).toMatchObject({ reason: 'Scheduled', type: 'Normal', message: `Successfully assigned default/web-abc to ${node}`, source: { component: 'default-scheduler' } });
  });

  it('spreads pods over the workers (least allocated)', async () => {
    for (const name of ['s1', 's2', 's3', 's4']) await cp.client.create(PODS, 'default', pod(name, cpu('1')));
    const nodes = await Promise.all(['s1', 's2', 's3', 's4'].map(nodeOf));
    expect(nodes.filter((n) => n === 'kubedesk-worker')).toHaveLength(2);
    expect(nodes.filter((n) => n === 'kubedesk-worker2')).toHaveLength(2);
  });

  it('reports Insufficient cpu as the real scheduler words it, then schedules once room is freed', async () => {
    for (const name of ['big1', 'big2']) await cp.client.create(PODS, 'default', pod(name, cpu('3')));
    await Promise.all(['big1', 'big2'].map(nodeOf));
    await cp.client.create(PODS, 'default', pod('big3', cpu('3')));
    const message = await failure('big3');
    expect(message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect((await scheduledCondition('big3')).reason).toBe('Unschedulable');
    const warning = await eventually(async () => (await eventsFor(cp.client, 'default', 'big3')).find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling event');
    expect(warning).toMatchObject({ type: 'Warning', message });
    const freed = await nodeOf('big1');
    await cp.client.delete(PODS, 'default', 'big1', { gracePeriodSeconds: 0 });
    // Back-off after a failure (1 s) runs on the scheduler's clock.
    await new Promise((r) => setTimeout(r, 50));
    cp.clock.advance(2000);
    expect(await nodeOf('big3')).toBe(freed);
    // The Unschedulable verdict is cleared once the pod is bound.
    await eventually(async () => (await scheduledCondition('big3')).status === 'True', 'PodScheduled=True');
  });

  it('a pod requesting more than any node has is not helped by preemption', async () => {
    await cp.client.create(PODS, 'default', pod('huge', cpu('64')));
    expect(await failure('huge')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('honours nodeSelector, node affinity operators and tolerations', async () => {
    await cp.client.create(PODS, 'default', pod('sel', { nodeSelector: { 'kubernetes.io/hostname': 'kubedesk-worker2' } }));
    expect(await nodeOf('sel')).toBe('kubedesk-worker2');
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }],
        },
      },
    };
    await cp.client.create(PODS, 'default', pod('cp-only', { affinity }));
    expect(await failure('cp-only')).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    const tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
    await cp.client.create(PODS, 'default', pod('cp-tolerating', { affinity, tolerations }));
    expect(await nodeOf('cp-tolerating')).toBe('kubedesk-control-plane');
    const byField = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kubedesk-worker'] }] }] } } };
    await cp.client.create(PODS, 'default', pod('by-field', { affinity: byField }));
    expect(await nodeOf('by-field')).toBe('kubedesk-worker');
  });

  it('keeps cordoned nodes out', async () => {
    await cp.client.patch(NODES, '', 'kubedesk-worker', 'merge', { spec: { unschedulable: true } });
    await cp.client.patch(NODES, '', 'kubedesk-worker2', 'merge', { spec: { unschedulable: true } });
    await cp.client.create(PODS, 'default', pod('cordoned'));
    expect(await failure('cordoned')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    await cp.client.patch(NODES, '', 'kubedesk-worker2', 'merge', { spec: { unschedulable: null } });
    await new Promise((r) => setTimeout(r, 50));
    cp.clock.advance(2000);
    expect(await nodeOf('cordoned')).toBe('kubedesk-worker2');
  });

  it('applies required pod anti-affinity per hostname and host port conflicts', async () => {
    const anti = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    for (const name of ['db-0', 'db-1']) await cp.client.create(PODS, 'default', pod(name, { affinity: anti }, { app: 'db' }));
    const placed = await Promise.all(['db-0', 'db-1'].map(nodeOf));
    expect(new Set(placed).size).toBe(2);
    await cp.client.create(PODS, 'default', pod('db-2', { affinity: anti }, { app: 'db' }));
    expect(await failure('db-2')).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    const withPort = (name: string): KubeObject => pod(name, { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    for (const name of ['hp1', 'hp2']) await cp.client.create(PODS, 'default', withPort(name));
    await Promise.all(['hp1', 'hp2'].map(nodeOf));
    await cp.client.create(PODS, 'default', withPort('hp3'));
    expect(await failure('hp3')).toContain("2 node(s) didn't have free ports for the requested pod ports.");
  });

  it('required pod affinity follows the pods it selects', async () => {
    await cp.client.create(PODS, 'default', pod('cache', { nodeSelector: { 'kubernetes.io/hostname': 'kubedesk-worker2' } }, { app: 'cache' }));
    await nodeOf('cache');
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    for (const name of ['near1', 'near2']) await cp.client.create(PODS, 'default', pod(name, { affinity }));
    expect(await Promise.all(['near1', 'near2'].map(nodeOf))).toEqual(['kubedesk-worker2', 'kubedesk-worker2']);
  });

  it('refuses pods whose claim is unbound with an Immediate class', async () => {
    const pvcs = { group: '', resource: 'persistentvolumeclaims' };
    await cp.client.create(pvcs, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await cp.client.create(PODS, 'default', pod('with-claim', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));
    expect(await failure('with-claim')).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    await cp.client.create(PODS, 'default', pod('missing-claim', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'nope' } }] }));
    expect(await failure('missing-claim')).toBe('0/3 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await cp.client.delete(pvcs, 'default', 'data');
  });

  it('preempts lower-priority pods for a higher-priority one', async () => {
    const classes = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
    await cp.client.create(classes, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    for (const name of ['low1', 'low2']) await cp.client.create(PODS, 'default', pod(name, cpu('3')));
    await Promise.all(['low1', 'low2'].map(nodeOf));
    await cp.client.create(PODS, 'default', pod('vip', { ...cpu('3'), priorityClassName: 'high' }));
    const nominated = await eventually(async () => ((await cp.client.get(PODS, 'default', 'vip')).status as { nominatedNodeName?: string }).nominatedNodeName, 'nominated node');
    // The victim on the nominated node is being deleted (the other low pod stays).
    const victim = await eventually(async () => {
      const pods = (await cp.client.list(PODS, 'default')).items;
      return pods.find((p) => ['low1', 'low2'].includes(p.metadata.name ?? '') && (p.spec as { nodeName?: string }).nodeName === nominated && p.metadata.deletionTimestamp);
    }, 'victim terminating');
    const survivors = (await cp.client.list(PODS, 'default')).items.filter((p) => ['low1', 'low2'].includes(p.metadata.name ?? '') && !p.metadata.deletionTimestamp);
    expect(survivors).toHaveLength(1);
    const preempted = await eventually(async () => (await eventsFor(cp.client, 'default', victim.metadata.name ?? '')).find((e) => e.reason === 'Preempted'), 'Preempted event');
    expect(preempted.message).toMatch(new RegExp(`^Preempted by pod [0-9a-f-]+ on node ${nominated}$`));
    // The kubelet would finish the victim's termination; do it by hand.
    await cp.client.delete(PODS, 'default', victim.metadata.name ?? '', { gracePeriodSeconds: 0 });
    await new Promise((r) => setTimeout(r, 50));
    cp.clock.advance(10_000);
    expect(await nodeOf('vip')).toBe(nominated);
  });

  it('leaves pods with scheduling gates alone', async () => {
    await cp.client.create(PODS, 'default', pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    const condition = await eventually(async () => {
      const c = await scheduledCondition('gated');
      return c.reason === 'SchedulingGated' ? c : undefined;
    }, 'SchedulingGated');
    expect(condition).toMatchObject({ status: 'False', message: 'Scheduling is blocked due to non-empty scheduling gates' });
    await running.scheduler.idle();
    expect(((await cp.client.get(PODS, 'default', 'gated')).spec as { nodeName?: string }).nodeName).toBeUndefined();
  });
});
