import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, PODS, type TestControlPlane } from '../controllers/cluster/test-control-plane.js';

describe('LocalApiClient.patch', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane(1);
    await cp.client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  });
  afterAll(async () => {
    await cp.close();
  });

  it('sends what the wire would: undefined members are absent, not deletions; Dates become strings', async () => {
    const patched = await cp.client.patch(PODS, 'default', 'p', 'merge', { metadata: { labels: { a: undefined, c: '3' }, annotations: { at: new Date(Date.UTC(2026, 0, 1)) } } });
    expect(patched.metadata.labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(patched.metadata.annotations).toEqual({ at: '2026-01-01T00:00:00.000Z' });
  });

  it('leaves a plain patch as the caller built it, and the caller may change it afterwards', async () => {
    const patch = { metadata: { labels: { d: '4' } }, status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null }] } };
    const first = await cp.client.patch(PODS, 'default', 'p', 'merge', patch, { subresource: 'status' });
    expect(patch).toEqual({ metadata: { labels: { d: '4' } }, status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null }] } });
    patch.status.conditions[0].status = 'True';
    const stored = await cp.client.get(PODS, 'default', 'p');
    expect((stored.status as { conditions: { status: string }[] }).conditions[0].status).toBe('False');
    expect(first.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
  });
});
