import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeNames } from '../bootstrap/nodes.js';
import { eventually, PODS, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster({ nodes: 2 });
});
afterEach(async () => {
  await c.close();
});

const names = (node: string) => (c.fleet.node(node)?.pods() ?? []).map((p) => `${p.name}:${p.uid}`).sort();

describe('the kubelets fed by one pod watch (NodePodIndex)', () => {
  it('hands each kubelet only the pods bound to its node, replays them after a restart, and drops a pod replaced under the same name', async () => {
    const [first, second] = nodeNames(2);
    const a = await c.createPod({ metadata: { name: 'a' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } }, first);
    const b = await c.createPod({ metadata: { name: 'b' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } }, second);
    await eventually(() => expect(names(first)).toEqual([`a:${a.metadata?.uid}`]));
    expect(names(second)).toEqual([`b:${b.metadata?.uid}`]);

    // A node powered off and on again runs the pods already bound to it.
    c.fleet.node(first)?.stop();
    expect(names(first)).toEqual([]);
    await c.fleet.node(first)?.start();
    await eventually(() => expect(names(first)).toEqual([`a:${a.metadata?.uid}`]));

    await c.client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await eventually(() => expect(names(first)).toEqual([]));
    const again = await c.createPod({ metadata: { name: 'a' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } }, first);
    await eventually(() => expect(names(first)).toEqual([`a:${again.metadata?.uid}`]));
    await eventually(async () => expect((await c.pod('a')).status?.phase).toBe('Running'));
    expect(names(second)).toEqual([`b:${b.metadata?.uid}`]);
    expect(c.errors).toEqual([]);
  });
});
