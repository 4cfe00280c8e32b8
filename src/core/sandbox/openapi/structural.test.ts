import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from './schema.js';
import { applySchemaDefaults, pruneUnknownFields } from './structural.js';

const schema: OpenApiSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } } },
      },
    },
  },
};

describe('structural pruning and defaulting', () => {
  it('prunes undeclared fields but keeps embedded envelopes and preserved subtrees', () => {
    const value = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'n' },
      spec: {
        template: { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { a: 'x', b: 'gone' }, junk: 1 },
        raw: { keep: { me: true } },
        byName: { one: { size: 2, colour: 'red' } },
        items: [{ name: 'a', nope: 1 }],
      },
    };
    expect(pruneUnknownFields(schema, value)).toEqual(['.spec.template.spec.b', '.spec.template.junk', '.spec.byName.one.colour', '.spec.items[0].nope']);
    expect(value.spec.template).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { a: 'x' } });
    expect(value.spec.raw).toEqual({ keep: { me: true } });
    expect(value.apiVersion).toBe('x/v1');
  });

  it('does not keep an envelope that is not the root or embedded', () => {
    const value = { spec: { items: [{ name: 'a', kind: 'K' }] } };
    expect(pruneUnknownFields(schema, value)).toEqual(['.spec.items[0].kind']);
  });

  it('applies defaults inside lists and maps, without overwriting given values', () => {
    const value = { spec: { byName: { one: {}, two: { size: 5 } }, items: [{ name: 'a' }, { name: 'b', port: 8080 }] } };
    applySchemaDefaults(schema, value);
    expect(value.spec.byName).toEqual({ one: { size: 1 }, two: { size: 5 } });
    expect(value.spec.items).toEqual([{ name: 'a', port: 80 }, { name: 'b', port: 8080 }]);
  });
});
