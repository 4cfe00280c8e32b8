import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { builtinPatchSchema } from './builtin-schema.js';
import { FieldSet } from './field-set.js';
import { lastAppliedAnnotation } from './last-applied.js';
import { updateManagedFields } from './managed-fields.js';
import { serverSideApply, type ServerSideApplyOptions } from './server-side-apply.js';
import { at, catchApiError, nginxManifest, storedNginx } from './test-fixtures.js';

const schema = builtinPatchSchema('Deployment', 'apps');
const t0 = '2026-11-24T10:00:00Z';
const t1 = '2026-11-24T10:05:00Z';
const t2 = '2026-11-24T10:10:00Z';

function opts(manager: string, now: string, force = false): ServerSideApplyOptions {
  return { manager, force, apiVersion: 'apps/v1', now, schema };
}

/** What kube-apiserver records for `kubectl apply --server-side` of the nginx manifest. */
const appliedByKubectl = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    },
  },
};

function entry(obj: KubeObject, manager: string) {
  return obj.metadata.managedFields?.find((e) => e.manager === manager);
}

function owns(obj: KubeObject, manager: string, path: string[]): boolean {
  return FieldSet.fromFieldsV1(entry(obj, manager)?.fieldsV1).has(path);
}

/** The Deployment as created by client-side `kubectl apply`, with its Update entry. */
function createdClientSide(): KubeObject {
  const obj = storedNginx();
  updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: t0, schema });
  return obj;
}

describe('serverSideApply', () => {
  it('creates an object and records the Apply entry kube-apiserver would', () => {
    const { object, changed } = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0));
    expect(changed).toBe(true);
    expect(object.spec).toEqual(nginxManifest().spec);
    expect(object.metadata.managedFields).toEqual([
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: t0, fieldsType: 'FieldsV1', fieldsV1: appliedByKubectl },
    ]);
  });

  it('re-applying the same manifest is a no-op that keeps managedFields, time included', () => {
    const first = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    const again = serverSideApply(first, nginxManifest(), opts('kubectl', t1));
    expect(again.changed).toBe(false);
    expect(again.object).toEqual(first);
  });

  it('updates the time and the fields when the manifest changes', () => {
    const first = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    const manifest = nginxManifest();
    (at(manifest, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).env = [{ name: 'LOG_LEVEL', value: 'debug' }];
    const { object } = serverSideApply(first, manifest, opts('kubectl', t1));
    expect(at(object, 'spec', 'template', 'spec', 'containers', 0, 'env')).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(entry(object, 'kubectl')?.time).toBe(t1);
    expect(owns(object, 'kubectl', ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:env', 'k:{"name":"LOG_LEVEL"}', 'f:value'])).toBe(true);
  });

  it('removes fields the applier stops applying when nobody else owns them', () => {
    const manifest = nginxManifest();
    manifest.metadata.labels = { app: 'nginx', tier: 'web' };
    (at(manifest, 'spec', 'template', 'spec', 'containers') as unknown[]).push({ name: 'sidecar', image: 'busybox:1.36' });
    const first = serverSideApply(undefined, manifest, opts('kubectl', t0)).object;
    const { object } = serverSideApply(first, nginxManifest(), opts('kubectl', t1));
    expect(object.metadata.labels).toEqual({ app: 'nginx' });
    expect((at(object, 'spec', 'template', 'spec', 'containers') as { name: string }[]).map((c) => c.name)).toEqual(['nginx']);
    expect(entry(object, 'kubectl')?.fieldsV1).toEqual(appliedByKubectl);
  });

  it('keeps a field the applier stops applying when another manager also owns it', () => {
    const manifest = nginxManifest();
    manifest.metadata.labels = { app: 'nginx', tier: 'web' };
    const first = serverSideApply(undefined, manifest, opts('kubectl', t0)).object;
    // A second applier sets the same label to the same value: shared ownership, no conflict.
    const other = serverSideApply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', labels: { tier: 'web' } } }, opts('ci', t1)).object;
    expect(owns(other, 'ci', ['f:metadata', 'f:labels', 'f:tier'])).toBe(true);
    expect(owns(other, 'kubectl', ['f:metadata', 'f:labels', 'f:tier'])).toBe(true);
    const { object } = serverSideApply(other, nginxManifest(), opts('kubectl', t2));
    expect(object.metadata.labels).toEqual({ app: 'nginx', tier: 'web' });
    expect(owns(object, 'kubectl', ['f:metadata', 'f:labels', 'f:tier'])).toBe(false);
  });

  it('keeps defaulted fields of list items it keeps, and the item keys', () => {
    const live = createdClientSide();
    const first = serverSideApply(live, nginxManifest(), opts('kubectl', t1, true)).object;
    const manifest = nginxManifest();
    delete (at(manifest, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).ports;
    const { object } = serverSideApply(first, manifest, opts('kubectl', t2));
    const container = at(object, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;
    expect(container.name).toBe('nginx');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    // The client-side-apply manager still owns the port, so it stays.
    expect(container.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('reports a conflict with the manager that owns a field it would change', () => {
    const live = createdClientSide();
    const manifest = nginxManifest();
    (manifest.spec as Record<string, unknown>).replicas = 5;
    const error = catchApiError(() => serverSideApply(live, manifest, opts('kubectl', t1)));
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: {
        causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
      },
      code: 409,
    });
  });

  it('shares fields applied with the same value instead of conflicting', () => {
    const { object } = serverSideApply(createdClientSide(), nginxManifest(), opts('kubectl', t1));
    expect(owns(object, 'kubectl', ['f:spec', 'f:replicas'])).toBe(true);
    expect(owns(object, 'kubectl-client-side-apply', ['f:spec', 'f:replicas'])).toBe(true);
    expect(object.metadata.managedFields?.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  });

  it('lists every conflict, grouped by manager', () => {
    const live = createdClientSide();
    const manifest = nginxManifest();
    (manifest.spec as Record<string, unknown>).replicas = 5;
    (at(manifest, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).image = 'nginx:1.25';
    const error = catchApiError(() => serverSideApply(live, manifest, opts('kubectl', t1)));
    expect(error.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(error.status.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('with force, takes the conflicting fields from the other manager', () => {
    const live = createdClientSide();
    const manifest = nginxManifest();
    (manifest.spec as Record<string, unknown>).replicas = 5;
    const { object } = serverSideApply(live, manifest, opts('kubectl', t1, true));
    expect(at(object, 'spec', 'replicas')).toBe(5);
    expect(owns(object, 'kubectl', ['f:spec', 'f:replicas'])).toBe(true);
    expect(owns(object, 'kubectl-client-side-apply', ['f:spec', 'f:replicas'])).toBe(false);
    expect(owns(object, 'kubectl-client-side-apply', ['f:spec', 'f:revisionHistoryLimit'])).toBe(true);
  });

  it('conflicts with an Apply manager without "using <version>"', () => {
    const first = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    const error = catchApiError(() =>
      serverSideApply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 1 } }, opts('hpa-like', t1)),
    );
    expect(error.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  });

  it('gives the fields of an object without managedFields to before-first-apply', () => {
    const { object } = serverSideApply(storedNginx(), nginxManifest(), opts('kubectl', t1));
    expect(object.metadata.managedFields?.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply', 'before-first-apply/Update']);
    expect(owns(object, 'before-first-apply', ['f:spec', 'f:progressDeadlineSeconds'])).toBe(true);
  });

  it('rejects an apply with managedFields or another version with 400', () => {
    const withManaged = nginxManifest();
    withManaged.metadata.managedFields = [];
    expect(catchApiError(() => serverSideApply(undefined, withManaged, opts('kubectl', t0))).status).toMatchObject({
      code: 400,
      message: 'metadata.managedFields must be nil',
    });
    const wrongVersion = { ...nginxManifest(), apiVersion: 'apps/v1beta1' };
    expect(catchApiError(() => serverSideApply(undefined, wrongVersion, opts('kubectl', t0))).status.message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    );
  });

  it('rejects a list item without its key', () => {
    const manifest = nginxManifest();
    delete (at(manifest, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).name;
    const error = catchApiError(() => serverSideApply(undefined, manifest, opts('kubectl', t0)));
    expect(error.status.code).toBe(500);
    expect(error.status.message).toBe(
      'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: ' +
        'associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    const noPort = nginxManifest();
    delete (at(noPort, 'spec', 'template', 'spec', 'containers', 0, 'ports', 0) as Record<string, unknown>).containerPort;
    expect(catchApiError(() => serverSideApply(undefined, noPort, opts('kubectl', t0))).status.message).toContain(
      '.spec.template.spec.containers[name="nginx"].ports: element 0: associative list with keys has an element that omits key field "containerPort"',
    );
  });

  it('rejects duplicate list items', () => {
    const manifest = nginxManifest();
    const containers = at(manifest, 'spec', 'template', 'spec', 'containers') as unknown[];
    containers.push(structuredClone(containers[0]));
    expect(catchApiError(() => serverSideApply(undefined, manifest, opts('kubectl', t0))).status.message).toBe(
      'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="nginx"]',
    );
  });

  it('adds an applied container after the live ones and merges the existing one', () => {
    const first = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    const manifest = nginxManifest();
    (at(manifest, 'spec', 'template', 'spec', 'containers') as unknown[]).push({ name: 'sidecar', image: 'busybox:1.36' });
    const { object } = serverSideApply(first, manifest, opts('kubectl', t1));
    expect(at(object, 'spec', 'template', 'spec', 'containers')).toEqual([
      { name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ]);
  });

  describe('upgrade from client-side apply', () => {
    function clientSideApplied(): KubeObject {
      const obj = storedNginx();
      (obj.metadata.annotations as Record<string, string>)[lastAppliedAnnotation] = JSON.stringify(nginxManifest()) + '\n';
      updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: t0, schema });
      return obj;
    }

    it('lets "kubectl" take over fields its last-applied configuration set, and rewrites the annotation', () => {
      const manifest = nginxManifest();
      (manifest.spec as Record<string, unknown>).replicas = 5;
      const { object } = serverSideApply(clientSideApplied(), manifest, opts('kubectl', t1));
      expect(at(object, 'spec', 'replicas')).toBe(5);
      expect(owns(object, 'kubectl', ['f:spec', 'f:replicas'])).toBe(true);
      expect(owns(object, 'kubectl-client-side-apply', ['f:spec', 'f:replicas'])).toBe(false);
      const annotation = object.metadata.annotations?.[lastAppliedAnnotation] ?? '';
      expect(annotation.endsWith('\n')).toBe(true);
      expect(JSON.parse(annotation)).toEqual(manifest);
      expect(annotation.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{')).toBe(true);
    });

    it('still conflicts for another manager', () => {
      const manifest = nginxManifest();
      (manifest.spec as Record<string, unknown>).replicas = 5;
      expect(catchApiError(() => serverSideApply(clientSideApplied(), manifest, opts('argocd', t1))).code).toBe(409);
    });
  });

  it('keeps at most 10 Update entries, folding the oldest into ancient-changes', () => {
    let obj = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(obj);
      next.metadata.annotations = { ...next.metadata.annotations, [`step-${i}`]: String(i) };
      updateManagedFields(obj, next, {
        manager: `writer-${String(i).padStart(2, '0')}`,
        operation: 'Update',
        apiVersion: 'apps/v1',
        now: new Date(Date.parse(t0) + (i + 1) * 60_000).toISOString(),
        schema,
      });
      obj = next;
    }
    const entries = obj.metadata.managedFields ?? [];
    expect(entries.filter((e) => e.operation === 'Update')).toHaveLength(10);
    const ancient = entries.find((e) => e.manager === 'ancient-changes');
    expect(ancient?.fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { '.': {}, 'f:step-0': {}, 'f:step-1': {}, 'f:step-2': {} } } });
    expect(entries.map((e) => e.manager)).toEqual(['kubectl', 'ancient-changes', ...Array.from({ length: 9 }, (_, i) => `writer-${String(i + 3).padStart(2, '0')}`)]);
  });

  it('loses a field to a later Update and then conflicts with it (the HPA case)', () => {
    const applied = serverSideApply(undefined, nginxManifest(), opts('kubectl', t0)).object;
    const scaled = structuredClone(applied);
    (scaled.spec as Record<string, unknown>).replicas = 7;
    updateManagedFields(applied, scaled, {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      now: t1,
      subresource: 'scale',
      schema,
    });
    expect(owns(scaled, 'kubectl', ['f:spec', 'f:replicas'])).toBe(false);
    expect(entry(scaled, 'kube-controller-manager')).toMatchObject({ subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const error = catchApiError(() => serverSideApply(scaled, nginxManifest(), opts('kubectl', t2)));
    expect(error.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas',
    );
    // Dropping replicas from the manifest is the documented fix: no conflict, the HPA keeps its value.
    const manifest = nginxManifest();
    delete (manifest.spec as Record<string, unknown>).replicas;
    const { object } = serverSideApply(scaled, manifest, opts('kubectl', t2));
    expect(at(object, 'spec', 'replicas')).toBe(7);
  });

  it('keeps a removed container when another manager owns part of it, with only owned fields and keys', () => {
    const manifest = nginxManifest();
    (at(manifest, 'spec', 'template', 'spec', 'containers') as unknown[]).push({ name: 'sidecar', image: 'busybox:1.36', args: ['tail'] });
    const applied = serverSideApply(undefined, manifest, opts('kubectl', t0)).object;
    const edited = structuredClone(applied);
    (at(edited, 'spec', 'template', 'spec', 'containers', 1) as Record<string, unknown>).image = 'busybox:1.37';
    updateManagedFields(applied, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    const { object } = serverSideApply(edited, nginxManifest(), opts('kubectl', t2));
    expect(at(object, 'spec', 'template', 'spec', 'containers', 1)).toEqual({ name: 'sidecar', image: 'busybox:1.37' });
  });

  it('only ever records fields that exist in the object, over a sequence of applies and updates', () => {
    const resolve = (obj: unknown, path: string[]): boolean => {
      let node = obj;
      for (const element of path) {
        const body = element.slice(2);
        if (element.startsWith('f:')) {
          if (typeof node !== 'object' || node === null || Array.isArray(node) || !(body in node)) return false;
          node = (node as Record<string, unknown>)[body];
        } else if (element.startsWith('k:')) {
          const keys = JSON.parse(body) as Record<string, unknown>;
          if (!Array.isArray(node)) return false;
          node = node.find((item: Record<string, unknown>) => Object.entries(keys).every(([k, v]) => (item[k] ?? (k === 'protocol' ? 'TCP' : undefined)) === v));
          if (node === undefined) return false;
        } else if (element.startsWith('v:')) {
          if (!Array.isArray(node) || !node.includes(JSON.parse(body))) return false;
        }
      }
      return true;
    };
    const check = (obj: KubeObject) => {
      for (const e of obj.metadata.managedFields ?? []) {
        for (const path of FieldSet.fromFieldsV1(e.fieldsV1).members()) expect(resolve(obj, path), `${e.manager}: ${path.join(' ')}`).toBe(true);
      }
    };
    const withContainers = (...names: string[]) => {
      const m = nginxManifest();
      (at(m, 'spec', 'template', 'spec') as Record<string, unknown>).containers = names.map((name, i) => ({
        name,
        image: `${name}:1`,
        ports: [{ containerPort: 8000 + i }],
        env: [{ name: 'INDEX', value: String(i) }],
      }));
      return m;
    };
    let obj = serverSideApply(undefined, withContainers('a', 'b', 'c'), opts('kubectl', t0)).object;
    check(obj);
    const edited = structuredClone(obj);
    (at(edited, 'spec', 'template', 'spec', 'containers', 1) as Record<string, unknown>).image = 'b:2';
    edited.metadata.labels = { ...edited.metadata.labels, edited: 'yes' };
    updateManagedFields(obj, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', now: t1, schema });
    check(edited);
    obj = serverSideApply(edited, withContainers('c', 'a'), opts('kubectl', t1)).object;
    check(obj);
    obj = serverSideApply(obj, withContainers('d'), opts('ci', t2)).object;
    check(obj);
    obj = serverSideApply(obj, withContainers(), opts('kubectl', t2)).object;
    check(obj);
    expect((at(obj, 'spec', 'template', 'spec', 'containers') as { name: string }[]).map((c) => c.name).sort()).toEqual(['b', 'd']);
  });
});
