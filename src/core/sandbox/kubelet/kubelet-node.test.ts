import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster();
});
afterEach(async () => {
  await c.close();
});

const lease = async (node: string) => (await c.client.get({ group: 'coordination.k8s.io', resource: 'leases' }, 'kube-node-lease', node)) as unknown as Lease;
const node = async (name: string) => (await c.client.get({ group: '', resource: 'nodes' }, '', name)) as unknown as Node;

describe('node status and Lease', () => {
  it('renews the Lease every 10 s and posts Ready conditions with heartbeats and images', async () => {
    expect((await lease('kubedesk-worker')).spec?.renewTime).toBe('2026-01-01T00:00:00.000000Z');
    await c.advance(10_000);
    await eventually(async () => expect((await lease('kubedesk-worker')).spec?.renewTime).toBe('2026-01-01T00:00:10.000000Z'));
    await c.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await eventually(async () => expect((await c.pod('web')).status?.phase).toBe('Running'));
    await c.advance(5 * 60_000, 10_000);
    const n = await eventually(async () => {
      const got = await node('kubedesk-worker');
      expect(got.status?.conditions?.find((x) => x.type === 'Ready')?.lastHeartbeatTime).toBe('2026-01-01T00:05:00Z');
      return got;
    });
    expect(n.status!.conditions!.map((x) => `${x.type}=${x.status}:${x.reason}`)).toEqual([
      'MemoryPressure=False:KubeletHasSufficientMemory',
      'DiskPressure=False:KubeletHasNoDiskPressure',
      'PIDPressure=False:KubeletHasSufficientPID',
      'Ready=True:KubeletReady',
    ]);
    expect(n.status!.images).toContainEqual({ names: [expect.stringMatching(/^docker\.io\/library\/nginx@sha256:/), 'docker.io/library/nginx:latest'], sizeBytes: 72099410 });
    expect(n.status!.capacity?.cpu).toBe('4');
  });

  it('a stopped node stops renewing its Lease and running pods; start() resumes both', async () => {
    await c.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await eventually(async () => expect((await c.pod('web')).status?.phase).toBe('Running'));
    const kubelet = c.fleet.node('kubedesk-worker')!;
    kubelet.stop();
    expect(c.fleet.containerFor('default', 'web')).toBeUndefined();
    await c.advance(60_000, 10_000);
    expect((await lease('kubedesk-worker')).spec?.renewTime).toBe('2026-01-01T00:00:00.000000Z');
    expect((await lease('kubedesk-control-plane')).spec?.renewTime).toBe('2026-01-01T00:01:00.000000Z');
    await kubelet.start();
    await eventually(async () => expect((await lease('kubedesk-worker')).spec?.renewTime).toBe('2026-01-01T00:01:00.000000Z'));
    await eventually(() => expect(c.fleet.containerFor('default', 'web')).toBeDefined());
    expect(c.errors).toEqual([]);
  });
});

describe('nodes added and removed', () => {
  it('a new Node object gets a kubelet (Lease, pods run); a deleted one stops', async () => {
    await c.client.create({ group: '', resource: 'nodes' }, '', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'extra', labels: { 'kubernetes.io/hostname': 'extra' } },
      spec: { podCIDR: '10.244.9.0/24' },
      status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }], capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    });
    await eventually(() => expect(c.fleet.node('extra')?.isRunning).toBe(true));
    await eventually(async () => expect((await lease('extra')).spec?.holderIdentity).toBe('extra'));
    await eventually(async () => expect((await node('extra')).status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True'));
    await c.createPod({ metadata: { name: 'on-extra' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } }, 'extra');
    await eventually(async () => expect((await c.pod('on-extra')).status?.podIP).toMatch(/^10\.244\.9\./));
    await c.client.delete({ group: '', resource: 'nodes' }, '', 'extra');
    await eventually(() => expect(c.fleet.node('extra')).toBeUndefined());
  });
});

describe('logs, exec lookup, metrics, cluster network', () => {
  it('keeps current and previous logs with timestamps, tail and since', async () => {
    await c.createPod({ metadata: { name: 'talk' }, spec: { containers: [{ name: 'a', image: 'busybox', command: ['print:one', 'sleep:2', 'print:two', 'sleep:2', 'exit:1'] }] } });
    await eventually(async () => expect((await c.pod('talk')).status?.phase).toBe('Running'));
    await c.advance(4000);
    await eventually(async () => expect((await c.pod('talk')).status?.containerStatuses?.[0].restartCount).toBe(1));
    expect(c.fleet.logs.read('default', 'talk', 'a', { previous: true })).toEqual(['one\n', 'two\n']);
    expect(c.fleet.logs.read('default', 'talk', 'a', { previous: true, tailLines: 1, timestamps: true })).toEqual(['2026-01-01T00:00:02.000000000Z two\n']);
    expect(c.fleet.logs.read('default', 'talk', 'a', { previous: true, sinceTime: new Date('2026-01-01T00:00:01Z') })).toEqual(['two\n']);
    expect(c.fleet.logs.read('default', 'talk', 'a', { previous: true, limitBytes: 6 })).toEqual(['one\n', 'tw']);
    expect(c.fleet.logs.read('default', 'talk', 'a')).toEqual(['one\n']);
    const followed: string[] = [];
    let ended = false;
    c.fleet.logs.follow('default', 'talk', 'a', {}, { onLine: (l) => followed.push(l), onEnd: () => (ended = true) });
    await c.advance(4000);
    expect(followed).toEqual(['one\n', 'two\n']);
    expect(ended).toBe(true);
  });

  it('serves pod and node metrics from the runtime usage', async () => {
    await c.createPod({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await c.createPod({ metadata: { name: 'other', labels: { app: 'other' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await eventually(async () => expect((await c.pod('other')).status?.phase).toBe('Running'));
    const pods = c.fleet.metrics.podMetrics('default', 'app=web');
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({ kind: 'PodMetrics', metadata: { name: 'web', namespace: 'default' }, containers: [{ name: 'nginx', usage: { cpu: '1000000n', memory: '4096Ki' } }] });
    const nodes = c.fleet.metrics.nodeMetrics();
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['kubedesk-control-plane', 'kubedesk-worker']);
  });

  it('resolves service names and load-balances ClusterIP connections over ready pods', async () => {
    const svc = await c.client.create({ group: '', resource: 'services' }, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80 }] },
    });
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    for (const name of ['w1', 'w2']) await c.createPod({ metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await eventually(async () => expect((await c.pod('w2')).status?.phase).toBe('Running'));
    const net = c.fleet.network;
    await eventually(() => expect(net.lookup('web', 'default')).toEqual([ip]));
    expect(net.lookup('web.default', 'other')).toEqual([ip]);
    expect(net.lookup('web.default.svc.cluster.local.', 'other')).toEqual([ip]);
    expect(net.lookup('web', 'other')).toEqual([]);
    expect(net.lookup('kubernetes.default', 'x')).toEqual(['10.96.0.1']);
    expect(net.lookup('10-244-1-7.default.pod.cluster.local', 'x')).toEqual(['10.244.1.7']);
    for (let i = 0; i < 4; i++) expect((await net.http(ip, 8080, { method: 'GET', path: '/', headers: {} }))?.status).toBe(200);
    const conn = net.connect(ip, 8080)?.connect?.();
    expect(conn).toBeDefined();
    conn?.dispose();
    expect(net.resolve('web.default.svc.cluster.local')).toEqual([ip]);
    expect(net.resolve('web')).toEqual([]);
    // Round robin over the two ready pods.
    expect([c.runtime.latest('w1', 'nginx')!.hits, c.runtime.latest('w2', 'nginx')!.hits].sort()).toEqual([2, 3]);
    expect(net.connect(ip, 9999)).toBeUndefined();
    const p1 = (await c.pod('w1')).status!.podIP!;
    expect(net.connect(p1, 80)).toBeDefined();
    expect(net.connect(p1, 81)).toBeUndefined();
    expect(c.fleet.containerFor('default', 'w1', 'nginx')?.config.podIP).toBe(p1);
  });
});
