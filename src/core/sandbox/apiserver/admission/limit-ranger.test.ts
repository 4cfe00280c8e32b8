import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { LimitRangerPlugin, aggregateMessage } from './limit-ranger.js';
import { TestApiClient } from './test-client.js';
import { attrs, container, pod, rejection } from './test-fixtures.js';

const LR = { group: '', resource: 'limitranges' };

function limitRange(name: string, limits: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: 'default' }, spec: { limits } };
}

const plugin = new LimitRangerPlugin();

async function admitAndValidate(c: TestApiClient, obj: KubeObject, plural = 'pods'): Promise<void> {
  const a = attrs('CREATE', plural, { object: obj });
  await plugin.admit(a, c);
  await plugin.validate(a, c);
}

describe('LimitRanger defaults', () => {
  const defaults = limitRange('defaults', [
    { type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '0.1', memory: '128Mi' } },
  ]);

  it('fills missing requests and limits and records what it set', async () => {
    const obj = pod('web');
    await admitAndValidate(new TestApiClient().seed(LR, defaults), obj);
    const spec = obj.spec as { containers: { resources: unknown }[] };
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(obj.metadata.annotations).toEqual({
      'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx',
    });
  });

  it('keeps what the container set and reports only what was added, init containers included', async () => {
    const obj = pod('web', { containers: [container('app', { cpu: '200m' }, { cpu: '1', memory: '1Gi' })], initContainers: [container('setup')] });
    await admitAndValidate(new TestApiClient().seed(LR, defaults), obj);
    const spec = obj.spec as { containers: { resources: unknown }[]; initContainers: { resources: unknown }[] };
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(spec.initContainers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(obj.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: memory request for container app; cpu, memory request for init container setup; cpu, memory limit for init container setup',
    );
  });

  it('derives defaults as SetDefaults_LimitRangeItem: limit from max, request from default then min', async () => {
    const lr = limitRange('derived', [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }]);
    const obj = pod('web');
    await admitAndValidate(new TestApiClient().seed(LR, lr), obj);
    expect((obj.spec as { containers: { resources: unknown }[] }).containers[0].resources).toEqual({
      requests: { cpu: '2', memory: '64Mi' },
      limits: { cpu: '2' },
    });
  });

  it('does nothing without LimitRanges, on pod updates, and on subresources', async () => {
    const obj = pod('web');
    await admitAndValidate(new TestApiClient(), obj);
    expect(obj.metadata.annotations).toBeUndefined();
    const c = new TestApiClient().seed(LR, defaults);
    await plugin.admit(attrs('UPDATE', 'pods', { object: obj, oldObject: pod('web') }), c);
    await plugin.admit(attrs('CREATE', 'pods', { object: obj, subresource: 'binding' }), c);
    expect(c.calls).toEqual([]);
  });
});

describe('LimitRanger validation', () => {
  it('enforces a Container max on limits', async () => {
    const c = new TestApiClient().seed(LR, limitRange('cpu', [{ type: 'Container', max: { cpu: '1' } }]));
    const err = await rejection(admitAndValidate(c, pod('x', { containers: [container('nginx', { cpu: '500m' }, { cpu: '2' })] })));
    expect(err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
      details: { name: 'x', kind: 'pods' },
    });
  });

  it('enforces min on requests and reports several violations in brackets', async () => {
    const c = new TestApiClient().seed(LR, limitRange('mins', [{ type: 'Container', min: { cpu: '200m', memory: '1Gi' }, max: { memory: '2Gi' } }]));
    const obj = pod('x', { containers: [container('nginx', { cpu: '100m', memory: '512Mi' }, { cpu: '1', memory: '1536Mi' })] });
    const err = await rejection(admitAndValidate(c, obj));
    expect(err.status.message).toBe(
      'pods "x" is forbidden: [minimum cpu usage per Container is 200m, but request is 100m, minimum memory usage per Container is 1Gi, but request is 512Mi]',
    );
  });

  it('enforces maxLimitRequestRatio with the ratio printed as %f', async () => {
    const c = new TestApiClient().seed(LR, limitRange('ratio', [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }]));
    const err = await rejection(admitAndValidate(c, pod('x', { containers: [container('nginx', { cpu: '250m' }, { cpu: '1' })] })));
    expect(err.status.message).toBe('pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000');
    const ok = new TestApiClient().seed(LR, limitRange('ratio', [{ type: 'Container', maxLimitRequestRatio: { cpu: '4' } }]));
    await admitAndValidate(ok, pod('y', { containers: [container('nginx', { cpu: '250m' }, { cpu: '1' })] }));
  });

  it('checks Pod limits against the sum of containers', async () => {
    const c = new TestApiClient().seed(LR, limitRange('pod', [{ type: 'Pod', max: { memory: '1Gi' } }]));
    const obj = pod('x', { containers: [container('a', { memory: '512Mi' }, { memory: '768Mi' }), container('b', { memory: '256Mi' }, { memory: '512Mi' })] });
    const err = await rejection(admitAndValidate(c, obj));
    expect(err.status.message).toBe('pods "x" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1280Mi');
  });

  it('says when no limit is set against a max', async () => {
    const c = new TestApiClient().seed(LR, limitRange('pod', [{ type: 'Pod', max: { cpu: '2' } }]));
    const err = await rejection(admitAndValidate(c, pod('x')));
    expect(err.status.message).toBe('pods "x" is forbidden: maximum cpu usage per Pod is 2.  No limit is specified');
  });

  it('checks PVC storage requests against min and max', async () => {
    const c = new TestApiClient().seed(LR, limitRange('storage', [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }]));
    const pvc = (name: string, storage: string): KubeObject => ({
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    const big = await rejection(admitAndValidate(c, pvc('big', '5Gi'), 'persistentvolumeclaims'));
    expect(big.status.message).toBe('persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    const small = await rejection(admitAndValidate(c, pvc('small', '500Mi'), 'persistentvolumeclaims'));
    expect(small.status.message).toBe('persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    await admitAndValidate(c, pvc('fine', '1536Mi'), 'persistentvolumeclaims');
  });

  it('aggregates like utilerrors: one alone, duplicates dropped', () => {
    expect(aggregateMessage(['a'])).toBe('a');
    expect(aggregateMessage(['a', 'b', 'a'])).toBe('[a, b]');
    expect(aggregateMessage(['a', 'a'])).toBe('a');
  });
});
