import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { startClusterControllers, type MetricsSource, type RunningClusterControllers } from './index.js';
import { eventsFor, eventually, pod, PODS, startTestControlPlane, type TestControlPlane } from './test-control-plane.js';

const QUOTAS = { group: '', resource: 'resourcequotas' };
const PDBS = { group: 'policy', resource: 'poddisruptionbudgets' };
const HPAS = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };

let cp: TestControlPlane;
let running: RunningClusterControllers;
/** CPU usage per pod, as the kubelets would report it. */
const usage = new Map<string, string>();
const metrics: MetricsSource = {
  podMetrics: async (namespace, selector) => {
    const pods = await cp.client.list(PODS, namespace, { labelSelector: selector });
    return pods.items.filter((p) => usage.has(p.metadata.name ?? '')).map((p) => ({ name: p.metadata.name ?? '', containers: [{ name: 'c', usage: { cpu: usage.get(p.metadata.name ?? '') ?? '0' } }] }));
  },
};

beforeAll(async () => {
  cp = await startTestControlPlane(3);
  await eventually(() => cp.client.get({ group: '', resource: 'serviceaccounts' }, 'default', 'default'), 'default service account');
  running = startClusterControllers({ client: cp.client, clock: cp.clock, metrics, onError: (e) => console.error(e) });
  await running.ready;
});
afterAll(async () => {
  running.dispose();
  await cp.close();
});

async function readyPod(name: string, labels: Record<string, string>, cpu = '100m', owner?: KubeObject): Promise<void> {
  const p = pod(name, { nodeName: 'kubedesk-worker', containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] }, labels);
  if (owner) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true }];
  const created = await cp.client.create(PODS, 'default', p);
  await cp.client.update(PODS, 'default', { ...created, status: { ...(created.status as object), phase: 'Running', podIP: '10.244.1.20', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
}

/** 15 s of cluster time; the kubelets keep their leases (else the node lifecycle marks pods NotReady). */
async function tick(): Promise<void> {
  const leases = { group: 'coordination.k8s.io', resource: 'leases' };
  for (const lease of (await cp.client.list(leases, 'kube-node-lease')).items) {
    await cp.client.update(leases, 'kube-node-lease', { ...lease, spec: { ...(lease.spec as object), renewTime: cp.clock.now().toISOString().replace('Z', '000Z') } });
  }
  await running.idle();
  cp.clock.advance(15_000);
  await running.idle();
}

function deployment(name: string, replicas: number, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
  };
}

describe('status controllers', () => {
  it('ResourceQuota status follows usage', async () => {
    await cp.client.create(QUOTAS, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '2' } } });
    await eventually(async () => JSON.stringify((await cp.client.get(QUOTAS, 'default', 'q')).status) === JSON.stringify({ hard: { pods: '10', 'requests.cpu': '2' }, used: { pods: '0', 'requests.cpu': '0' } }), 'initial status');
    await readyPod('q1', { app: 'q' }, '250m');
    await readyPod('q2', { app: 'q' }, '500m');
    // Changes are counted after a one-second coalescing delay.
    await new Promise((r) => setTimeout(r, 20));
    cp.clock.advance(1000);
    await eventually(async () => JSON.stringify((await cp.client.get(QUOTAS, 'default', 'q')).status) === JSON.stringify({ hard: { pods: '10', 'requests.cpu': '2' }, used: { pods: '2', 'requests.cpu': '750m' } }), 'used after pods');
    await cp.client.delete(PODS, 'default', 'q1', { gracePeriodSeconds: 0 });
    await cp.client.delete(PODS, 'default', 'q2', { gracePeriodSeconds: 0 });
    await cp.client.delete(QUOTAS, 'default', 'q');
  });

  it('PodDisruptionBudget status from minAvailable and from maxUnavailable over the controller scale', async () => {
    const d = await cp.client.create(DEPLOYMENTS, 'default', deployment('db', 4, { app: 'db' }));
    for (const n of ['db-a', 'db-b', 'db-c']) await readyPod(n, { app: 'db' }, '100m', d);
    await cp.client.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'min' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } });
    await cp.client.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'max' }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'db' } } } });
    const min = await eventually(async () => {
      const p = await cp.client.get(PDBS, 'default', 'min');
      return (p.status as { expectedPods?: number } | undefined)?.expectedPods === 3 ? p : undefined;
    }, 'min status');
    expect(min.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }] });
    const max = await eventually(async () => {
      const p = await cp.client.get(PDBS, 'default', 'max');
      return (p.status as { expectedPods?: number } | undefined)?.expectedPods === 4 ? p : undefined;
    }, 'max status');
    expect(max.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 4 });
    await cp.client.delete(PODS, 'default', 'db-a', { gracePeriodSeconds: 0 });
    await cp.client.delete(PODS, 'default', 'db-b', { gracePeriodSeconds: 0 });
    await eventually(async () => ((await cp.client.get(PDBS, 'default', 'min')).status as { disruptionsAllowed?: number; currentHealthy?: number }).currentHealthy === 1, 'min after deletions');
    expect((await cp.client.get(PDBS, 'default', 'min')).status).toMatchObject({ disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'InsufficientPods' }] });
  });

  it('HorizontalPodAutoscaler scales up on utilization and down only after the stabilization window', async () => {
    await cp.client.create(DEPLOYMENTS, 'default', deployment('web', 2, { app: 'web' }));
    for (const n of ['web-1', 'web-2']) {
      await readyPod(n, { app: 'web' });
      usage.set(n, '100m');
    }
    await cp.client.create(HPAS, 'default', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    await eventually(async () => ((await cp.client.get(DEPLOYMENTS, 'default', 'web')).spec as { replicas: number }).replicas === 4, 'scaled to 4');
    const rescale = await eventually(async () => (await eventsFor(cp.client, 'default', 'web')).find((e) => e.reason === 'SuccessfulRescale'), 'SuccessfulRescale');
    expect(rescale.message).toBe('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const hpa = await eventually(async () => {
      const h = await cp.client.get(HPAS, 'default', 'web');
      return (h.status as { desiredReplicas?: number } | undefined)?.desiredReplicas === 4 ? h : undefined;
    }, 'status');
    const status = hpa.status as { currentMetrics: unknown[]; conditions: { type: string; status: string; reason: string }[] };
    expect(status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '100m' } } }]);
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ]);

    // Load drops: the recommendation falls to 1 but the last 300 s still hold 4.
    usage.set('web-1', '5m');
    usage.set('web-2', '5m');
    for (let i = 0; i < 4; i++) await tick();
    expect(((await cp.client.get(DEPLOYMENTS, 'default', 'web')).spec as { replicas: number }).replicas).toBe(4);
    const held = (await cp.client.get(HPAS, 'default', 'web')).status as { conditions: { type: string; reason: string }[] };
    expect(held.conditions[0]).toMatchObject({ type: 'AbleToScale', reason: 'ScaleDownStabilized' });
    for (let i = 0; i < 18; i++) await tick();
    await eventually(async () => ((await cp.client.get(DEPLOYMENTS, 'default', 'web')).spec as { replicas: number }).replicas === 1, 'scaled down to 1');
    const events = await eventsFor(cp.client, 'default', 'web');
    expect(events.map((e) => e.message)).toContain('New size: 1; reason: All metrics below target');
  });

  it('an autoscaling/v1 HPA (kubectl autoscale) without metrics reports FailedGetResourceMetric', async () => {
    await cp.client.create(DEPLOYMENTS, 'default', deployment('api', 2, { app: 'api' }));
    await readyPod('api-1', { app: 'api' });
    await cp.client.create({ group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' }, 'default', {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
    });
    const hpa = await eventually(async () => {
      const h = await cp.client.get(HPAS, 'default', 'api');
      return (h.status as { conditions?: unknown[] } | undefined)?.conditions ? h : undefined;
    }, 'status');
    const conditions = (hpa.status as { conditions: { type: string; status: string; reason: string; message: string }[] }).conditions;
    expect(conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    const warnings = (await eventsFor(cp.client, 'default', 'api')).filter((e) => e.type === 'Warning').map((e) => e.reason);
    expect(warnings).toEqual(expect.arrayContaining(['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']));
    expect(((await cp.client.get(DEPLOYMENTS, 'default', 'api')).spec as { replicas: number }).replicas).toBe(2);
  });
});
