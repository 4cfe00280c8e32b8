import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { startClusterControllers, type RunningClusterControllers } from './index.js';
import { eventually, eventsFor, startTestControlPlane, type TestControlPlane } from './test-control-plane.js';

const SERVICES = { group: '', resource: 'services' };

let cp: TestControlPlane;
let running: RunningClusterControllers;
beforeAll(async () => {
  cp = await startTestControlPlane(1);
  running = startClusterControllers({ client: cp.client, clock: cp.clock, onError: (e) => console.error(e) });
  await running.ready;
});
afterAll(async () => {
  running.dispose();
  await cp.close();
});

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

async function ingress(name: string): Promise<string[]> {
  const svc = await cp.client.get(SERVICES, 'default', name);
  const lb = (svc.status as { loadBalancer?: { ingress?: { ip: string }[] } }).loadBalancer;
  return (lb?.ingress ?? []).map((i) => i.ip);
}

describe('service load balancer controller', () => {
  it('assigns distinct pool addresses to LoadBalancer services and records events', async () => {
    await cp.client.create(SERVICES, 'default', service('lb-a', { type: 'LoadBalancer' }));
    await cp.client.create(SERVICES, 'default', service('lb-b', { type: 'LoadBalancer' }));
    const a = await eventually(async () => ((await ingress('lb-a')).length ? ingress('lb-a') : undefined), 'lb-a address');
    const b = await eventually(async () => ((await ingress('lb-b')).length ? ingress('lb-b') : undefined), 'lb-b address');
    expect(a[0]).toMatch(/^172\.18\.255\.(2[0-4]\d|250)$/);
    expect(b[0]).not.toBe(a[0]);
    const reasons = await eventually(async () => {
      const r = (await eventsFor(cp.client, 'default', 'lb-a')).map((e) => e.reason);
      return r.includes('EnsuredLoadBalancer') ? r : undefined;
    }, 'events');
    expect(reasons).toContain('EnsuringLoadBalancer');
  });

  it('leaves ClusterIP services and other load-balancer classes alone', async () => {
    await cp.client.create(SERVICES, 'default', service('plain', {}));
    await cp.client.create(SERVICES, 'default', service('other-class', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }));
    await running.idle();
    expect(await ingress('plain')).toEqual([]);
    expect(await ingress('other-class')).toEqual([]);
  });

  it('honours spec.loadBalancerIP and frees the address when the type changes', async () => {
    await cp.client.create(SERVICES, 'default', service('fixed', { type: 'LoadBalancer', loadBalancerIP: '172.18.255.240' }));
    await eventually(async () => ((await ingress('fixed'))[0] === '172.18.255.240' ? true : undefined), 'requested address');
    const svc = await cp.client.get(SERVICES, 'default', 'fixed');
    await cp.client.update(SERVICES, 'default', { ...svc, spec: { ...(svc.spec as object), type: 'ClusterIP', loadBalancerIP: undefined } });
    await eventually(async () => ((await ingress('fixed')).length === 0 ? true : undefined), 'address released');
  });
});
