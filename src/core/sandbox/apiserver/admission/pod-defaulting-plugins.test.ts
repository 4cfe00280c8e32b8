// Priority, DefaultTolerationSeconds and DefaultStorageClass: the small mutating plugins.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { DefaultStorageClassPlugin, pickDefaultClass } from './default-storage-class.js';
import { DefaultTolerationSecondsPlugin } from './default-tolerations.js';
import { PriorityPlugin } from './priority.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';

const PC = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
const SC = { group: 'storage.k8s.io', resource: 'storageclasses' };

function priorityClass(name: string, value: number, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra };
}

describe('Priority', () => {
  const plugin = new PriorityPlugin();

  it('resolves a PriorityClass into priority and preemptionPolicy', async () => {
    const c = new TestApiClient().seed(PC, priorityClass('high', 1000, { preemptionPolicy: 'Never' }));
    const obj = pod('x', { priorityClassName: 'high' });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), c);
    expect(obj.spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
  });

  it('knows the system classes even before they are bootstrapped', async () => {
    const obj = pod('dns', { priorityClassName: 'system-cluster-critical' });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), new TestApiClient());
    expect(obj.spec).toMatchObject({ priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' });
    const node = pod('proxy', { priorityClassName: 'system-node-critical' });
    await plugin.admit(attrs('CREATE', 'pods', { object: node }), new TestApiClient());
    expect(node.spec).toMatchObject({ priority: 2000001000 });
  });

  it('refuses an unknown class', async () => {
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('x', { priorityClassName: 'foo' }) }), new TestApiClient()));
    expect(err.status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "x" is forbidden: no PriorityClass with name foo was found' });
  });

  it('uses the globalDefault class (the lowest if several), else priority 0', async () => {
    const c = new TestApiClient().seed(PC, priorityClass('normal', 100, { globalDefault: true }), priorityClass('low', 10, { globalDefault: true }), priorityClass('high', 1000));
    const obj = pod('x');
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), c);
    expect(obj.spec).toMatchObject({ priorityClassName: 'low', priority: 10, preemptionPolicy: 'PreemptLowerPriority' });
    const plain = pod('y');
    await plugin.admit(attrs('CREATE', 'pods', { object: plain }), new TestApiClient());
    expect(plain.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect((plain.spec as Record<string, unknown>).priorityClassName).toBeUndefined();
  });

  it('refuses a pod that sets its own different priority', async () => {
    const c = new TestApiClient().seed(PC, priorityClass('high', 1000));
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('x', { priorityClassName: 'high', priority: 5 }) }), c));
    expect(err.status.message).toBe(
      'pods "x" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
    await plugin.admit(attrs('CREATE', 'pods', { object: pod('y', { priorityClassName: 'high', priority: 1000 }) }), c);
  });

  it('keeps the priority on updates that drop it', async () => {
    const old = pod('x', { priority: 1000, preemptionPolicy: 'Never' });
    const obj = pod('x');
    await plugin.admit(attrs('UPDATE', 'pods', { object: obj, oldObject: old }), new TestApiClient());
    expect(obj.spec).toMatchObject({ priority: 1000, preemptionPolicy: 'Never' });
  });

  it('allows only one globalDefault PriorityClass', async () => {
    const c = new TestApiClient().seed(PC, priorityClass('normal', 100, { globalDefault: true }));
    const err = await rejection(plugin.validate(attrs('CREATE', 'priorityclasses', { object: priorityClass('other', 5, { globalDefault: true }) }), c));
    expect(err.status.message).toBe('priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist');
    expect(err.status.details).toMatchObject({ group: 'scheduling.k8s.io', kind: 'priorityclasses', name: 'other' });
    const same = priorityClass('normal', 200, { globalDefault: true });
    await plugin.validate(attrs('UPDATE', 'priorityclasses', { object: same, oldObject: same }), c);
  });
});

describe('DefaultTolerationSeconds', () => {
  const plugin = new DefaultTolerationSecondsPlugin();

  it('adds the not-ready and unreachable tolerations', async () => {
    const obj = pod('x', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }));
    expect((obj.spec as Record<string, unknown>).tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps existing ones and treats an empty key or effect as a wildcard', async () => {
    const own = pod('x', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] });
    await plugin.admit(attrs('CREATE', 'pods', { object: own }));
    expect((own.spec as { tolerations: { key: string }[] }).tolerations.map((t) => t.key)).toEqual(['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);
    const all = pod('y', { tolerations: [{ operator: 'Exists' }] });
    await plugin.admit(attrs('CREATE', 'pods', { object: all }));
    expect((all.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('leaves other resources and subresources alone', async () => {
    const obj = pod('x');
    await plugin.admit(attrs('CREATE', 'pods', { object: obj, subresource: 'binding' }));
    expect((obj.spec as Record<string, unknown>).tolerations).toBeUndefined();
  });
});

describe('DefaultStorageClass', () => {
  const plugin = new DefaultStorageClassPlugin();
  const sc = (name: string, created: string, isDefault: boolean, beta = false): KubeObject => ({
    metadata: {
      name,
      creationTimestamp: created,
      annotations: isDefault ? { [beta ? 'storageclass.beta.kubernetes.io/is-default-class' : 'storageclass.kubernetes.io/is-default-class']: 'true' } : {},
    },
    provisioner: 'kubedesk.io/hostpath',
  });
  const claim = (spec: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });

  it('gives a claim without a class the newest default class', async () => {
    const c = new TestApiClient().seed(SC, sc('standard', '2026-01-01T00:00:00Z', true), sc('fast', '2026-02-01T00:00:00Z', true, true), sc('slow', '2026-03-01T00:00:00Z', false));
    const obj = claim();
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: obj }), c);
    expect((obj.spec as Record<string, unknown>).storageClassName).toBe('fast');
  });

  it('breaks creation-time ties by name', () => {
    expect(pickDefaultClass([sc('b', '2026-01-01T00:00:00Z', true), sc('a', '2026-01-01T00:00:00Z', true)])?.metadata.name).toBe('a');
  });

  it('leaves claims that chose a class, even "", and does nothing without a default', async () => {
    const c = new TestApiClient().seed(SC, sc('standard', '2026-01-01T00:00:00Z', true));
    const none = claim({ storageClassName: '' });
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: none }), c);
    expect((none.spec as Record<string, unknown>).storageClassName).toBe('');
    const beta = claim();
    beta.metadata.annotations = { 'volume.beta.kubernetes.io/storage-class': 'legacy' };
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: beta }), c);
    expect((beta.spec as Record<string, unknown>).storageClassName).toBeUndefined();
    const plain = claim();
    await plugin.admit(attrs('CREATE', 'persistentvolumeclaims', { object: plain }), new TestApiClient().seed(SC, sc('x', '2026-01-01T00:00:00Z', false)));
    expect((plain.spec as Record<string, unknown>).storageClassName).toBeUndefined();
  });
});
