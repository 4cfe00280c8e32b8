import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { builtinPatchSchema } from './builtin-schema.js';
import { updateManagedFields } from './managed-fields.js';
import { serverSideApply } from './server-side-apply.js';

const t0 = '2026-11-24T10:00:00Z';
const t1 = '2026-11-24T10:00:05Z';

describe('builtin schemas through the field manager', () => {
  it('records a kubelet status update of a Pod as kube-apiserver does', () => {
    const schema = builtinPatchSchema('Pod', '');
    const scheduled: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'default', uid: 'u1', resourceVersion: '10' },
      spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      status: {
        phase: 'Pending',
        qosClass: 'BestEffort',
        conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t0 }],
      },
    };
    const running = structuredClone(scheduled);
    const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t1 });
    running.status = {
      ...(running.status as object),
      phase: 'Running',
      conditions: [condition('Initialized'), condition('Ready'), condition('ContainersReady'), ...(scheduled.status as { conditions: unknown[] }).conditions],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      startTime: t0,
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, image: 'nginx:1.25', state: { running: { startedAt: t1 } } }],
    };
    (running.spec as Record<string, unknown>).activeDeadlineSeconds = 5; // ignored on the status subresource
    updateManagedFields(scheduled, running, { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', now: t1, subresource: 'status', schema });
    const condFields = { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} };
    expect(running.metadata.managedFields).toEqual([
      {
        manager: 'kubelet',
        operation: 'Update',
        apiVersion: 'v1',
        time: t1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:status': {
            'f:conditions': {
              'k:{"type":"ContainersReady"}': condFields,
              'k:{"type":"Initialized"}': condFields,
              'k:{"type":"Ready"}': condFields,
            },
            'f:containerStatuses': {},
            'f:hostIP': {},
            'f:hostIPs': {},
            'f:phase': {},
            'f:podIP': {},
            'f:podIPs': { '.': {}, 'k:{"ip":"10.244.0.5"}': { '.': {}, 'f:ip': {} } },
            'f:startTime': {},
          },
        },
        subresource: 'status',
      },
    ]);
  });

  it('keys Service ports by port and the defaulted protocol when applied', () => {
    const schema = builtinPatchSchema('Service', '');
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    };
    const { object } = serverSideApply(undefined, svc, { manager: 'kubectl', force: false, apiVersion: 'v1', now: t0, schema });
    expect(object.metadata.managedFields?.[0].fieldsV1).toEqual({
      'f:spec': {
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:targetPort': {} } },
        'f:selector': {},
      },
    });
  });

  it('records a ConfigMap create with its data map', () => {
    const schema = builtinPatchSchema('ConfigMap', '');
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { LOG_LEVEL: 'info' } };
    updateManagedFields(undefined, cm, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', now: t0, schema });
    expect(cm.metadata.managedFields?.[0].fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:LOG_LEVEL': {} } });
  });

  it('owns a RoleBinding roleRef and subjects as single values', () => {
    const schema = builtinPatchSchema('RoleBinding', 'rbac.authorization.k8s.io');
    const rb: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    updateManagedFields(undefined, rb, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'rbac.authorization.k8s.io/v1', now: t0, schema });
    expect(rb.metadata.managedFields?.[0].fieldsV1).toEqual({ 'f:roleRef': {}, 'f:subjects': {} });
  });

  it('answers patch metadata for nested pod templates and falls back for unknown kinds', () => {
    const cronjobs = builtinPatchSchema('CronJob', 'batch');
    expect(cronjobs.patchMetaFor(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 'env'])).toMatchObject({
      strategy: 'merge',
      mergeKey: 'name',
      listType: 'map',
    });
    expect(cronjobs.patchMetaFor(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'tolerations'])).toBeUndefined();
    const widget = builtinPatchSchema('Widget', 'example.com');
    expect(widget.patchMetaFor(['metadata', 'finalizers'])).toMatchObject({ listType: 'set' });
    expect(widget.resetFields(undefined)).toEqual([]);
    expect(builtinPatchSchema('Deployment', 'apps').resetFields('status')).toEqual([['spec']]);
  });
});
