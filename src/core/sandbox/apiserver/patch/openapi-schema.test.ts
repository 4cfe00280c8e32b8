import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { patchSchemaFromOpenApi } from './openapi-schema.js';
import { serverSideApply } from './server-side-apply.js';
import { at } from './test-fixtures.js';

// openAPIV3Schema of a CRD "widgets.example.com".
const widgetSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } } },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        pools: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { nodes: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object' } } },
          },
        },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const schema = patchSchemaFromOpenApi(widgetSchema, { statusSubresource: true });
const t0 = '2026-11-24T10:00:00Z';
const t1 = '2026-11-24T10:01:00Z';

describe('patchSchemaFromOpenApi', () => {
  it('reads list types, map keys with defaults, atomic maps and additionalProperties', () => {
    expect(schema.patchMetaFor(['spec', 'ports'])).toEqual({ listType: 'map', listMapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } });
    expect(schema.patchMetaFor(['spec', 'tags'])).toEqual({ listType: 'set' });
    expect(schema.patchMetaFor(['spec', 'args'])).toBeUndefined();
    expect(schema.patchMetaFor(['spec', 'selector'])).toEqual({ atomic: true, mapEntries: true });
    expect(schema.patchMetaFor(['spec', 'pools'])).toEqual({ mapEntries: true });
    expect(schema.patchMetaFor(['spec', 'pools', 'blue', 'nodes'])).toEqual({ listType: 'map', listMapKeys: ['name'] });
    expect(schema.patchMetaFor(['metadata', 'ownerReferences'])).toMatchObject({ listType: 'map', listMapKeys: ['uid'] });
    expect(schema.resetFields(undefined)).toEqual([['status']]);
  });

  it('drives server-side apply of a custom resource', () => {
    const widget = (ports: unknown[], tags: string[]): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { ports, tags, args: ['--a'], pools: { blue: { nodes: [{ name: 'n1' }] } } },
    });
    const opts = (manager: string, now: string) => ({ manager, force: false, apiVersion: 'example.com/v1', now, schema });
    const created = serverSideApply(undefined, widget([{ port: 80 }], ['a']), opts('team-a', t0)).object;
    expect(created.metadata.managedFields?.[0].fieldsV1).toEqual({
      'f:spec': {
        'f:args': {},
        'f:pools': { 'f:blue': { '.': {}, 'f:nodes': { 'k:{"name":"n1"}': { '.': {}, 'f:name': {} } } } },
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
        'f:tags': { 'v:"a"': {} },
      },
    });
    // A second manager adds its own port and tag: granular lists merge instead of conflicting.
    const merged = serverSideApply(
      created,
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { ports: [{ port: 443 }], tags: ['b'] } },
      opts('team-b', t1),
    ).object;
    expect(at(merged, 'spec', 'ports')).toEqual([{ port: 80 }, { port: 443 }]);
    expect(at(merged, 'spec', 'tags')).toEqual(['a', 'b']);
  });
});
