// How the ingress-nginx routing table picks a rule, over the real in-process API: host precedence,
// Exact before Prefix, element-wise Prefix, the longest path, rewrite-target with capture groups,
// named service ports, the class filter and the default backend; endpoints from EndpointSlices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { InformerSet, REFS } from '../cluster/shared.js';
import { startTestControlPlane, eventually, type TestControlPlane } from '../cluster/test-control-plane.js';
import { INGRESSES, INGRESS_CLASSES } from './ingress-controller.js';
import { IngressRouter } from './ingress-router.js';

let cp: TestControlPlane;
let informers: InformerSet;
let router: IngressRouter;
const NGINX = 'k8s.io/ingress-nginx';

const service = (name: string, ports: { name: string; port: number }[]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: ports.map((p) => ({ ...p, targetPort: 8080 })) } });
const slice = (svc: string, ips: string[], port: { name: string; port: number }): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: ips.map((ip, i) => ({ addresses: [ip], conditions: { ready: i === 0 } })),
  ports: [port],
});
const path = (p: string, pathType: string, svc: string, port: Record<string, unknown>) => ({ path: p, pathType, backend: { service: { name: svc, port } } });
const ingress = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default', annotations }, spec });

beforeAll(async () => {
  cp = await startTestControlPlane(1);
  const c = cp.client;
  await c.create(INGRESS_CLASSES, '', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: NGINX } });
  await c.create(INGRESS_CLASSES, '', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'other' }, spec: { controller: 'example.com/other' } });
  await c.create(REFS.services, 'default', service('web', [{ name: 'http', port: 80 }]));
  await c.create(REFS.services, 'default', service('api', [{ name: 'grpc', port: 9000 }]));
  await c.create(REFS.endpointSlices, 'default', slice('web', ['10.244.1.5', '10.244.1.6'], { name: 'http', port: 8080 }));
  await c.create(INGRESSES, 'default', ingress('hosts', { ingressClassName: 'nginx', rules: [
    { host: 'foo.com', http: { paths: [path('/', 'Prefix', 'web', { number: 80 }), path('/api', 'Prefix', 'api', { name: 'grpc' }), path('/api/v2', 'Exact', 'web', { number: 80 })] } },
    { host: '*.bar.com', http: { paths: [path('/', 'Prefix', 'api', { number: 9000 })] } },
  ] }));
  await c.create(INGRESSES, 'default', ingress('rewrite', { ingressClassName: 'nginx', rules: [{ http: { paths: [path('/app(/|$)(.*)', 'ImplementationSpecific', 'web', { number: 80 })] } }] }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }));
  await c.create(INGRESSES, 'default', ingress('elsewhere', { ingressClassName: 'other', rules: [{ host: 'other.com', http: { paths: [path('/', 'Prefix', 'web', { number: 80 })] } }] }));
  informers = new InformerSet(c, () => undefined);
  router = new IngressRouter({ ingresses: informers.get(INGRESSES), classes: informers.get(INGRESS_CLASSES), services: informers.get(REFS.services), slices: informers.get(REFS.endpointSlices) });
  await informers.start();
  await eventually(() => informers.get(INGRESSES).list().length === 3, 'ingresses in the cache');
});

afterAll(async () => {
  informers?.dispose();
  await cp?.close();
});

describe('IngressRouter', () => {
  it('chooses by host, then Exact before Prefix and the longest path; Prefix matches whole elements', () => {
    const r = (host: string, p: string) => router.route(NGINX, host, p);
    expect(r('foo.com', '/')).toMatchObject({ ingress: 'hosts', service: 'web', servicePort: 80, path: '/', endpoints: [{ ip: '10.244.1.5', port: 8080 }] });
    expect(r('foo.com', '/api/v1?x=1')).toMatchObject({ service: 'api', servicePort: 9000, path: '/api/v1?x=1', endpoints: [] });
    expect(r('foo.com', '/api/v2')).toMatchObject({ service: 'web' });
    expect(r('foo.com', '/apix')).toMatchObject({ service: 'web' });
    expect(r('a.bar.com', '/x')).toMatchObject({ service: 'api' });
    expect(r('a.b.bar.com', '/x')?.service).not.toBe('api');
  });

  it('rewrites with capture groups when rewrite-target is set (rules without host serve any host)', () => {
    expect(router.route(NGINX, '172.18.255.200', '/app/static/x.css')).toMatchObject({ ingress: 'rewrite', path: '/static/x.css' });
    expect(router.route(NGINX, 'anything', '/app')).toMatchObject({ ingress: 'rewrite', path: '/' });
  });

  it("serves only its classes' Ingresses; no rule: the default backend", () => {
    expect(router.route(NGINX, 'other.com', '/elsewhere')).toBeUndefined();
    expect(router.route('example.com/other', 'other.com', '/')).toMatchObject({ ingress: 'elsewhere' });
  });
});
