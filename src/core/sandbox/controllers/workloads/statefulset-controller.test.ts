import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { PODS, PVCS, REVISIONS, STATEFULSETS, isPodReady, specOf, statusOf, type Obj } from './common.js';
import { eventsOf, listOf, markPodReady, startFixture, type Fixture } from './test-fixture.js';

function statefulSet(spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

const podNames = async (f: Fixture) => (await listOf(f.client, PODS)).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();

async function readyAll(f: Fixture): Promise<void> {
  for (const pod of await listOf(f.client, PODS)) if (!isPodReady(pod)) await markPodReady(f.client, pod, f.clock.now());
  await f.settle();
}

describe('StatefulSetController', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('OrderedReady creates web-0, web-1, web-2 one by one once each is Running and Ready', async () => {
    await f.client.create(STATEFULSETS, 'default', statefulSet());
    await f.settle();
    expect(await podNames(f)).toEqual(['web-0']);
    const pod = await f.client.get(PODS, 'default', 'web-0');
    expect(specOf(pod)).toMatchObject({ hostname: 'web-0', subdomain: 'nginx' });
    expect(pod.metadata.labels).toMatchObject({ app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(pod.metadata.labels?.['controller-revision-hash']).toMatch(/^web-[a-z0-9]+$|^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect((specOf(pod).volumes as Obj[]).find((v) => v.name === 'www')).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    const pvc = await f.client.get(PVCS, 'default', 'www-web-0');
    expect(pvc.metadata.labels).toEqual({ app: 'nginx' });
    await readyAll(f);
    expect(await podNames(f)).toEqual(['web-0', 'web-1']);
    await readyAll(f);
    expect(await podNames(f)).toEqual(['web-0', 'web-1', 'web-2']);
    await readyAll(f);
    const set = await f.client.get(STATEFULSETS, 'default', 'web');
    const [revision] = await listOf(f.client, REVISIONS);
    // As upstream: the revision is named by its controller.kubernetes.io/hash label, and pods carry its whole name.
    expect(revision.metadata.name).toBe(`web-${revision.metadata.labels?.['controller.kubernetes.io/hash']}`);
    expect(pod.metadata.labels?.['controller-revision-hash']).toBe(revision.metadata.name);
    expect(revision.revision).toBe(1);
    expect(statusOf(set)).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, currentRevision: revision.metadata.name, updateRevision: revision.metadata.name });
    const messages = (await eventsOf(f.client, 'web')).map((e) => e.message);
    expect(messages).toContain('create Pod web-0 in StatefulSet web successful');
    expect(messages).toContain('create Claim www-web-0 Pod web-0 in StatefulSet web success');
  });

  it('rolling update with a partition updates only ordinals at or above it, highest first; scale down keeps PVCs', async () => {
    await f.client.create(STATEFULSETS, 'default', statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    for (let i = 0; i < 4; i++) await readyAll(f);
    const hashOf = async (name: string) => (await f.client.get(PODS, 'default', name)).metadata.labels?.['controller-revision-hash'];
    const before = await hashOf('web-0');
    await f.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    await f.settle();
    // web-2 goes first; web-1 waits until web-2 is back and Ready.
    expect(await podNames(f)).toEqual(['web-0', 'web-1', 'web-2']);
    const after = await hashOf('web-2');
    expect(after).not.toBe(before);
    expect(await hashOf('web-1')).toBe(before);
    await readyAll(f);
    expect(await hashOf('web-1')).toBe(after);
    await readyAll(f);
    expect(await hashOf('web-0')).toBe(before);
    let set = await f.client.get(STATEFULSETS, 'default', 'web');
    expect(statusOf(set)).toMatchObject({ currentReplicas: 1, updatedReplicas: 2 });
    expect(statusOf(set).currentRevision).not.toBe(statusOf(set).updateRevision);
    const revisions = (await listOf(f.client, REVISIONS)).map((r) => r.revision).sort();
    expect(revisions).toEqual([1, 2]);
    await f.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await f.settle();
    await readyAll(f);
    expect(await hashOf('web-0')).toBe(after);
    set = await f.client.get(STATEFULSETS, 'default', 'web');
    expect(statusOf(set).currentRevision).toBe(statusOf(set).updateRevision);

    await f.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await f.settle();
    // Unscheduled pods go at once (no kubelet to wait for), so both are gone after one settle.
    expect(await podNames(f)).toEqual(['web-0']);
    expect((await listOf(f.client, PVCS)).map((p) => p.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('Parallel creates every pod at once; OnDelete waits for a pod to be deleted', async () => {
    await f.client.create(STATEFULSETS, 'default', statefulSet({ podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }));
    await f.settle();
    expect(f.errors).toEqual([]);
    expect(await podNames(f)).toEqual(['web-0', 'web-1', 'web-2']);
    await readyAll(f);
    const before = (await f.client.get(PODS, 'default', 'web-1')).metadata.labels?.['controller-revision-hash'];
    await f.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    await f.settle();
    expect((await f.client.get(PODS, 'default', 'web-1')).metadata.labels?.['controller-revision-hash']).toBe(before);
    await f.client.delete(PODS, 'default', 'web-1');
    await f.settle();
    expect((await f.client.get(PODS, 'default', 'web-1')).metadata.labels?.['controller-revision-hash']).not.toBe(before);
  });
});
