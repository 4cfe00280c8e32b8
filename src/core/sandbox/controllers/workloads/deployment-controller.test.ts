import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { DEPLOYMENTS, PODS, REPLICASETS, isPodActive, isPodReady, specOf, statusOf } from './common.js';
import { eventsOf, listOf, markPodReady, startFixture, type Fixture } from './test-fixture.js';

function deployment(name: string, replicas: number, strategy: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

interface Conditioned {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** kubectl rollout status's verdict (DeploymentStatusViewer). */
function rolloutStatus(d: KubeObject): string {
  const s = statusOf(d) as { observedGeneration?: number; updatedReplicas?: number; replicas?: number; availableReplicas?: number; conditions?: Conditioned[] };
  const desired = specOf(d).replicas as number;
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return 'waiting for spec update';
  if (s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded') return `deployment "${d.metadata.name}" exceeded its progress deadline`;
  if ((s.updatedReplicas ?? 0) < desired) return 'waiting: new replicas not updated';
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return 'waiting: old replicas pending termination';
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return 'waiting: updated replicas not available';
  return `deployment "${d.metadata.name}" successfully rolled out`;
}

async function readyAll(f: Fixture): Promise<number> {
  let n = 0;
  for (const pod of await listOf(f.client, PODS)) {
    if (isPodActive(pod) && !isPodReady(pod)) {
      // The controllers may delete a pod meanwhile: a kubelet would not report on it either.
      if (await markPodReady(f.client, pod, f.clock.now())) n++;
    }
  }
  return n;
}

async function replicaSets(f: Fixture): Promise<KubeObject[]> {
  return (await listOf(f.client, REPLICASETS)).sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

const replicas = (rs: KubeObject) => specOf(rs).replicas as number;

describe('DeploymentController', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates <deploy>-<hash> with the hash label, revision annotations, events, status and rolls out', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 3, { type: 'RollingUpdate' }));
    await f.settle();
    const [rs] = await replicaSets(f);
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(specOf(rs).selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    const pods = await listOf(f.client, PODS);
    expect(pods).toHaveLength(3);
    expect(pods[0].metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
    expect(await eventsOf(f.client, 'web')).toEqual([expect.objectContaining({ reason: 'ScalingReplicaSet', message: `Scaled up replica set web-${hash} from 0 to 3`, type: 'Normal' })]);
    let d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(rolloutStatus(d)).toBe('waiting: updated replicas not available');
    const conditions = statusOf(d).conditions as Conditioned[];
    expect(conditions.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(conditions.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "web-${hash}" is progressing.` });
    await readyAll(f);
    await f.settle();
    d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect(statusOf(d)).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(statusOf(d).unavailableReplicas ?? 0).toBe(0);
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(rolloutStatus(d)).toBe('deployment "web" successfully rolled out');
    expect(f.errors).toEqual([]);
  });

  it('rolls step by step within maxSurge=1 and maxUnavailable=1', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
    await f.settle();
    await readyAll(f);
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    const steps: string[] = [];
    for (let round = 0; round < 20; round++) {
      await f.settle();
      const sets = await replicaSets(f);
      const pods = (await listOf(f.client, PODS)).filter(isPodActive);
      // Never more than 4 + maxSurge pods, never fewer than 4 - maxUnavailable ready.
      expect(sets.reduce((n, rs) => n + replicas(rs), 0)).toBeLessThanOrEqual(5);
      expect(pods.length).toBeLessThanOrEqual(5);
      expect(pods.filter(isPodReady).length).toBeGreaterThanOrEqual(3);
      steps.push(sets.map(replicas).join('/'));
      if (sets.length === 2 && replicas(sets[0]) === 0 && replicas(sets[1]) === 4 && (await readyAll(f)) === 0) break;
      await readyAll(f);
    }
    expect(steps[0]).toBe("3/2");
    expect(steps.at(-1)).toBe('0/4');
    const [oldRs, newRs] = await replicaSets(f);
    const messages = (await eventsOf(f.client, 'web')).map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${newRs.metadata.name} from 0 to 1`);
    expect(messages).toContain(`Scaled down replica set ${oldRs.metadata.name} from 4 to 3`);
    expect(newRs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    await f.settle();
    expect(rolloutStatus(await f.client.get(DEPLOYMENTS, 'default', 'web'))).toBe('deployment "web" successfully rolled out');
  });

  it('Recreate scales the old set to zero and waits for its pods before creating the new one', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 3, { type: 'Recreate' }));
    await f.settle();
    await readyAll(f);
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await f.settle();
    const sets = await replicaSets(f);
    expect(sets.map(replicas)).toEqual([0, 3]);
    const pods = await listOf(f.client, PODS);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === sets[1].metadata.labels?.['pod-template-hash'])).toBe(true);
    const messages = (await eventsOf(f.client, 'web')).map((e) => e.message);
    expect(messages, messages.join('\n')).toContain(`Scaled up replica set ${sets[1].metadata.name} from 0 to 3`);
    expect(messages.indexOf(`Scaled down replica set ${sets[0].metadata.name} from 3 to 0`)).toBeLessThan(messages.indexOf(`Scaled up replica set ${sets[1].metadata.name} from 0 to 3`));
  });

  it('keeps revisionHistoryLimit old sets, and rollback to an old template reuses its set with a new revision', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 1, { type: 'RollingUpdate' }, { revisionHistoryLimit: 2 }));
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      await f.settle();
      await readyAll(f);
      await f.settle();
      await readyAll(f);
      await f.settle();
      await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
    }
    for (let i = 0; i < 3; i++) {
      await f.settle();
      await readyAll(f);
    }
    await f.settle();
    let sets = await replicaSets(f);
    expect(sets.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['2', '3', '4']);
    // kubectl rollout undo --to-revision=2 copies revision 2's template (without the hash label).
    const rev2 = sets[0];
    const template = structuredClone(specOf(rev2).template) as { metadata: { labels: Record<string, string> } };
    delete template.metadata.labels['pod-template-hash'];
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template } });
    for (let i = 0; i < 3; i++) {
      await f.settle();
      await readyAll(f);
    }
    await f.settle();
    sets = await replicaSets(f);
    const reused = sets.find((rs) => rs.metadata.name === rev2.metadata.name);
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
    expect(replicas(reused!)).toBe(1);
    expect((await f.client.get(DEPLOYMENTS, 'default', 'web')).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
  });

  it('pause holds a template change until resume', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 2, { type: 'RollingUpdate' }));
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: true } });
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await f.settle();
    expect(await replicaSets(f)).toHaveLength(1);
    let d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: false } });
    await f.settle();
    expect(await replicaSets(f)).toHaveLength(2);
    d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Progressing')?.reason).toMatch(/NewReplicaSetCreated|ReplicaSetUpdated/);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 2, { type: 'RollingUpdate' }, { progressDeadlineSeconds: 30 }));
    await f.settle();
    await f.advance(20_000);
    let d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Progressing')?.status).toBe('True');
    await f.advance(12_000);
    d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    const [rs] = await replicaSets(f);
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
    });
    expect(rolloutStatus(d)).toBe('deployment "web" exceeded its progress deadline');
  });

  it('scaling resizes the current set without a new revision', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 2, { type: 'RollingUpdate' }));
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 5 } });
    await f.settle();
    const sets = await replicaSets(f);
    expect(sets).toHaveLength(1);
    expect(replicas(sets[0])).toBe(5);
    expect(sets[0].metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect((await eventsOf(f.client, 'web')).map((e) => e.message)).toContain(`Scaled up replica set ${sets[0].metadata.name} from 2 to 5`);
  });

  it('scaling in the middle of a rollout spreads the change proportionally', async () => {
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 10, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }));
    await f.settle();
    await readyAll(f);
    await f.settle();
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await f.settle();
    let [oldRs, newRs] = await replicaSets(f);
    // New set surges by 3, old drops by maxUnavailable 2, the new one takes the freed room.
    expect([replicas(oldRs), replicas(newRs)]).toEqual([8, 5]);
    await f.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 20 } });
    await f.settle();
    [oldRs, newRs] = await replicaSets(f);
    // 20 + maxSurge 3 = 23, shared by size: the old set grows most, the new one too.
    expect(replicas(oldRs) + replicas(newRs)).toBe(23);
    expect(replicas(oldRs)).toBeGreaterThan(8);
    expect(replicas(newRs)).toBeGreaterThan(3);
    expect(newRs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('20');
    for (let i = 0; i < 12; i++) {
      await readyAll(f);
      await f.settle();
    }
    [oldRs, newRs] = await replicaSets(f);
    expect([replicas(oldRs), replicas(newRs)]).toEqual([0, 20]);
  });

  it('a ReplicaSet refused pods by a quota reports ReplicaFailure, and the deployment too', async () => {
    await f.client.create({ group: '', resource: 'resourcequotas' }, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods' }, spec: { hard: { pods: '1' } } });
    await f.settle();
    await f.client.create(DEPLOYMENTS, 'default', deployment('web', 3, { type: 'RollingUpdate' }));
    await f.settle();
    expect((await listOf(f.client, PODS)).length).toBeLessThanOrEqual(1);
    const [rs] = await replicaSets(f);
    const rsFailure = (statusOf(rs).conditions as Conditioned[] | undefined)?.find((c) => c.type === 'ReplicaFailure');
    expect(rsFailure).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(rsFailure?.message).toMatch(/exceeded quota/);
    const d = await f.client.get(DEPLOYMENTS, 'default', 'web');
    expect((statusOf(d).conditions as Conditioned[]).find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: rsFailure?.message });
    expect((await eventsOf(f.client, rs.metadata.name ?? '')).find((e) => e.reason === 'FailedCreate')).toMatchObject({ type: 'Warning' });
  });
});
