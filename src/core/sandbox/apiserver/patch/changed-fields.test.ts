import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { builtinPatchSchema } from './builtin-schema.js';
import { changedFields } from './changed-fields.js';
import type { JsonObject } from './json-value.js';
import { storedNginx } from './test-fixtures.js';
import { TypedWalker } from './typed-value.js';

function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, finalizers: ['a/b'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1' }] },
    spec: {
      containers: [
        { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], resources: { requests: { cpu: '10m' } }, env: [{ name: 'A', value: '1' }] },
        { name: 'side', image: 'busybox', command: ['sleep', '1'] },
      ],
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'k', operator: 'Exists' }],
      volumes: [{ name: 'v', emptyDir: {} }],
      securityContext: {},
      dnsPolicy: 'ClusterFirst',
    },
    status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
  };
}

/** The walk must give exactly what TypedWalker.compare gives: added ∪ modified, and removed. */
function expectSameAsCompare(kind: string, group: string, before: JsonObject, after: JsonObject): void {
  const schema = builtinPatchSchema(kind, group);
  const reference = new TypedWalker(schema).compare(before, after);
  const walked = changedFields(schema, before, after);
  expect(walked.changed.toFieldsV1()).toEqual(reference.added.union(reference.modified).toFieldsV1());
  expect(walked.removed.toFieldsV1()).toEqual(reference.removed.toFieldsV1());
}

describe('changedFields', () => {
  it('matches the typed comparison for a create (from the zero object)', () => {
    const schema = builtinPatchSchema('Pod', '');
    expectSameAsCompare('Pod', '', schema.zeroObject(), pod() as unknown as JsonObject);
    expectSameAsCompare('Deployment', 'apps', builtinPatchSchema('Deployment', 'apps').zeroObject(), storedNginx() as unknown as JsonObject);
    expect(changedFields(schema, schema.zeroObject(), pod() as unknown as JsonObject).changed.empty()).toBe(false);
  });

  it('matches it for updates: items and fields added, changed and removed, values that become null or undefined', () => {
    const before = pod() as unknown as JsonObject;
    const after = pod() as unknown as { metadata: JsonObject; spec: { containers: JsonObject[]; [k: string]: unknown }; status: JsonObject };
    after.metadata.labels = { app: 'web', tier: 'front' };
    after.metadata.finalizers = ['c/d'];
    after.spec.containers[0].image = 'nginx:1.28';
    after.spec.containers[0].ports = [{ containerPort: 80 }];
    after.spec.containers.pop();
    after.spec.containers.push({ name: 'new', image: 'x' });
    after.spec.nodeSelector = null;
    after.spec.tolerations = undefined;
    delete after.spec.volumes;
    after.spec.hostname = 'h';
    after.status = { phase: 'Running' };
    expectSameAsCompare('Pod', '', before, after as unknown as JsonObject);
    expectSameAsCompare('Pod', '', after as unknown as JsonObject, before);
    // Explicit undefined on both sides, and identical objects.
    expectSameAsCompare('Pod', '', { spec: { hostname: undefined } }, { spec: { hostname: undefined } });
    expectSameAsCompare('Pod', '', before, pod() as unknown as JsonObject);
    const nginx = storedNginx() as unknown as JsonObject;
    const scaled = storedNginx() as unknown as { spec: { replicas: number; template: { spec: { containers: JsonObject[] } } } };
    scaled.spec.replicas = 5;
    scaled.spec.template.spec.containers[0].image = 'nginx:1.27';
    expectSameAsCompare('Deployment', 'apps', nginx, scaled as unknown as JsonObject);
  });

  it('matches it for kinds without a schema (everything but metadata atomic) and map lists lacking their keys', () => {
    expectSameAsCompare('Widget', 'example.com', { spec: { list: [1, 2], m: { a: 1 } } }, { spec: { list: [1, 3], m: { a: 2, b: 1 } } });
    expectSameAsCompare('Pod', '', { spec: { containers: [{ image: 'no-name' }] } }, { spec: { containers: [{ image: 'other' }, { name: 'n' }] } });
  });
});
