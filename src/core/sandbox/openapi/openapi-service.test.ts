import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { OpenApiService } from './openapi-service.js';
import { generatedDocumentsDir } from './test-documents.js';

const dir = generatedDocumentsDir();

function crontabCrd(extraProperties: Record<string, unknown> = {}, kind = 'CronTab', plural = 'crontabs'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.stable.example.com` },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'CronTab runs a command on a schedule.',
              properties: {
                spec: {
                  type: 'object',
                  required: ['cronSpec'],
                  properties: {
                    cronSpec: { type: 'string', description: 'The schedule, in cron format.' },
                    replicas: { type: 'integer', minimum: 1 },
                    ...extraProperties,
                  },
                },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
        { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
}

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Record<string, unknown>> } };
const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };

describe('OpenApiService', () => {
  it('serves only the group versions it is told to', () => {
    const service = new OpenApiService({ dir, servedPaths: ['api/v1', 'apis/apps/v1'] });
    expect(Object.keys((service.index() as { paths: object }).paths)).toEqual(['api/v1', 'apis/apps/v1']);
    expect(service.document('apis/batch/v1')).toBeUndefined();
    expect(service.document('/api/v1/')).toBeDefined();
  });

  it('says how to fix a missing generated folder', () => {
    expect(() => new OpenApiService({ dir: '/nonexistent' })).toThrow(/node scripts\/gen-openapi\.mjs/);
  });

  it('documents a registered CRD the way kubectl explain and apply read it', () => {
    const service = new OpenApiService({ dir });
    service.registerCustomResource(crontabCrd());
    const index = service.index() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths['apis/stable.example.com/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/stable\.example\.com\/v1\?hash=[0-9A-F]{128}$/);
    expect(index.paths['apis/stable.example.com/v0']).toBeUndefined();

    const doc = service.document('apis/stable.example.com/v1') as Doc;
    const kind = doc.components.schemas['com.example.stable.v1.CronTab'];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([gvk]);
    expect(kind.description).toBe('CronTab runs a command on a schedule.');
    expect(Object.keys(kind.properties as object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(doc.components.schemas['com.example.stable.v1.CronTabList']['x-kubernetes-group-version-kind']).toEqual([{ ...gvk, kind: 'CronTabList' }]);
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();

    const list = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].get;
    expect(list['x-kubernetes-group-version-kind']).toEqual(gvk);
    const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    expect(patch['x-kubernetes-action']).toBe('patch');
    expect((patch.parameters as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status']).toBeDefined();

    expect(service.schemaFor(gvk)).toBe(kind);
  });

  it('validates custom resources and finds their unknown fields', () => {
    const service = new OpenApiService({ dir });
    service.registerCustomResource(crontabCrd());
    const obj = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c', namespace: 'default', labels: { a: 'b' } }, spec: { cronSpec: '* * * * *', replicas: 'two', imag: 'x' }, status: { free: 1 } };
    expect(service.findUnknownFields(gvk, obj)).toEqual(['.spec.imag']);
    expect(service.validateCustomResource(gvk, obj)).toEqual([
      { field: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', reason: 'FieldValueTypeInvalid' },
    ]);
    expect(service.validateCustomResource(gvk, { spec: {} })).toEqual([{ field: 'spec.cronSpec', message: 'Required value', reason: 'FieldValueRequired' }]);
    expect(service.findUnknownFields(gvk, { ...obj, metadata: { name: 'c', nam: 'x' } })).toContain('.metadata.nam');
  });

  it('rebuilds documents when CRDs change and drops them when removed', () => {
    const service = new OpenApiService({ dir });
    service.registerCustomResource(crontabCrd());
    const url = (): string | undefined => (service.index() as { paths: Record<string, { serverRelativeURL: string }> }).paths['apis/stable.example.com/v1']?.serverRelativeURL;
    const first = url();
    service.registerCustomResource(crontabCrd({ image: { type: 'string' } }));
    expect(url()).not.toBe(first);
    expect(service.findUnknownFields(gvk, { spec: { cronSpec: 'x', image: 'y' } })).toEqual([]);

    service.registerCustomResource(crontabCrd({}, 'Widget', 'widgets'));
    const doc = service.document('apis/stable.example.com/v1') as Doc;
    expect(doc.components.schemas['com.example.stable.v1.Widget']).toBeDefined();
    expect(doc.components.schemas['com.example.stable.v1.CronTab']).toBeDefined();

    service.unregisterCustomResource('crontabs.stable.example.com');
    expect(service.schemaFor(gvk)).toBeUndefined();
    expect(service.schemaFor({ ...gvk, kind: 'Widget' })).toBeDefined();
    service.unregisterCustomResource('widgets.stable.example.com');
    expect(url()).toBeUndefined();
    expect(service.document('apis/stable.example.com/v1')).toBeUndefined();
  });

  it('does not let a CRD shadow a built-in group version', () => {
    const service = new OpenApiService({ dir });
    const crd = crontabCrd();
    (crd.spec as { group: string }).group = 'apps';
    service.registerCustomResource(crd);
    expect(service.schemaFor({ group: 'apps', version: 'v1', kind: 'CronTab' })).toBeUndefined();
    expect(service.schemaFor({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBeDefined();
  });
});

describe('structural defaulting and pruning', () => {
  it('defaults then prunes a custom resource in place, keeping the envelope', () => {
    const service = new OpenApiService({ dir });
    service.registerCustomResource(
      crontabCrd({ schedule: { type: 'object', default: { tz: 'UTC' }, properties: { tz: { type: 'string' } } }, suspend: { type: 'boolean', default: false } }),
    );
    const obj: KubeObject = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { cronSpec: 'x', typo: 1, suspend: true }, status: { anything: 1 }, extra: {} };
    expect(service.defaultAndPruneCustomResource(gvk, obj)).toEqual(['.spec.typo', '.extra']);
    expect(obj).toEqual({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { cronSpec: 'x', suspend: true, schedule: { tz: 'UTC' } }, status: { anything: 1 } });
  });
});
