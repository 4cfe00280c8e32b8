import { describe, expect, it } from 'vitest';
import { conflictsOf, outcomeOf } from './object-actions-http.js';
import { applyBody, parseManifest } from './object-actions.js';
import { drainVerdict, LOCAL_STORAGE, skipReason, UNREPLICATED } from './object-actions-drain.js';

describe('what apply sends', () => {
  it('drops status and the server bookkeeping, keeps the intent', () => {
    const body = applyBody({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '9', generation: 3, creationTimestamp: 't', managedFields: [{ manager: 'x' }], labels: { app: 'web' } },
      spec: { replicas: 2 },
      status: { replicas: 2 },
    });
    expect(body).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { replicas: 2 } });
  });
});

describe('manifests', () => {
  it('reads every document, skips empty ones, says what is wrong with the others', () => {
    const docs = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\nkind: ConfigMap\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Pod\nmetadata: {}\n---\n- a list\n');
    expect(docs.map((d) => d.object?.metadata.name ?? d.error)).toEqual(['a', 'a document lacks apiVersion or kind', 'the Pod lacks metadata.name', 'a document is not a mapping: each must be one Kubernetes object']);
    expect(parseManifest('a: [1\n')[0].error).toMatch(/^YAML error/);
  });
});

describe('API answers', () => {
  it('turns a 409 apply conflict into managers and fields', () => {
    const outcome = outcomeOf(
      {
        status: 409,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          code: 409,
          reason: 'Conflict',
          message: 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas',
          details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.replicas' }] },
        },
      },
      'apply',
    );
    expect(outcome).toMatchObject({ ok: false, code: 409, reason: 'Conflict', conflicts: [{ manager: 'kubectl-create', field: '.spec.replicas' }] });
    expect(conflictsOf([{ reason: 'FieldValueInvalid', field: 'spec.replicas' }])).toEqual([]);
  });

  it('keeps a non-Status error readable', () => {
    expect(outcomeOf({ status: 502, body: '<html>Bad gateway</html>' }, 'apply Deployment/web')).toMatchObject({ ok: false, code: 502, message: 'apply Deployment/web failed: HTTP 502 <html>Bad gateway</html>' });
    expect(outcomeOf({ status: 201, body: { metadata: { name: 'a' } } }, 'create')).toMatchObject({ ok: true, created: true });
  });
});

describe('drain', () => {
  it('leaves DaemonSet, mirror and terminating pods', () => {
    expect(skipReason({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'p', uid: 'u', controller: true }] } })).toMatch(/DaemonSet/);
    expect(skipReason({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'x' } } })).toMatch(/mirror/);
    expect(skipReason({ metadata: { deletionTimestamp: 't' } })).toMatch(/terminating/);
    expect(skipReason({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true }] } })).toBeUndefined();
  });

  it('refuses emptyDir and controller-less pods as kubectl does, unless told to delete them', () => {
    const owned = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true }];
    const scratch = { metadata: { ownerReferences: owned }, spec: { volumes: [{ name: 'tmp', emptyDir: {} }] } };
    expect(drainVerdict(scratch)).toEqual({ action: 'refuse', reason: LOCAL_STORAGE });
    expect(drainVerdict(scratch, { deleteEmptyDirData: true })).toEqual({ action: 'evict', warning: 'deleting Pods with local storage' });
    expect(drainVerdict({ metadata: {} })).toEqual({ action: 'refuse', reason: UNREPLICATED });
    expect(drainVerdict({ metadata: {} }, { force: true })).toEqual({ action: 'evict', warning: 'deleting Pods that declare no controller' });
    // Finished pods lose nothing: evicted without options, even a DaemonSet's.
    expect(drainVerdict({ metadata: {}, spec: { volumes: [{ emptyDir: {} }] }, status: { phase: 'Succeeded' } })).toEqual({ action: 'evict' });
    expect(drainVerdict({ metadata: { ownerReferences: [{ ...owned[0], kind: 'DaemonSet' }] }, status: { phase: 'Failed' } })).toEqual({ action: 'evict' });
    // Already leaving: waited for, not evicted again.
    expect(drainVerdict({ metadata: { deletionTimestamp: 't' } })).toEqual({ action: 'wait' });
    expect(LOCAL_STORAGE).toBe('cannot delete Pods with local storage (use --delete-emptydir-data to override)');
  });
});
