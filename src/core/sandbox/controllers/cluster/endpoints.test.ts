import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { startClusterControllers, type RunningClusterControllers } from './index.js';
import { eventually, pod, PODS, startTestControlPlane, type TestControlPlane } from './test-control-plane.js';

const SERVICES = { group: '', resource: 'services' };
const ENDPOINTS = { group: '', resource: 'endpoints' };
const SLICES = { group: 'discovery.k8s.io', resource: 'endpointslices' };

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

async function runningPod(name: string, ip: string, ready: boolean, labels = { app: 'web' }): Promise<void> {
  const spec = { nodeName: 'kubedesk-worker', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] };
  const created = await cp.client.create(PODS, 'default', pod(name, spec, labels));
  await cp.client.update(PODS, 'default', {
    ...created,
    status: { ...(created.status as object), phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }, { subresource: 'status' });
}

async function slicesOf(service: string): Promise<KubeObject[]> {
  return (await cp.client.list(SLICES, 'default', { labelSelector: `kubernetes.io/service-name=${service}` })).items;
}

describe('endpoints and endpoint slices', () => {
  it('the kubernetes service points at the control-plane node', async () => {
    const ep = await eventually(() => cp.client.get(ENDPOINTS, 'default', 'kubernetes'), 'kubernetes endpoints');
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    const slice = await eventually(() => cp.client.get(SLICES, 'default', 'kubernetes'), 'kubernetes slice');
    expect(slice).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] });
  });

  it('follow pod readiness, resolve named target ports', async () => {
    await cp.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    await runningPod('web-1', '10.244.1.5', true);
    await runningPod('web-2', '10.244.1.6', false);
    await runningPod('other', '10.244.1.7', true, { app: 'other' });
    const ep = await eventually(async () => {
      const e = await cp.client.get(ENDPOINTS, 'default', 'web');
      return (e.subsets as unknown[] | undefined)?.length ? e : undefined;
    }, 'web endpoints');
    await running.idle();
    const settled = await cp.client.get(ENDPOINTS, 'default', 'web');
    expect(settled.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.5', nodeName: 'kubedesk-worker', targetRef: expect.objectContaining({ kind: 'Pod', name: 'web-1', namespace: 'default' }) as unknown }],
        notReadyAddresses: [{ ip: '10.244.1.6', nodeName: 'kubedesk-worker', targetRef: expect.objectContaining({ name: 'web-2' }) as unknown }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(ep.metadata.name).toBe('web');
    const [slice, ...more] = await slicesOf('web');
    expect(more).toHaveLength(0);
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      expect.objectContaining({ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kubedesk-worker' }),
      expect.objectContaining({ addresses: ['10.244.1.6'], conditions: { ready: false, serving: false, terminating: false } }),
    ]);
    // No update loop: a settled controller leaves the objects alone.
    const rv = settled.metadata.resourceVersion;
    await running.idle();
    expect((await cp.client.get(ENDPOINTS, 'default', 'web')).metadata.resourceVersion).toBe(rv);

    // web-2 becomes ready; web-1 goes away.
    const p2 = await cp.client.get(PODS, 'default', 'web-2');
    await cp.client.update(PODS, 'default', { ...p2, status: { ...(p2.status as object), conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    await cp.client.delete(PODS, 'default', 'web-1', { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const e = await cp.client.get(ENDPOINTS, 'default', 'web');
      const subsets = e.subsets as { addresses?: { ip: string }[]; notReadyAddresses?: unknown[] }[];
      return subsets[0]?.addresses?.map((a) => a.ip).join() === '10.244.1.6' && !subsets[0].notReadyAddresses;
    }, 'web-2 ready alone');
    await eventually(async () => {
      const [s] = await slicesOf('web');
      return (s.endpoints as unknown[]).length === 1;
    }, 'slice follows');
  });

  it('headless services with publishNotReadyAddresses publish every pod as ready', async () => {
    await cp.client.create(SERVICES, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' }, ports: [{ port: 5432 }] },
    });
    await runningPod('db-0', '10.244.1.9', false, { app: 'db' });
    const ep = await eventually(async () => {
      const e = await cp.client.get(ENDPOINTS, 'default', 'db');
      return (e.subsets as unknown[] | undefined)?.length ? e : undefined;
    }, 'db endpoints');
    expect(ep.metadata.labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
    expect(ep.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.1.9' })], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  it('a service without pods gets an empty slice and no subsets', async () => {
    await cp.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    const ep = await eventually(() => cp.client.get(ENDPOINTS, 'default', 'lonely'), 'lonely endpoints');
    expect(ep.subsets).toBeUndefined();
    const slices = await eventually(async () => ((await slicesOf('lonely')).length === 1 ? slicesOf('lonely') : undefined), 'lonely slice');
    expect(slices[0].endpoints ?? null).toBeNull();
    await cp.client.delete(SERVICES, 'default', 'lonely');
    await eventually(async () => (await slicesOf('lonely')).length === 0, 'slices removed');
  });
});
