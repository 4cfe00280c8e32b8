import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

const services = resourceDef('', 'services');

function nginxService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'nginx-service' },
    spec: { selector: { app: 'nginx' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

describe('services strategy', () => {
  it('defaults a ClusterIP service', () => {
    const svc = createThrough(services, nginxService());
    expect(svc.spec).toEqual({
      selector: { app: 'nginx' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('defaults targetPort to port and NodePort traffic policy', () => {
    const input = nginxService();
    input.spec = { type: 'NodePort', selector: { app: 'nginx' }, ports: [{ port: 80 }] };
    const spec = createThrough(services, input).spec as Record<string, unknown>;
    expect(spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('defaults the traffic policy of a ClusterIP service with externalIPs (kubectl expose --external-ip)', () => {
    const input = nginxService();
    input.spec = { selector: { app: 'nginx' }, ports: [{ port: 80 }], externalIPs: ['1.2.3.4'] };
    expect((createThrough(services, input).spec as Record<string, unknown>).externalTrafficPolicy).toBe('Cluster');
  });

  it('requires ports unless ExternalName, and names when there are several', () => {
    const noPorts = nginxService();
    noPorts.spec = { selector: { app: 'nginx' } };
    expect(invalidError(() => createThrough(services, noPorts)).status.message).toBe('Service "nginx-service" is invalid: spec.ports: Required value');

    const external = nginxService();
    external.spec = { type: 'ExternalName', externalName: 'my.database.example.com' };
    const created = createThrough(services, external);
    expect((created.spec as Record<string, unknown>).ipFamilies).toBeUndefined();

    const twoPorts = nginxService();
    twoPorts.spec = { ports: [{ port: 80 }, { name: 'https', port: 443 }] };
    expect(invalidError(() => createThrough(services, twoPorts)).status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
    ]);
  });

  it('forbids nodePort on ClusterIP services and checks port ranges', () => {
    const input = nginxService();
    input.spec = { ports: [{ port: 0, nodePort: 30080 }] };
    expect(invalidError(() => createThrough(services, input)).status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[0].port' },
      // targetPort was defaulted from the invalid port.
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[0].targetPort' },
      { reason: 'FieldValueForbidden', message: "Forbidden: may not be used when `type` is 'ClusterIP'", field: 'spec.ports[0].nodePort' },
    ]);
  });

  it('keeps the allocated clusterIP and nodePorts when an update omits them, and refuses to change the clusterIP', () => {
    const input = nginxService();
    (input.spec as Record<string, unknown>).type = 'NodePort';
    const created = createThrough(services, input);
    const allocated = structuredClone(created);
    Object.assign(allocated.spec as Record<string, unknown>, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    ((allocated.spec as { ports: Record<string, unknown>[] }).ports[0]).nodePort = 31000;

    const applied = nginxService();
    (applied.spec as Record<string, unknown>).type = 'NodePort';
    const updated = updateThrough(services, allocated, applied);
    expect((updated.spec as Record<string, unknown>).clusterIP).toBe('10.96.0.10');
    expect((updated.spec as Record<string, unknown>).clusterIPs).toEqual(['10.96.0.10']);
    expect((updated.spec as { ports: Record<string, unknown>[] }).ports[0].nodePort).toBe(31000);

    const moved = structuredClone(allocated);
    Object.assign(moved.spec as Record<string, unknown>, { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
    expect(invalidError(() => updateThrough(services, allocated, moved)).status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "10.96.0.11": may not change once set', field: 'spec.clusterIPs[0]' },
    ]);
  });

  it('validates service names as DNS-1035 labels', () => {
    const input = nginxService();
    input.metadata.name = '1-nginx';
    expect(invalidError(() => createThrough(services, input)).status.details?.causes?.[0].message).toMatch(/^Invalid value: "1-nginx": a DNS-1035 label/);
  });

  it('drops fields of the old type when the type changes', () => {
    const input = nginxService();
    (input.spec as Record<string, unknown>).type = 'NodePort';
    const created = createThrough(services, input);
    const allocated = structuredClone(created);
    Object.assign(allocated.spec as Record<string, unknown>, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    ((allocated.spec as { ports: Record<string, unknown>[] }).ports[0]).nodePort = 31000;

    const toClusterIP = structuredClone(allocated);
    (toClusterIP.spec as Record<string, unknown>).type = 'ClusterIP';
    const updated = updateThrough(services, allocated, toClusterIP);
    expect((updated.spec as { ports: Record<string, unknown>[] }).ports[0].nodePort).toBeUndefined();
    expect((updated.spec as Record<string, unknown>).externalTrafficPolicy).toBeUndefined();
    expect((updated.spec as Record<string, unknown>).clusterIP).toBe('10.96.0.10');

    const toExternal = structuredClone(allocated);
    Object.assign(toExternal.spec as Record<string, unknown>, { type: 'ExternalName', externalName: 'db.example.com' });
    const external = updateThrough(services, allocated, toExternal);
    expect(external.spec).not.toHaveProperty('clusterIP');
    expect(external.spec).not.toHaveProperty('ipFamilies');
  });

  it('rejects node ports outside the service node port range', () => {
    const input = nginxService();
    input.spec = { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] };
    expect(invalidError(() => createThrough(services, input)).status.message).toBe(
      'Service "nginx-service" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });
});
