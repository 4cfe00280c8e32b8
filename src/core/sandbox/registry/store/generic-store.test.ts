import { afterEach, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../controllers/cluster/test-control-plane.js';

const CONFIGMAPS = { group: '', resource: 'configmaps' };

describe('GenericStore writes through the in-process client', () => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.close();
    cp = undefined;
  });

  it('answers an update with the resourceVersion storage wrote, so the answer can be written again', async () => {
    cp = await startTestControlPlane(1);
    const created = await cp.client.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } });
    const updated = await cp.client.update(CONFIGMAPS, 'default', { ...created, data: { a: '2' } });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const live = await cp.client.get(CONFIGMAPS, 'default', 'c');
    expect(updated.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
    // Reusing the answer as the next write is not a conflict.
    const again = await cp.client.update(CONFIGMAPS, 'default', { ...updated, data: { a: '3' } });
    expect(again.data).toEqual({ a: '3' });
  });

  it('writes nothing for an update that changes nothing, even from another manager, and writes a change of ownership', async () => {
    cp = await startTestControlPlane(1);
    const created = await cp.client.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', namespace: 'default', labels: { x: 'y' } }, data: { a: '1' } });
    const same = await cp.client.update(CONFIGMAPS, 'default', { ...created, data: { a: '1' } }, { fieldManager: 'someone-else' });
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(same.metadata.managedFields).toEqual(created.metadata.managedFields);
    // The same content patched by another manager who now owns data.b: a write, with its entry.
    const patched = await cp.client.patch(CONFIGMAPS, 'default', 'n', 'merge', { data: { b: '2' } }, { fieldManager: 'someone-else' });
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(patched.metadata.managedFields?.map((e) => e.manager)).toEqual(['kube-controller-manager', 'someone-else']);
    const unchanged = await cp.client.patch(CONFIGMAPS, 'default', 'n', 'merge', { data: { b: '2' } }, { fieldManager: 'someone-else' });
    expect(unchanged.metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
  });
});
