import { describe, expect, it } from 'vitest';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

describe('persistent volumes and claims', () => {
  const pvcs = resourceDef('', 'persistentvolumeclaims');
  const pvs = resourceDef('', 'persistentvolumes');

  it('defaults a claim and canonicalizes its request', () => {
    const pvc = createThrough(pvcs, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0.5Gi' } } } });
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '512Mi' } }, volumeMode: 'Filesystem' });
    expect(pvc.status).toEqual({ phase: 'Pending' });
  });

  it('requires access modes and a storage request', () => {
    const err = invalidError(() => createThrough(pvcs, { metadata: { name: 'data' }, spec: {} }));
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: at least 1 access mode is required', field: 'spec.accessModes' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.resources[storage]' },
    ]);
  });

  it('keeps a claim spec immutable except for requests of bound claims', () => {
    const pvc = createThrough(pvcs, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const grown = structuredClone(pvc);
    (grown.spec as { resources: { requests: Record<string, string> } }).resources.requests.storage = '2Gi';
    expect(invalidError(() => updateThrough(pvcs, pvc, grown)).status.details?.causes?.[0].message).toBe(
      'Forbidden: spec is immutable after creation except resources.requests for bound claims\n' +
        '  core.PersistentVolumeClaimSpec{\n- \tResources: {"requests":{"storage":"1Gi"}},\n+ \tResources: {"requests":{"storage":"2Gi"}},\n  }',
    );
    const bound = { ...structuredClone(pvc), status: { phase: 'Bound' } };
    expect(() => updateThrough(pvcs, bound, { ...grown, status: { phase: 'Bound' } })).not.toThrow();
  });

  it('defaults a hostPath volume', () => {
    const pv = createThrough(pvs, { metadata: { name: 'pv0001' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/pv0001' } } });
    expect((pv.spec as Record<string, unknown>).persistentVolumeReclaimPolicy).toBe('Retain');
    expect((pv.spec as Record<string, unknown>).volumeMode).toBe('Filesystem');
    expect(pv.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2026-01-02T03:04:05Z' });
  });
});

describe('storage classes', () => {
  const scs = resourceDef('storage.k8s.io', 'storageclasses');

  it('defaults reclaimPolicy and volumeBindingMode and freezes parameters', () => {
    const sc = createThrough(scs, { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', parameters: { type: 'ssd' } });
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.volumeBindingMode).toBe('Immediate');
    const changed = { ...structuredClone(sc), parameters: { type: 'hdd' } };
    expect(invalidError(() => updateThrough(scs, sc, changed)).status.details?.causes).toEqual([
      { reason: 'FieldValueForbidden', message: 'Forbidden: updates to parameters are forbidden.', field: 'parameters' },
    ]);
  });
});

describe('namespaces', () => {
  const namespaces = resourceDef('', 'namespaces');

  it('adds the name label, the kubernetes finalizer and phase Active', () => {
    const ns = createThrough(namespaces, { metadata: { name: 'dev' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  it('rejects names that are not DNS-1123 labels', () => {
    expect(invalidError(() => createThrough(namespaces, { metadata: { name: 'my.ns' } })).status.details?.causes?.[0].field).toBe('metadata.name');
  });
});

describe('rbac', () => {
  const bindings = resourceDef('rbac.authorization.k8s.io', 'rolebindings');
  const roles = resourceDef('rbac.authorization.k8s.io', 'roles');

  it('defaults subject api groups and keeps roleRef immutable', () => {
    const rb = createThrough(bindings, {
      metadata: { name: 'read-pods' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
      roleRef: { kind: 'Role', name: 'pod-reader' },
    });
    expect(rb.subjects).toEqual([
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'default', apiGroup: '' },
    ]);
    expect(rb.roleRef).toEqual({ kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' });
    const changed = { ...structuredClone(rb), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } };
    expect(invalidError(() => updateThrough(bindings, rb, changed)).status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef',
        field: 'roleRef',
      },
    ]);
  });

  it('requires verbs in rules', () => {
    const err = invalidError(() => createThrough(roles, { metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }));
    expect(err.status.message).toBe('Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
  });
});

describe('limit ranges, quotas, hpa, ingress', () => {
  it('defaults container limit ranges from max and default', () => {
    const lr = createThrough(resourceDef('', 'limitranges'), {
      metadata: { name: 'cpu-limits' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' }, default: { memory: '512Mi' }, min: { cpu: '100m' } }] },
    });
    expect((lr.spec as { limits: unknown[] }).limits[0]).toEqual({
      type: 'Container',
      max: { cpu: '1' },
      min: { cpu: '100m' },
      default: { cpu: '1', memory: '512Mi' },
      defaultRequest: { cpu: '1', memory: '512Mi' },
    });
  });

  it('defaults an HPA to 80% CPU and minReplicas 1', () => {
    const hpa = createThrough(resourceDef('autoscaling', 'horizontalpodautoscalers'), {
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    });
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(hpa.status).toEqual({ desiredReplicas: 0 });
    expect((hpa.spec as Record<string, unknown>).behavior).toBeUndefined();
    const tuned = createThrough(resourceDef('autoscaling', 'horizontalpodautoscalers'), {
      metadata: { name: 'tuned' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    expect((tuned.spec as { behavior: unknown }).behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    });
  });

  it('requires an ingress pathType', () => {
    const err = invalidError(() =>
      createThrough(resourceDef('networking.k8s.io', 'ingresses'), {
        metadata: { name: 'web' },
        spec: { rules: [{ host: 'example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      }),
    );
    expect(err.status.message).toBe('Ingress.networking.k8s.io "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
  });
});

describe('field selectors', () => {
  it('exposes the fields kube-apiserver lets clients select on', () => {
    const secret = createThrough(resourceDef('', 'secrets'), { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' } });
    expect(resourceDef('', 'secrets').strategy.selectableFields?.(secret)).toEqual({ type: 'kubernetes.io/tls' });
    const svc = createThrough(resourceDef('', 'services'), { metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    expect(resourceDef('', 'services').strategy.selectableFields?.(svc)).toEqual({ 'spec.clusterIP': '', 'spec.type': 'NodePort' });
    const ns = createThrough(resourceDef('', 'namespaces'), { metadata: { name: 'dev' } });
    expect(resourceDef('', 'namespaces').strategy.selectableFields?.(ns)).toEqual({ 'status.phase': 'Active' });
  });
});
