import { describe, expect, it } from 'vitest';
import { OpenApiService } from './openapi-service.js';
import { generatedDocumentsDir } from './test-documents.js';
import { findUnknownFieldsInSchema, strictDecodingError } from './unknown-fields.js';
import { noRefs } from './schema.js';

const service = new OpenApiService({ dir: generatedDocumentsDir() });
const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deploymentWith(container: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', 'any-key': 'x' }, annotations: { a: 'b' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'sidecar', image: 'busybox' }, container] },
      },
    },
  };
}

describe('findUnknownFields', () => {
  it('accepts a valid object, including map keys and int-or-string values', () => {
    const obj = deploymentWith({ name: 'web', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' } }, ports: [{ containerPort: 80 }] });
    expect(service.findUnknownFields(deployment, obj)).toEqual([]);
  });

  it('finds a typo nested in a list, with its index', () => {
    const obj = deploymentWith({ name: 'web', image: 'nginx', imagePullPolicyy: 'Always', ports: [{ containerPort: 80, hostPortt: 1 }] });
    const unknown = service.findUnknownFields(deployment, obj);
    expect(unknown).toEqual(['.spec.template.spec.containers[1].imagePullPolicyy', '.spec.template.spec.containers[1].ports[0].hostPortt']);
    expect(strictDecodingError(unknown.slice(0, 1))).toBe('strict decoding error: unknown field "spec.template.spec.containers[1].imagePullPolicyy"');
  });

  it('finds unknown top-level and metadata fields', () => {
    const obj: Record<string, unknown> = { ...deploymentWith({ name: 'web', image: 'nginx' }), extra: true };
    (obj.metadata as Record<string, unknown>).labelz = {};
    expect(service.findUnknownFields(deployment, obj)).toEqual(['.metadata.labelz', '.extra']);
  });

  it('treats free-form built-in values (RawExtension) as open', () => {
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { anything: { goes: [1] } } };
    expect(service.findUnknownFields({ group: 'apps', version: 'v1', kind: 'ControllerRevision' }, revision)).toEqual([]);
  });

  it('walks CRDs through JSONSchemaProps, including nested properties and free-form JSON values', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'crontabs.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] },
        versions: [{
          name: 'v1', served: true, storage: true,
          additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }],
          schema: { openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': [{ rule: 'self.replicas >= 0', message: 'no' }],
                properties: {
                  cronSpec: { type: 'string', pattern: '^\\d+$', descripton: 'typo' },
                  replicas: { type: 'integer', default: 1, enum: [1, 2] },
                  tags: { type: 'array', items: { type: 'string' } },
                  port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                },
              },
            },
          } },
        }],
      },
    };
    expect(service.findUnknownFields({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, crd)).toEqual([
      '.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec.descripton',
    ]);
  });

  it('reports nothing for kinds without a schema', () => {
    expect(service.findUnknownFields({ group: 'example.com', version: 'v1', kind: 'Nope' }, { foo: 1 })).toEqual([]);
  });

  it('honours x-kubernetes-preserve-unknown-fields and additionalProperties in structural schemas', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            partly: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
            byName: { type: 'object', additionalProperties: { type: 'object', properties: { size: { type: 'integer' } } } },
            empty: { type: 'object' },
          },
        },
      },
    };
    const value = {
      spec: {
        free: { x: { y: 1 } },
        partly: { other: 1, known: { a: 'x', b: 2 } },
        byName: { one: { size: 1 }, two: { size: 2, colour: 'red' } },
        empty: { gone: 1 },
        typo: 1,
      },
    };
    expect(findUnknownFieldsInSchema(schema, value, noRefs, { structural: true })).toEqual([
      '.spec.partly.known.b',
      '.spec.byName.two.colour',
      '.spec.empty.gone',
      '.spec.typo',
    ]);
    // Built-in schemas use property-less objects for free-form values.
    expect(findUnknownFieldsInSchema(schema, value, noRefs)).toEqual(['.spec.partly.known.b', '.spec.byName.two.colour', '.spec.typo']);
  });
});
