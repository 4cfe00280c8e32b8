import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { ResourceQuotaPlugin, computeQuotaUsage } from './resource-quota.js';
import { TestApiClient } from './test-client.js';
import { attrs, container, pod, rejection } from './test-fixtures.js';

const RQ = { group: '', resource: 'resourcequotas' };
const PODS = { group: '', resource: 'pods' };
const SERVICES = { group: '', resource: 'services' };
const PVCS = { group: '', resource: 'persistentvolumeclaims' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };

function quota(name: string, hard: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard, ...extra } };
}

function running(name: string, cpu: string, memory: string, phase = 'Running'): KubeObject {
  const p = pod(name, { containers: [container('nginx', { cpu, memory }, { cpu, memory })] });
  p.status = { phase };
  return p;
}

let plugin: ResourceQuotaPlugin;

describe('ResourceQuota admission', () => {
  beforeEach(() => {
    plugin = new ResourceQuotaPlugin();
  });

  it('refuses the pod that would exceed a count, with the exact upstream wording', async () => {
    const c = new TestApiClient().seed(RQ, quota('compute-quota', { pods: '2' })).seed(PODS, running('a', '100m', '64Mi'), running('b', '100m', '64Mi'));
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('x') }), c));
    expect(err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "x" is forbidden: exceeded quota: compute-quota, requested: pods=1, used: pods=2, limited: pods=2',
      details: { name: 'x', kind: 'pods' },
    });
  });

  it('does not count terminal pods', async () => {
    const c = new TestApiClient()
      .seed(RQ, quota('compute-quota', { pods: '2' }))
      .seed(PODS, running('a', '100m', '64Mi'), running('done', '100m', '64Mi', 'Succeeded'), running('crashed', '100m', '64Mi', 'Failed'));
    await plugin.validate(attrs('CREATE', 'pods', { object: running('x', '100m', '64Mi') }), c);
  });

  it('lists every exceeded resource, sorted and comma-separated', async () => {
    const c = new TestApiClient()
      .seed(RQ, quota('compute-quota', { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '4', pods: '10' }))
      .seed(PODS, running('a', '800m', '768Mi'));
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: running('x', '500m', '512Mi') }), c));
    expect(err.status.message).toBe(
      'pods "x" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=500m,requests.memory=512Mi, used: requests.cpu=800m,requests.memory=768Mi, limited: requests.cpu=1,requests.memory=1Gi',
    );
  });

  it('requires explicit requests/limits for every container once a quota tracks them', async () => {
    const c = new TestApiClient().seed(RQ, quota('compute-quota', { 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi' }));
    const obj = pod('x', { containers: [container('nginx', { memory: '64Mi' }), container('sidecar', { cpu: '100m', memory: '64Mi' })] });
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: obj }), c));
    expect(err.status.message).toBe('pods "x" is forbidden: failed quota: compute-quota: must specify limits.cpu for: nginx,sidecar; requests.cpu for: nginx');
  });

  it('counts services, node ports and load balancers', async () => {
    const svc = (name: string, type: string, ports = 1): KubeObject => ({
      metadata: { name, namespace: 'default' },
      spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) },
    });
    const c = new TestApiClient()
      .seed(RQ, quota('svc', { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '1' }))
      .seed(SERVICES, svc('lb', 'LoadBalancer'), svc('np', 'NodePort'));
    expect(await computeQuotaUsage(quota('svc', { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '1' }), c)).toEqual({
      services: '2',
      'services.loadbalancers': '1',
      'services.nodeports': '2',
    });
    const err = await rejection(plugin.validate(attrs('CREATE', 'services', { object: svc('more', 'LoadBalancer', 2) }), c));
    expect(err.status.message).toBe(
      'services "more" is forbidden: exceeded quota: svc, requested: services.loadbalancers=1,services.nodeports=2, used: services.loadbalancers=1,services.nodeports=2, limited: services.loadbalancers=1,services.nodeports=2',
    );
    await plugin.validate(attrs('CREATE', 'services', { object: svc('internal', 'ClusterIP') }), c);
  });

  it('counts PVCs and requested storage, per storage class too', async () => {
    const claim = (name: string, storage: string, cls?: string): KubeObject => ({
      metadata: { name, namespace: 'default' },
      spec: { storageClassName: cls, resources: { requests: { storage } } },
    });
    const hard = { persistentvolumeclaims: '5', 'requests.storage': '10Gi', 'fast.storageclass.storage.k8s.io/requests.storage': '1Gi' };
    const c = new TestApiClient().seed(RQ, quota('storage', hard)).seed(PVCS, claim('data', '8Gi', 'standard'), claim('cache', '512Mi', 'fast'));
    expect(await computeQuotaUsage(quota('storage', hard), c)).toEqual({
      'fast.storageclass.storage.k8s.io/requests.storage': '512Mi',
      persistentvolumeclaims: '2',
      'requests.storage': '8704Mi',
    });
    const err = await rejection(plugin.validate(attrs('CREATE', 'persistentvolumeclaims', { object: claim('more', '2Gi', 'standard') }), c));
    expect(err.status.message).toBe(
      'persistentvolumeclaims "more" is forbidden: exceeded quota: storage, requested: requests.storage=2Gi, used: requests.storage=8704Mi, limited: requests.storage=10Gi',
    );
    const fast = await rejection(plugin.validate(attrs('CREATE', 'persistentvolumeclaims', { object: claim('quick', '1Gi', 'fast') }), c));
    expect(fast.status.message).toContain('requested: fast.storageclass.storage.k8s.io/requests.storage=1Gi');
  });

  it('counts objects of any resource through count/<resource>.<group> and the legacy names', async () => {
    const deploy = (name: string): KubeObject => ({ metadata: { name, namespace: 'default' }, spec: { replicas: 1 } });
    const c = new TestApiClient()
      .seed(RQ, quota('objects', { 'count/deployments.apps': '1', configmaps: '1' }))
      .seed(DEPLOYMENTS, deploy('web'))
      .seed({ group: '', resource: 'configmaps' }, { metadata: { name: 'kube-root-ca.crt', namespace: 'default' } });
    const err = await rejection(plugin.validate(attrs('CREATE', 'deployments', { object: deploy('api') }), c));
    expect(err.status.message).toBe(
      'deployments.apps "api" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
    const cm = await rejection(plugin.validate(attrs('CREATE', 'configmaps', { object: { metadata: { name: 'settings' } } }), c));
    expect(cm.status.message).toBe('configmaps "settings" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1');
    // Updates never change an object count.
    await plugin.validate(attrs('UPDATE', 'deployments', { object: deploy('web'), oldObject: deploy('web') }), c);
  });

  it('applies scoped quotas only to matching pods', async () => {
    const c = new TestApiClient()
      .seed(RQ, quota('best-effort', { pods: '1' }, { scopes: ['BestEffort'] }))
      .seed(PODS, Object.assign(pod('idle'), { status: { phase: 'Running' } }));
    // A pod with requests is NotBestEffort: the quota does not apply.
    await plugin.validate(attrs('CREATE', 'pods', { object: running('x', '100m', '64Mi') }), c);
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('y') }), c));
    expect(err.status.message).toBe('pods "y" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1');
  });

  it('matches PriorityClass scope selectors', async () => {
    const selector = { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } };
    const c = new TestApiClient().seed(RQ, quota('high-only', { pods: '0' }, selector));
    await plugin.validate(attrs('CREATE', 'pods', { object: pod('low') }), c);
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('vip', { priorityClassName: 'high' }) }), c));
    expect(err.status.message).toBe('pods "vip" is forbidden: exceeded quota: high-only, requested: pods=1, used: pods=0, limited: pods=0');
  });

  it('charges an update only for what it adds', async () => {
    const before: KubeObject = { metadata: { name: 'web', namespace: 'default', resourceVersion: '5' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    const after: KubeObject = { metadata: { name: 'web', namespace: 'default', resourceVersion: '5' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    const c = new TestApiClient().seed(RQ, quota('svc', { services: '1', 'services.nodeports': '0' })).seed(SERVICES, before);
    const err = await rejection(plugin.validate(attrs('UPDATE', 'services', { object: after, oldObject: before }), c));
    expect(err.status.message).toBe('services "web" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0');
    await plugin.validate(attrs('UPDATE', 'services', { object: before, oldObject: before }), c);
  });

  it('ignores namespaces without quotas, subresources and events', async () => {
    const c = new TestApiClient();
    await plugin.validate(attrs('CREATE', 'pods', { object: pod('x') }), c);
    expect(c.calls).toEqual(['list resourcequotas default']);
    const quiet = new TestApiClient().seed(RQ, quota('q', { pods: '0', 'count/events': '0' }));
    await plugin.validate(attrs('CREATE', 'pods', { object: pod('x'), subresource: 'binding' }), quiet);
    await plugin.validate(attrs('CREATE', 'events', { object: { metadata: { name: 'e' } } }), quiet);
    expect(quiet.calls).toEqual([]);
  });
});

describe('ResourceQuota with concurrent creates', () => {
  it('admits no more than the quota when creates race', async () => {
    let now = 0;
    const racing = new ResourceQuotaPlugin({ now: () => new Date(now), reservationTtlMs: 10_000 });
    const c = new TestApiClient().seed(RQ, quota('pods', { pods: '3' })).seed(PODS, running('a', '100m', '64Mi'));
    const results = await Promise.allSettled(['p1', 'p2', 'p3', 'p4'].map((name) => racing.validate(attrs('CREATE', 'pods', { object: pod(name) }), c)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    const reason = (results[2] as PromiseRejectedResult).reason as { status: { message: string } };
    expect(reason.status.message).toBe('pods "p3" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3');

    // Once stored, an admitted pod counts through storage, not twice.
    await c.create(PODS, 'default', Object.assign(pod('p1'), { status: { phase: 'Pending' } }));
    expect((await rejection(racing.validate(attrs('CREATE', 'pods', { object: pod('p5') }), c))).status.message).toContain('used: pods=3');
    // A create admitted but never stored stops counting after the reservation expires.
    now = 10_001;
    await racing.validate(attrs('CREATE', 'pods', { object: pod('p6') }), c);
  });

  it('follows a generateName create whose name is filled in after admission', async () => {
    const fresh = new ResourceQuotaPlugin();
    const c = new TestApiClient().seed(RQ, quota('pods', { pods: '2' }));
    const first: KubeObject = { metadata: { generateName: 'web-', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await fresh.validate(attrs('CREATE', 'pods', { name: '', object: first }), c);
    // The registry names and stores the very object admission saw.
    first.metadata.name = 'web-x7k2p';
    await c.create(PODS, 'default', first);
    const second: KubeObject = { metadata: { generateName: 'web-', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await fresh.validate(attrs('CREATE', 'pods', { name: '', object: second }), c);
    const third: KubeObject = { metadata: { generateName: 'web-', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const err = await rejection(fresh.validate(attrs('CREATE', 'pods', { name: '', object: third }), c));
    expect(err.status.message).toBe('pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('does not reserve for dry runs', async () => {
    const c = new TestApiClient().seed(RQ, quota('pods', { pods: '1' }));
    const fresh = new ResourceQuotaPlugin();
    const dry = { ...attrs('CREATE', 'pods', { object: pod('dry') }), dryRun: true };
    await fresh.validate(dry, c);
    await fresh.validate(attrs('CREATE', 'pods', { object: pod('real') }), c);
    expect((await rejection(fresh.validate(attrs('CREATE', 'pods', { object: pod('third') }), c))).status.message).toContain('used: pods=1');
  });
});

describe('computeQuotaUsage', () => {
  it('reports every tracked resource, zero included, in canonical form', async () => {
    const c = new TestApiClient().seed(PODS, running('a', '250m', '128Mi'), running('b', '0.5', '128Mi'), running('old', '1', '1Gi', 'Failed'));
    const q = quota('compute', { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi', cpu: '4', 'count/pods': '20', secrets: '5' });
    expect(await computeQuotaUsage(q, c)).toEqual({
      'count/pods': '3',
      cpu: '750m',
      'limits.memory': '256Mi',
      pods: '2',
      'requests.cpu': '750m',
      secrets: '0',
    });
  });

  it('treats a count of a resource the server does not serve as zero', async () => {
    const c = new TestApiClient();
    expect(await computeQuotaUsage(quota('q', { 'count/widgets.example.com': '3' }), c)).toEqual({ 'count/widgets.example.com': '0' });
  });
});
