import { describe, expect, it } from 'vitest';
import { type OpenApiSchema } from './schema.js';
import { validateAgainstSchema } from './schema-validation.js';

const schema: OpenApiSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[a-z0-9:./-]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 5 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        mode: { type: 'string', enum: ['a', 'b'] },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        tags: { type: 'array', maxItems: 2, minItems: 1, items: { type: 'string' } },
        note: { type: 'string', nullable: true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        servers: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, weight: { type: 'integer', format: 'int32' } } },
        },
      },
    },
  },
};

const valid = { spec: { image: 'nginx:1.27', replicas: 3, ratio: 0.5, mode: 'a', port: 'http', tags: ['x'], note: null, extra: { any: { thing: 1 } }, servers: [{ name: 'a', weight: 1 }] } };

const run = (spec: Record<string, unknown>) => validateAgainstSchema(schema, { spec: { ...valid.spec, ...spec } }, '');

describe('validateAgainstSchema', () => {
  it('accepts a valid object', () => {
    expect(validateAgainstSchema(schema, valid, '')).toEqual([]);
    expect(run({ port: 8080 })).toEqual([]);
  });

  it('reports type errors as kube-apiserver words them', () => {
    expect(run({ replicas: 'string' })).toEqual([
      { field: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', reason: 'FieldValueTypeInvalid' },
    ]);
    expect(run({ replicas: 1.5 })[0].message).toBe('Invalid value: "number": spec.replicas in body must be of type integer: "number"');
    expect(run({ port: true })[0].message).toBe('Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"');
  });

  it('reports missing required fields', () => {
    expect(validateAgainstSchema(schema, {}, '')).toEqual([{ field: 'spec', message: 'Required value', reason: 'FieldValueRequired' }]);
    expect(validateAgainstSchema(schema, { spec: {} }, '')).toEqual([{ field: 'spec.image', message: 'Required value', reason: 'FieldValueRequired' }]);
    expect(run({ servers: [{ weight: 1 }] })).toEqual([{ field: 'spec.servers[0].name', message: 'Required value', reason: 'FieldValueRequired' }]);
  });

  it('reports unsupported enum values', () => {
    expect(run({ mode: 'x' })).toEqual([{ field: 'spec.mode', message: 'Unsupported value: "x": supported values: "a", "b"', reason: 'FieldValueNotSupported' }]);
  });

  it('checks numeric bounds', () => {
    expect(run({ replicas: 0 })[0]).toEqual({ field: 'spec.replicas', message: 'Invalid value: 0: spec.replicas in body should be greater than or equal to 1', reason: 'FieldValueInvalid' });
    expect(run({ replicas: 6 })[0].message).toBe('Invalid value: 6: spec.replicas in body should be less than or equal to 5');
    expect(run({ ratio: 1 })[0].message).toBe('Invalid value: 1: spec.ratio in body should be less than 1');
  });

  it('checks string length and pattern', () => {
    expect(run({ image: '' })[0].message).toBe('Invalid value: "": spec.image in body should be at least 1 chars long');
    expect(run({ image: 'x'.repeat(21) })[0]).toEqual({ field: 'spec.image', message: 'Too long: may not be more than 20 bytes', reason: 'FieldValueTooLong' });
    expect(run({ image: 'NGINX' })[0].message).toBe(`Invalid value: "NGINX": spec.image in body should match '^[a-z0-9:./-]+$'`);
  });

  it('checks item counts and list-map keys', () => {
    expect(run({ tags: ['a', 'b', 'c'] })[0]).toEqual({ field: 'spec.tags', message: 'Too many: 3: must have at most 2 items', reason: 'FieldValueTooMany' });
    expect(run({ tags: [] })[0].message).toBe('Invalid value: []: spec.tags in body should have at least 1 items');
    expect(run({ servers: [{ name: 'a' }, { name: 'a' }] })[0]).toEqual({ field: 'spec.servers[1]', message: 'Duplicate value: {"name":"a"}', reason: 'FieldValueDuplicate' });
  });

  it('rejects null unless nullable, and leaves preserved subtrees alone', () => {
    expect(run({ note: null })).toEqual([]);
    expect(run({ mode: null })[0].message).toBe('Invalid value: "null": spec.mode in body must be of type string: "null"');
    expect(run({ extra: { whatever: [1, 'two'] } })).toEqual([]);
  });

  it('reports every error, not only the first', () => {
    expect(run({ replicas: 9, mode: 'z', tags: 'x' }).map((e) => e.field)).toEqual(['spec.replicas', 'spec.mode', 'spec.tags']);
  });
});

describe('validateAgainstSchema formats and composites', () => {
  const s: OpenApiSchema = {
    type: 'object',
    properties: {
      when: { type: 'string', format: 'date-time' },
      ip: { type: 'string', format: 'ipv4' },
      net: { type: 'string', format: 'cidr' },
      id: { type: 'string', format: 'uuid' },
      source: { type: 'object', oneOf: [{ required: ['url'] }, { required: ['path'] }], properties: { url: { type: 'string' }, path: { type: 'string' } } },
    },
  };

  it('accepts well-formed values', () => {
    expect(validateAgainstSchema(s, { when: '2024-01-02T03:04:05Z', ip: '10.0.0.1', net: 'fd00::/64', id: '123e4567-e89b-12d3-a456-426614174000', source: { url: 'x' } }, '')).toEqual([]);
  });

  it('reports malformed formats as type errors', () => {
    expect(validateAgainstSchema(s, { when: 'yesterday' }, '')).toEqual([
      { field: 'when', message: 'Invalid value: "yesterday": when in body must be of type date-time: "yesterday"', reason: 'FieldValueTypeInvalid' },
    ]);
    expect(validateAgainstSchema(s, { ip: '300.1.1.1', net: '10.0.0.0/33' }, '').map((e) => e.field)).toEqual(['ip', 'net']);
  });

  it('enforces oneOf over required lists', () => {
    expect(validateAgainstSchema(s, { source: { url: 'a', path: 'b' } }, '')[0].message).toBe(
      'Invalid value: {"url":"a","path":"b"}: source in body must validate one and only one schema (oneOf)',
    );
    expect(validateAgainstSchema(s, { source: {} }, '')).toHaveLength(1);
  });
});
