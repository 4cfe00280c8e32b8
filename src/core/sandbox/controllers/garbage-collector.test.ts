import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { ApiError } from '../apiserver/errors.js';
import { eventually, startTestControlPlane, type TestControlPlane } from './cluster/test-control-plane.js';

const CONFIGMAPS = { group: '', resource: 'configmaps' };

describe('GarbageCollector', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane(1);
  });
  afterAll(async () => {
    await cp.close();
  });

  const configMap = (name: string, owner?: KubeObject): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '' }] } : {}) },
    data: { n: '0' },
  });
  const gone = async (name: string) => {
    try {
      await cp.client.get(CONFIGMAPS, 'default', name);
      return false;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return true;
      throw error;
    }
  };

  it('collects a dependent updated many times (owners unchanged) once its owner is deleted', async () => {
    const owner = await cp.client.create(CONFIGMAPS, 'default', configMap('owner'));
    await cp.client.create(CONFIGMAPS, 'default', configMap('dep', owner));
    for (let i = 1; i <= 5; i++) await cp.client.patch(CONFIGMAPS, 'default', 'dep', 'merge', { data: { n: String(i) } });
    await new Promise((r) => setTimeout(r, 100));
    expect(await gone('dep')).toBe(false);
    await cp.client.delete(CONFIGMAPS, 'default', 'owner');
    await eventually(() => gone('dep'), 'dep collected after its owner went');
  });

  it('collects a dependent whose owner references change to an owner that does not exist', async () => {
    const owner = await cp.client.create(CONFIGMAPS, 'default', configMap('owner2'));
    await cp.client.create(CONFIGMAPS, 'default', configMap('dep2', owner));
    await cp.client.patch(CONFIGMAPS, 'default', 'dep2', 'merge', { data: { n: '1' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(await gone('dep2')).toBe(false);
    await cp.client.patch(CONFIGMAPS, 'default', 'dep2', 'merge', { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }] } });
    await eventually(() => gone('dep2'), 'dep2 collected once its only owner is missing');
    expect(await gone('owner2')).toBe(false);
  });
});
