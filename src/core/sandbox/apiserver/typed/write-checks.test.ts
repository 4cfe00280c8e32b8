import { describe, expect, it } from 'vitest';
import { OpenApiService } from '../../openapi/openapi-service.js';
import { componentsResolver, type OpenApiSchema } from '../../openapi/schema.js';
import { ApiError } from '../errors.js';
import { goFloat, goQuote, goSharpV, goV } from './go-values.js';
import type { TypedSchema } from './type-walk.js';
import { checkApplied, checkJsonPatchResult, checkStrategicPatch, decodeBody, decodeBodyError, dropFields, undeclaredFields } from './write-checks.js';

const openapi = new OpenApiService();

function builtin(group: string, version: string, kind: string): TypedSchema {
  const path = group === '' ? `api/${version}` : `apis/${group}/${version}`;
  const root = openapi.schemaFor({ group, version, kind }) as OpenApiSchema;
  return { root, resolve: componentsResolver(openapi.document(path)), kind, custom: false };
}

const deployment = builtin('apps', 'v1', 'Deployment');
const pod = builtin('', 'v1', 'Pod');

function refusal(fn: () => void): { code: number; reason: string | undefined; message: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, reason: error.status.reason, message: error.status.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("Go's renderings", () => {
  it('%v and %#v of decoded JSON, %q of a string, %v of a float64', () => {
    expect(goV({ spec: { b: [1, 'x y', null], a: true } })).toBe('map[spec:map[a:true b:[1 x y <nil>]]]');
    expect(goSharpV({ name: 'w', n: 5, l: ['a'] })).toBe('map[string]interface {}{"l":[]interface {}{"a"}, "n":5, "name":"w"}');
    expect(goQuote('a"b\\c\n\x07\x1b\u00e9\u2028')).toBe('"a\\"b\\\\c\\n\\a\\x1bé\\u2028"');
    expect([1.5, 1e6, 123456.5, 1e-5, 0.0001].map(goFloat)).toEqual(['1.5', '1e+06', '123456.5', '1e-05', '0.0001']);
    // Apply bodies hold float64s: a million prints as Go prints a float.
    expect(goV(1000000, true)).toBe('1e+06');
    expect(goV(1000000)).toBe('1000000');
  });
});

describe('create and update: the Go decoder', () => {
  it('names the innermost struct, the struct fields from the root and the Go type', () => {
    expect(decodeBodyError(pod, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 'x' }] }] } })).toBe(
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(decodeBodyError(pod, { metadata: { labels: { a: 1 } } })).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
    expect(decodeBodyError(deployment, { spec: { replicas: 1.5 } })).toBe('json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('an int-or-string takes a string or an int32 only; a quantity failing its decoder wins over a plain mismatch before it', () => {
    expect(decodeBodyError(deployment, { spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } })).toBeUndefined();
    expect(decodeBodyError(deployment, { spec: { strategy: { rollingUpdate: { maxSurge: 1.5 } } } })).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
    const both = { spec: { hostNetwork: 'yes', containers: [{ name: 'c', resources: { limits: { cpu: 'abc' } } }] } };
    expect(decodeBodyError(pod, both)).toMatch(/^quantities must match the regular expression/);
    for (const bad of ['1Gb', true, {}]) {
      expect(decodeBodyError(pod, { spec: { volumes: [{ name: 'v', emptyDir: { sizeLimit: bad } }] } })).toBe(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      );
    }
    // A time is decoded from a JSON string (its format is not judged here).
    expect(decodeBodyError(pod, { status: { conditions: [{ type: 'Ready', lastTransitionTime: 5 }] } })).toBe(
      'json: cannot unmarshal number into Go struct field PodCondition.status.conditions.lastTransitionTime of type string',
    );
    expect(decodeBodyError(pod, { metadata: { creationTimestamp: null, deletionTimestamp: '2024-01-01T00:00:00Z' } })).toBeUndefined();
    expect(decodeBodyError(builtin('', 'v1', 'LimitRange'), { spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: 'x' } }] } })).toMatch(/^quantities must match/);
    expect(decodeBodyError(pod, { spec: { hostNetwork: 'yes', containers: {} } })).toBe('json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  });

  it('leaves custom resources to schema validation and accepts nulls, times and free-form values', () => {
    expect(decodeBodyError({ ...deployment, custom: true }, { spec: { replicas: 'x' } })).toBeUndefined();
    expect(decodeBodyError(pod, { metadata: { creationTimestamp: null, labels: null }, spec: { overhead: null, containers: [{ name: 'c', resources: { limits: { cpu: 1 } } }] } })).toBeUndefined();
  });
});

describe('undeclared fields found by the decoding walk', () => {
  // The same answers as the OpenAPI service's own unknown-field walk, which this walk replaces for built-ins.
  const cases: [TypedSchema, { group: string; version: string; kind: string }, unknown][] = [
    [pod, { group: '', version: 'v1', kind: 'Pod' }, {
      apiVersion: 'v1', kind: 'Pod', foo: 1,
      metadata: { name: 'p', labels: { any: 'x' }, annotations: { b: 'y' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} }, bogus: 1 }] },
      spec: { containers: [{ name: 'c', image: 'i', imagePullPolicyy: 'x', resources: { limits: { cpu: '1' }, other: {} }, livenessProbe: { exec: { command: ['a'] }, x: 1 } }], volumes: [{ name: 'v', emptyDir: {}, y: 2 }] },
      status: { phase: 'Running', z: 3 },
    }],
    [builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'), { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, {
      spec: { group: 'g', names: { kind: 'K', plural: 'ks', extra: 1 }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', default: { a: 1 }, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, nope: 1 } } } } }] },
    }],
    [builtin('', 'v1', 'Secret'), { group: '', version: 'v1', kind: 'Secret' }, { data: { a: 'YQ==' }, stringData: { b: 'c' }, typ: 'Opaque' }],
  ];

  it.each(cases)('as the strict decoder reports them (%#)', (typed, gvk, obj) => {
    const expected = openapi.findUnknownFields(gvk, obj).map((p) => p.replace(/^\./, ''));
    expect(expected.length).toBeGreaterThan(0);
    const decoded = decodeBody(typed, obj);
    expect(decoded.error).toBeUndefined();
    expect(decoded.unknown?.names).toEqual(expected);
    // Decoding into the Go struct leaves them out: once dropped, nothing is undeclared.
    const copy = structuredClone(obj);
    dropFields(copy, decoded.unknown?.paths ?? []);
    expect(undeclaredFields(typed, copy)).toEqual({ names: [], paths: [] });
    expect(openapi.findUnknownFields(gvk, copy)).toEqual([]);
  });
});

describe('patches: only what the patch changed is judged', () => {
  it('merge: a wrong value the patch did not touch is not this patch\'s fault', () => {
    const patched = { spec: { replicas: 'abc', paused: 'yes' } };
    expect(() => checkJsonPatchResult(deployment, 'merge', patched, { spec: { replicas: 3 } })).toThrow(/paused|replicas/);
    expect(() => checkJsonPatchResult(deployment, 'merge', { spec: { replicas: 3, paused: 'yes' } }, { spec: { replicas: 3 } })).not.toThrow();
    const r = refusal(() => checkJsonPatchResult(deployment, 'merge', { spec: { replicas: 'abc' } }, { spec: { replicas: 'abc' } }));
    expect(r).toEqual({
      code: 422,
      reason: 'Invalid',
      message: ' "" is invalid: patch: Invalid value: "{\\"spec\\":{\\"replicas\\":\\"abc\\"}}": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    });
  });

  it('merge: the undeclared fields the patch set come from the same walk, as a walk of the whole result finds them', () => {
    const patch = { metadata: { labels: { 'a.b/c': 'd' } }, spec: { foo: 1, template: { spec: { containers: [{ name: 'c', bar: 2 }] } } } };
    const patched = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', labels: { 'a.b/c': 'd' } }, spec: { replicas: 1, foo: 1, template: { spec: { containers: [{ name: 'c', bar: 2 }] } } } };
    const unknown = checkJsonPatchResult(deployment, 'merge', patched, patch);
    expect(unknown).toEqual({ names: ['spec.foo', 'spec.template.spec.containers[0].bar'], paths: [['spec', 'foo'], ['spec', 'template', 'spec', 'containers', 0, 'bar']] });
    expect(unknown).toEqual(undeclaredFields(deployment, patched));
  });

  it('json: the values at the paths an operation wrote, "-" being the appended item', () => {
    const patched = { spec: { template: { spec: { containers: [{ name: 'a', args: ['x', 5] }] } } } };
    expect(refusal(() => checkJsonPatchResult(deployment, 'json', patched, [{ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: 5 }])).message).toMatch(
      /json: cannot unmarshal number into Go struct field Container\.spec\.template\.spec\.containers\.args of type string$/,
    );
    expect(() => checkJsonPatchResult(deployment, 'json', patched, [{ op: 'test', path: '/spec/template/spec/containers/0/args/1', value: 5 }])).not.toThrow();
  });

  it('strategic: the converter\'s wording, directives skipped', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [], containers: [{ name: 'c', $patch: 'delete' }], hostNetwork: 1 } } } };
    expect(refusal(() => checkStrategicPatch(deployment, patch)).message).toBe(
      ' "" is invalid: patch: Invalid value: "map[spec:map[template:map[spec:map[$setElementOrder/containers:[] containers:[map[$patch:delete name:c]] hostNetwork:1]]]]": unrecognized type: bool',
    );
    expect(refusal(() => checkStrategicPatch(pod, { spec: { containers: [{ name: 'c', image: 5 }] } })).message).toMatch(/: cannot convert int64 to string$/);
    expect(refusal(() => checkStrategicPatch(pod, { spec: { containers: [{ name: 'c', args: 'x' }] } })).message).toMatch(/: cannot restore slice from string$/);
    expect(refusal(() => checkStrategicPatch(pod, { spec: { affinity: [] } })).message).toMatch(/: cannot restore struct from: slice$/);
    expect(refusal(() => checkStrategicPatch(pod, { spec: { activeDeadlineSeconds: 1.5 } })).message).toMatch(/: cannot convert float64 to int64$/);
  });
});

describe('server-side apply: structured-merge-diff, then the conversion of the merged object', () => {
  const applied = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 1 } }, spec });
  const gv = { group: '', version: 'v1' };

  it('lists every error with its path: map entries by key, map-list items by their keys, sets by value', () => {
    const r = refusal(() => checkApplied(pod, applied({ containers: [{ name: 'c', image: true, ports: [{ containerPort: 80, hostPort: 'x' }] }], nodeSelectorx: { a: 'b' } }), gv));
    expect(r.code).toBe(500);
    expect(r.reason).toBe('');
    expect(r.message).toBe(
      'failed to create typed patch object (ns/p; /v1, Kind=Pod): errors:\n' +
        '  .metadata.labels.app: expected string, got &value.valueUnstructured{Value:1}\n' +
        '  .spec.containers[name="c"].image: expected string, got &value.valueUnstructured{Value:true}\n' +
        '  .spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].hostPort: expected numeric (int or float), got string\n' +
        '  .spec.nodeSelectorx: field not declared in schema',
    );
  });

  it('undeclared fields are refused whatever fieldValidation says; a struct is walked no further than its first one', () => {
    const one = refusal(() => checkApplied(pod, { ...applied({ containers: [{ name: 'nginx', imagePullPolcy: 'Always' }] }), metadata: { name: 'p' } }, gv));
    expect(one.code).toBe(500);
    expect(one.message).toBe('failed to create typed patch object (/p; /v1, Kind=Pod): .spec.containers[name="nginx"].imagePullPolcy: field not declared in schema');
    // structured-merge-diff's validator stops iterating a map at an undeclared field (siblings after it are not judged)
    const several = refusal(() => checkApplied(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labelz: {} }, spec: { foo: 1, bar: 2, hostname: 3 } }, gv));
    expect(several.message).toBe(
      'failed to create typed patch object (/p; /v1, Kind=Pod): errors:\n' +
        '  .metadata.labelz: field not declared in schema\n' +
        '  .spec.foo: field not declared in schema',
    );
    // an item of a map list without its keys: the list is named and walked no further, with the other errors
    const unkeyed = refusal(() =>
      checkApplied(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', foo: 1 }, { image: 'x' }, { name: 'b', bar: 1 }], hostnamez: 'h' } }, gv),
    );
    expect(unkeyed.message).toBe(
      'failed to create typed patch object (/p; /v1, Kind=Pod): errors:\n' +
        '  .spec.containers[name="a"].foo: field not declared in schema\n' +
        '  .spec.containers: element 1: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)\n' +
        '  .spec.hostnamez: field not declared in schema',
    );
    expect(refusal(() => checkApplied(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: ['nginx'] } }, gv)).message).toBe(
      'failed to create typed patch object (/p; /v1, Kind=Pod): .spec.containers: element 0: associative list with keys may not have non-map elements',
    );
    // Object.prototype's names are not fields
    expect(refusal(() => checkApplied(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { constructor: 1 } }, gv)).message).toMatch(/: \.spec\.constructor: field not declared in schema$/);
    expect(decodeBody(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', toString: 'x' } }).unknown?.names).toEqual(['metadata.toString']);
    // map entries and additionalProperties are declared
    expect(() => checkApplied(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { any: 'x' } }, spec: { nodeSelector: { k: 'v' } } }, gv)).not.toThrow();
  });

  it('values the typed conversion takes but Go cannot hold fail the conversion', () => {
    const ok = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { activeDeadlineSeconds: 1.5 } };
    expect(refusal(() => checkApplied(pod, ok, gv)).message).toBe(
      'failed to convert new object (/p; /v1, Kind=Pod) to proper version: unable to convert unstructured object to /v1, Kind=Pod: cannot convert float64 to int64',
    );
  });

  it('custom resources: types from their structural schema', () => {
    const schema: OpenApiSchema = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          properties: {
            tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
            empty: { type: 'object' },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            // descendants of a preserve-unknown-fields node keep undeclared fields too (kube-openapi schemaconv)
            kept: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { nested: { type: 'object', properties: { a: { type: 'string' } } } } },
            pod: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
          },
        },
      },
    };
    const cr: TypedSchema = { root: schema, resolve: () => undefined, kind: 'CronTab', custom: true };
    const gv = { group: 'stable.example.com', version: 'v1' };
    const obj = (spec: Record<string, unknown>) => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec });
    // x-kubernetes-preserve-unknown-fields holds anything; an embedded resource has its type and metadata
    expect(() => checkApplied(cr, obj({ free: { any: [1] }, pod: { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { x: 1 } }, empty: { any: 1 }, kept: { nested: { b: 1 }, c: 2 } }), gv)).not.toThrow();
    expect(refusal(() => checkApplied(cr, obj({ kept: { nested: { a: 1 } } }), gv)).message).toMatch(/: \.spec\.kept\.nested\.a: expected string, got &value\.valueUnstructured\{Value:1\}$/);
    expect(refusal(() => checkApplied(cr, obj({ free: { any: 1 }, other: 1 }), gv)).message).toBe(
      'failed to create typed patch object (/c; stable.example.com/v1, Kind=CronTab): .spec.other: field not declared in schema',
    );
    expect(refusal(() => checkApplied(cr, obj({ pod: { apiVersion: 'v1', status: {} } }), gv)).message).toMatch(/: \.spec\.pod\.status: field not declared in schema$/);
    expect(refusal(() => checkApplied(cr, obj({ tags: ['a', 2], empty: 'x' }), gv)).message).toBe(
      'failed to create typed patch object (/c; stable.example.com/v1, Kind=CronTab): errors:\n' +
        '  .spec.tags[=2]: expected string, got &value.valueUnstructured{Value:2}\n' +
        // an object without properties is still an object in a structural schema
        '  .spec.empty: expected map, got &{x}',
    );
  });
});
