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
});
