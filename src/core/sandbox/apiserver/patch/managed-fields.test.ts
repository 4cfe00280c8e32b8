import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { builtinPatchSchema } from './builtin-schema.js';
import { FieldSet, pathString } from './field-set.js';
import { updateManagedFields } from './managed-fields.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { at, storedNginx } from './test-fixtures.js';

const schema = builtinPatchSchema('Deployment', 'apps');
const t0 = '2026-11-24T10:00:00Z';
const t1 = '2026-11-24T10:05:00Z';

/** What kube-apiserver 1.32 records for `kubectl apply` (client-side) creating the nginx Deployment. */
const createdByClientSideApply = {
  'f:metadata': {
    'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
    'f:labels': { '.': {}, 'f:app': {} },
  },
  'f:spec': {
    'f:progressDeadlineSeconds': {},
    'f:replicas': {},
    'f:revisionHistoryLimit': {},
    'f:selector': {},
    'f:strategy': {
      'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} },
      'f:type': {},
    },
    'f:template': {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:imagePullPolicy': {},
            'f:name': {},
            'f:ports': {
              '.': {},
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
            },
            'f:resources': {},
            'f:terminationMessagePath': {},
            'f:terminationMessagePolicy': {},
          },
        },
        'f:dnsPolicy': {},
        'f:restartPolicy': {},
        'f:schedulerName': {},
        'f:securityContext': {},
        'f:terminationGracePeriodSeconds': {},
      },
    },
  },
};

function created(): KubeObject {
  const obj = storedNginx();
  updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: t0, schema });
  return obj;
}

describe('FieldSet', () => {
  it('round-trips FieldsV1 and prints paths as kube-apiserver does', () => {
    const set = FieldSet.fromFieldsV1(createdByClientSideApply);
    expect(set.toFieldsV1()).toEqual(createdByClientSideApply);
    expect(JSON.stringify(set.toFieldsV1())).toBe(JSON.stringify(createdByClientSideApply));
    const paths = set.members().map(pathString);
    expect(paths).toContain('.spec.template.spec.containers[name="nginx"]');
    expect(paths).toContain('.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort');
    expect(paths).not.toContain('.spec');
  });

  it('orders keyed items by value as kube-apiserver does (port 80 before 443)', () => {
    const set = FieldSet.of([['f:ports', 'k:{"containerPort":443,"protocol":"TCP"}'], ['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], ['f:name']]);
    expect(Object.keys(set.toFieldsV1()['f:ports'] as object)).toEqual(['k:{"containerPort":80,"protocol":"TCP"}', 'k:{"containerPort":443,"protocol":"TCP"}']);
    expect(Object.keys(set.toFieldsV1())).toEqual(['f:name', 'f:ports']);
  });

  it('computes difference, intersection and recursive difference on paths', () => {
    const a = FieldSet.of([['f:spec', 'f:replicas'], ['f:spec', 'f:paused'], ['f:status', 'f:replicas']]);
    const b = FieldSet.of([['f:spec', 'f:replicas'], ['f:status']]);
    expect(a.difference(b).members()).toEqual([['f:spec', 'f:paused'], ['f:status', 'f:replicas']]);
    expect(a.intersection(b).members()).toEqual([['f:spec', 'f:replicas']]);
    expect(a.recursiveDifference(b).members()).toEqual([['f:spec', 'f:paused']]);
  });
});

describe('updateManagedFields', () => {
  it('records a create as kube-apiserver does (the FieldsV1 golden of a Deployment)', () => {
    const obj = created();
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: t0,
        fieldsType: 'FieldsV1',
        fieldsV1: createdByClientSideApply,
      },
    ]);
  });

  it('moves a changed field to the editing manager and keeps the rest', () => {
    const old = created();
    const edited = structuredClone(old);
    (at(edited, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).image = 'nginx:1.25';
    edited.metadata.resourceVersion = '2000';
    updateManagedFields(old, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    const [first, second] = edited.metadata.managedFields ?? [];
    expect(first.manager).toBe('kubectl-client-side-apply');
    expect(first.time).toBe(t0);
    expect(FieldSet.fromFieldsV1(first.fieldsV1).has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'])).toBe(false);
    expect(FieldSet.fromFieldsV1(first.fieldsV1).has(['f:spec', 'f:replicas'])).toBe(true);
    expect(second).toEqual({
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: t1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } } },
    });
  });

  it('leaves managedFields untouched when the write changes nothing ownable', () => {
    const old = created();
    const same = structuredClone(old);
    same.metadata.resourceVersion = '3000';
    same.metadata.generation = 2;
    updateManagedFields(old, same, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    expect(same.metadata.managedFields).toEqual(old.metadata.managedFields);
  });

  it('records a status write under the subresource and ignores spec there', () => {
    const old = created();
    const updated = structuredClone(old);
    updated.status = {
      observedGeneration: 1,
      replicas: 3,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    };
    (updated.spec as Record<string, unknown>).replicas = 9;
    updateManagedFields(old, updated, {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      now: t1,
      subresource: 'status',
      schema,
    });
    const entry = updated.metadata.managedFields?.find((e) => e.manager === 'kube-controller-manager');
    expect(entry).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: t1,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:status': {
          'f:conditions': {
            '.': {},
            'k:{"type":"Available"}': { '.': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} },
          },
          'f:observedGeneration': {},
          'f:replicas': {},
        },
      },
      subresource: 'status',
    });
    // The main resource's own status is never owned.
    const mainWrite = structuredClone(old);
    mainWrite.status = { replicas: 1 };
    updateManagedFields(old, mainWrite, { manager: 'someone', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    expect(mainWrite.metadata.managedFields?.map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
  });

  it('takes the managedFields sent in the request, so [{}] resets them', () => {
    const old = created();
    const reset = structuredClone(old);
    reset.metadata.managedFields = [{}];
    reset.metadata.labels = { app: 'nginx', tier: 'web' };
    updateManagedFields(old, reset, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    expect(reset.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-label',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: t1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } } },
      },
    ]);
  });

  it('drops a manager whose last field another write removed', () => {
    const old = created();
    const labelled = structuredClone(old);
    labelled.metadata.labels = { app: 'nginx', tier: 'web' };
    updateManagedFields(old, labelled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    const unlabelled = structuredClone(labelled);
    unlabelled.metadata.labels = { app: 'nginx' };
    updateManagedFields(labelled, unlabelled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    expect(unlabelled.metadata.managedFields?.map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
  });

  it('records the strategic merge patch of a client-side apply under the same Update entry', () => {
    const live = created();
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ name: 'nginx', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'prod' }] }],
          },
        },
      },
    };
    const patched = applyStrategicMergePatch(live, patch, schema) as KubeObject;
    updateManagedFields(live, patched, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    expect(patched.metadata.managedFields).toHaveLength(1);
    const [entry] = patched.metadata.managedFields ?? [];
    expect(entry.time).toBe(t1);
    const set = FieldSet.fromFieldsV1(entry.fieldsV1);
    const container = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}'];
    expect(set.has([...container, 'f:image'])).toBe(true);
    // A list that did not exist is itself added: FieldsV1 shows "f:env": {".": {}, ...}.
    expect(set.has([...container, 'f:env'])).toBe(true);
    expect(set.has([...container, 'f:env', 'k:{"name":"MODE"}'])).toBe(true);
    expect(set.has([...container, 'f:env', 'k:{"name":"MODE"}', 'f:value'])).toBe(true);
    expect(set.has(['f:spec', 'f:replicas'])).toBe(true);
  });
});
