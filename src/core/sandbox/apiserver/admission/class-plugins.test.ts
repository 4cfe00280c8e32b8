// DefaultIngressClass, PersistentVolumeClaimResize, RuntimeClass and the protection plugins.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { DefaultIngressClassPlugin } from './default-ingress-class.js';
import { DefaultStorageClassPlugin } from './default-storage-class.js';
import { PriorityPlugin } from './priority.js';
import { StorageObjectInUseProtectionPlugin, TaintNodesByConditionPlugin } from './protection-plugins.js';
import { PersistentVolumeClaimResizePlugin } from './pvc-resize.js';
import { RuntimeClassPlugin } from './runtime-class.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';

const IC = { group: 'networking.k8s.io', resource: 'ingressclasses' };
const SC = { group: 'storage.k8s.io', resource: 'storageclasses' };
const RC = { group: 'node.k8s.io', resource: 'runtimeclasses' };
const PC = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

describe('DefaultIngressClass', () => {
  const plugin = new DefaultIngressClassPlugin();
  const ingress = (extra: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { rules: [{ host: 'example.test' }], ...extra },
  });
  const cls = (name: string, created: string, isDefault: boolean): KubeObject => ({
    metadata: { name, creationTimestamp: created, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });

  it('sets the newest default class on ingresses that name none', async () => {
    const c = new TestApiClient().seed(IC, cls('nginx', '2026-01-01T00:00:00Z', true), cls('traefik', '2026-02-01T00:00:00Z', true), cls('other', '2026-03-01T00:00:00Z', false));
    const obj = ingress();
    await plugin.admit(attrs('CREATE', 'ingresses', { object: obj }), c);
    expect((obj.spec as Record<string, unknown>).ingressClassName).toBe('traefik');
  });

  it('respects an explicit class or the legacy annotation', async () => {
    const c = new TestApiClient().seed(IC, cls('nginx', '2026-01-01T00:00:00Z', true));
    const named = ingress({ ingressClassName: 'mine' });
    await plugin.admit(attrs('CREATE', 'ingresses', { object: named }), c);
    expect((named.spec as Record<string, unknown>).ingressClassName).toBe('mine');
    const legacy = ingress({}, { 'kubernetes.io/ingress.class': 'haproxy' });
    await plugin.admit(attrs('CREATE', 'ingresses', { object: legacy }), c);
    expect((legacy.spec as Record<string, unknown>).ingressClassName).toBeUndefined();
  });
});

describe('optional class kinds that are not served', () => {
  it('leave ingresses, claims and pods alone instead of failing them', async () => {
    const c = new TestApiClient().unserve(IC).unserve(SC).unserve(PC);
    const ing: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: {} };
    await new DefaultIngressClassPlugin().admit(attrs('CREATE', 'ingresses', { object: ing }), c);
    const pvc: KubeObject = { metadata: { name: 'data', namespace: 'default' }, spec: {} };
    await new DefaultStorageClassPlugin().admit(attrs('CREATE', 'persistentvolumeclaims', { object: pvc }), c);
    const p = pod('x');
    await new PriorityPlugin().admit(attrs('CREATE', 'pods', { object: p }), c);
    expect(ing.spec).toEqual({});
    expect(pvc.spec).toEqual({});
    expect(p.spec).toMatchObject({ priority: 0 });
  });
});

describe('PersistentVolumeClaimResize', () => {
  const plugin = new PersistentVolumeClaimResizePlugin();
  const claim = (storage: string, cls = 'standard', phase = 'Bound'): KubeObject => ({
    metadata: { name: 'data', namespace: 'default', resourceVersion: '7' },
    spec: { storageClassName: cls, resources: { requests: { storage } } },
    status: { phase },
  });
  const sc = (name: string, allow?: boolean): KubeObject => ({ metadata: { name }, provisioner: 'kubedesk.io/hostpath', allowVolumeExpansion: allow });

  it('lets a bound claim grow when its class allows expansion', async () => {
    const c = new TestApiClient().seed(SC, sc('standard', true));
    await plugin.validate(attrs('UPDATE', 'persistentvolumeclaims', { object: claim('2Gi'), oldObject: claim('1Gi') }), c);
  });

  it('refuses growth without allowVolumeExpansion, and for unbound claims', async () => {
    const c = new TestApiClient().seed(SC, sc('standard'));
    const err = await rejection(plugin.validate(attrs('UPDATE', 'persistentvolumeclaims', { object: claim('2Gi'), oldObject: claim('1Gi') }), c));
    expect(err.status.message).toBe(
      'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    const pending = await rejection(plugin.validate(attrs('UPDATE', 'persistentvolumeclaims', { object: claim('2Gi', 'standard', 'Pending'), oldObject: claim('1Gi', 'standard', 'Pending') }), c));
    expect(pending.status.message).toBe('persistentvolumeclaims "data" is forbidden: Only bound persistent volume claims can be expanded');
  });

  it('ignores updates that do not grow the request', async () => {
    const c = new TestApiClient();
    await plugin.validate(attrs('UPDATE', 'persistentvolumeclaims', { object: claim('1024Mi'), oldObject: claim('1Gi') }), c);
    expect(c.calls).toEqual([]);
  });
});

describe('RuntimeClass', () => {
  const plugin = new RuntimeClassPlugin();
  const gvisor: KubeObject = {
    metadata: { name: 'gvisor' },
    handler: 'runsc',
    overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
    scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
  };

  it('copies overhead and scheduling constraints into the pod', async () => {
    const c = new TestApiClient().seed(RC, gvisor);
    const obj = pod('x', { runtimeClassName: 'gvisor', nodeSelector: { disk: 'ssd' } });
    const a = attrs('CREATE', 'pods', { object: obj });
    await plugin.admit(a, c);
    await plugin.validate(a, c);
    expect(obj.spec).toMatchObject({
      overhead: { cpu: '250m', memory: '120Mi' },
      nodeSelector: { disk: 'ssd', sandbox: 'gvisor' },
      tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  it('refuses unknown classes, conflicting selectors and overhead without a class', async () => {
    const c = new TestApiClient().seed(RC, gvisor);
    const missing = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('x', { runtimeClassName: 'kata' }) }), c));
    expect(missing.status.message).toBe('pods "x" is forbidden: pod rejected: RuntimeClass "kata" not found');
    const conflict = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('y', { runtimeClassName: 'gvisor', nodeSelector: { sandbox: 'kata' } }) }), c));
    expect(conflict.status.message).toBe('pods "y" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = kata');
    const overhead = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('z', { overhead: { cpu: '1' } }) }), c));
    expect(overhead.status.message).toBe('pods "z" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    const mismatch = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('w', { runtimeClassName: 'gvisor', overhead: { cpu: '1' } }) }), c));
    expect(mismatch.status.message).toBe("pods \"w\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
  });
});

describe('protection plugins', () => {
  it('adds the pvc/pv protection finalizers once', async () => {
    const plugin = new StorageObjectInUseProtectionPlugin();
    const pvc: KubeObject = { metadata: { name: 'data', namespace: 'default', finalizers: ['example.com/keep'] }, spec: {} };
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: pvc }));
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: pvc }));
    expect(pvc.metadata.finalizers).toEqual(['example.com/keep', 'kubernetes.io/pvc-protection']);
    const pv: KubeObject = { metadata: { name: 'pv1' }, spec: {} };
    await plugin.admit(attrs('CREATE', 'persistentvolumes', { object: pv }));
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
  });

  it('taints new nodes not-ready:NoSchedule unless already tainted', async () => {
    const plugin = new TaintNodesByConditionPlugin();
    const node: KubeObject = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } };
    await plugin.admit(attrs('CREATE', 'nodes', { object: node }));
    await plugin.admit(attrs('CREATE', 'nodes', { object: node }));
    expect((node.spec as Record<string, unknown>).taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    ]);
  });
});
