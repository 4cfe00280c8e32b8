import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startTestControlPlane, type TestControlPlane } from '../controllers/cluster/test-control-plane.js';
import { EventRecorder } from './events.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane(1);
});
afterAll(async () => {
  await cp.close();
});

describe('kubelet events', () => {
  it('are named <pod>.<unix nanos in hex> so same-second events list in recording order', async () => {
    const recorder = new EventRecorder(cp.client, cp.clock, 'kubedesk-worker', (e) => console.error(e));
    const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
    const reasons = ['Pulling', 'Pulled', 'Created', 'Started'];
    for (const reason of reasons) recorder.pod(pod, { type: 'Normal', reason, message: reason });
    await recorder.flush();
    const list = await cp.client.list({ group: '', resource: 'events' }, 'default');
    const mine = list.items.filter((e) => e.metadata.name?.startsWith('web.'));
    expect(mine.map((e) => e.reason)).toEqual(reasons);
    const nanos = BigInt(`0x${(mine[0].metadata.name ?? '').slice(4)}`);
    expect(Number(nanos / 1_000_000n)).toBe(cp.clock.now().getTime());
  });
});
