import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { startScheduler, type RunningScheduler } from '../../scheduler/index.js';
import { InformerSet, startClusterControllers, type RunningClusterControllers } from './index.js';
import { eventsFor, eventually, pod, PODS, startTestControlPlane, type TestControlPlane } from './test-control-plane.js';

const PVCS = { group: '', resource: 'persistentvolumeclaims' };
const PVS = { group: '', resource: 'persistentvolumes' };
const CLASSES = { group: 'storage.k8s.io', resource: 'storageclasses' };
let cp: TestControlPlane;
let running: RunningClusterControllers;
let scheduler: RunningScheduler;
let informers: InformerSet;

beforeAll(async () => {
  cp = await startTestControlPlane(3);
  await eventually(() => cp.client.get({ group: '', resource: 'serviceaccounts' }, 'default', 'default'), 'default service account');
  // The scheduler and the controllers share one set of informers, as the control plane wires them.
  informers = new InformerSet(cp.client, (e) => console.error(e));
  running = startClusterControllers({ client: cp.client, clock: cp.clock, informers, onError: (e) => console.error(e) });
  await running.ready;
  scheduler = startScheduler({ client: cp.client, clock: cp.clock, registry: cp.plane.registry, api: cp.plane.httpDeps.api, informers, onError: (e) => console.error(e) });
  await Promise.all([running.ready, scheduler.ready]);
});
afterAll(async () => {
  scheduler.dispose();
  running.dispose();
  informers.dispose();
  await cp.close();
});

function claim(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } };
}

function volume(name: string, size: string, policy: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: policy, storageClassName: 'manual', hostPath: { path: `/data/${name}` } },
  };
}

const phase = (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase;

describe('persistent volumes', () => {
  it('binds a claim to the smallest matching volume; Retain leaves it Released when the claim goes', async () => {
    await cp.client.create(PVS, '', volume('pv-big', '10Gi', 'Retain'));
    await cp.client.create(PVS, '', volume('pv-small', '2Gi', 'Retain'));
    await cp.client.create(PVS, '', volume('pv-other', '2Gi', 'Retain', { tier: 'gold' }));
    await eventually(async () => phase(await cp.client.get(PVS, '', 'pv-small')) === 'Available', 'Available');
    await cp.client.create(PVCS, 'default', claim('static', { storageClassName: 'manual', selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }));
    const bound = await eventually(async () => {
      const c = await cp.client.get(PVCS, 'default', 'static');
      return phase(c) === 'Bound' ? c : undefined;
    }, 'claim bound');
    expect((bound.spec as { volumeName?: string }).volumeName).toBe('pv-small');
    expect(bound.status).toMatchObject({ capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] });
    const pv = await eventually(async () => {
      const v = await cp.client.get(PVS, '', 'pv-small');
      return phase(v) === 'Bound' ? v : undefined;
    }, 'volume bound');
    expect((pv.spec as { claimRef?: unknown }).claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'static', uid: bound.metadata.uid });
    await cp.client.delete(PVCS, 'default', 'static');
    await eventually(async () => phase(await cp.client.get(PVS, '', 'pv-small')) === 'Released', 'Released');
  });

  it('an Immediate class of the local-path provisioner provisions pvc-<uid> at once', async () => {
    await cp.client.create(CLASSES, '', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'kubedesk.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const created = await cp.client.create(PVCS, 'default', claim('now', { storageClassName: 'fast' }));
    const bound = await eventually(async () => {
      const c = await cp.client.get(PVCS, 'default', 'now');
      return phase(c) === 'Bound' ? c : undefined;
    }, 'provisioned and bound');
    const pvName = `pvc-${created.metadata.uid ?? ''}`;
    expect((bound.spec as { volumeName?: string }).volumeName).toBe(pvName);
    const pv = await cp.client.get(PVS, '', pvName);
    expect(pv.spec).toMatchObject({ capacity: { storage: '1Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'fast' });
    const reasons = (await eventsFor(cp.client, 'default', 'now')).map((e) => e.reason);
    expect(reasons).toContain('ProvisioningSucceeded');
    // Delete: the volume goes with its claim.
    await cp.client.delete(PVCS, 'default', 'now');
    await eventually(async () => !(await cp.client.list(PVS, '')).items.some((v) => v.metadata.name === pvName), 'volume deleted');
  });

  it('WaitForFirstConsumer (the default class) waits for a scheduled pod, then provisions on its node', async () => {
    const created = await cp.client.create(PVCS, 'default', claim('data'));
    expect((created.spec as { storageClassName?: string }).storageClassName).toBe('standard');
    const waiting = await eventually(async () => (await eventsFor(cp.client, 'default', 'data')).find((e) => e.reason === 'WaitForFirstConsumer'), 'WaitForFirstConsumer event');
    expect(waiting.message).toBe('waiting for first consumer to be created before binding');
    expect(phase(await cp.client.get(PVCS, 'default', 'data'))).toBe('Pending');
    await cp.client.create(PODS, 'default', pod('app', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));
    const node = await eventually(async () => ((await cp.client.get(PODS, 'default', 'app')).spec as { nodeName?: string }).nodeName, 'pod bound after its claim');
    const pvc = await cp.client.get(PVCS, 'default', 'data');
    expect(phase(pvc)).toBe('Bound');
    expect(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(node);
    const pv = await cp.client.get(PVS, '', `pvc-${created.metadata.uid ?? ''}`);
    expect(JSON.stringify(pv.spec)).toContain(node);
    // Later pods of the claim follow the volume's node affinity.
    for (const name of ['app2', 'app3', 'app4']) await cp.client.create(PODS, 'default', pod(name, { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));
    for (const name of ['app2', 'app3', 'app4']) {
      expect(await eventually(async () => ((await cp.client.get(PODS, 'default', name)).spec as { nodeName?: string }).nodeName, `${name} bound`)).toBe(node);
    }
  });
});
