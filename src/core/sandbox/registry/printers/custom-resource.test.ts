import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { parseJsonPath, printerForCustomResource } from './custom-resource.js';
import { parseIncludeObject, toTable } from './table.js';

const now = new Date('2026-03-01T10:00:00Z');
const widget: KubeObject = {
  apiVersion: 'stable.example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'default', creationTimestamp: '2026-03-01T09:58:00Z', labels: { 'app.kubernetes.io/name': 'w' } },
  spec: { size: 3, ratio: 0.5, color: 'red', enabled: true, tags: ['a', 'b'], nested: { k: 'v' } },
  status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-01T09:59:00Z' }] },
};

describe('printerForCustomResource', () => {
  it('defaults to Name and Age', () => {
    const p = printerForCustomResource({ name: 'v1', served: true, storage: true });
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
    expect(p.cells(widget, now)).toEqual(['w1', '2m']);
  });

  it('evaluates additionalPrinterColumns by type', () => {
    const p = printerForCustomResource({
      name: 'v1',
      additionalPrinterColumns: [
        { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
        { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'The color' },
        { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
        { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
        { name: 'First', type: 'string', jsonPath: '.status.conditions[0].status', priority: 1 },
        { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
        { name: 'Label', type: 'string', jsonPath: ".metadata.labels['app.kubernetes.io/name']" },
        { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
        { name: 'Since', type: 'date', jsonPath: '.status.conditions[0].lastTransitionTime' },
        { name: 'Wrong', type: 'integer', jsonPath: '.spec.color' },
      ],
    });
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Size', 'Ratio', 'Color', 'Enabled', 'Ready', 'First', 'Tags', 'Label', 'Missing', 'Since', 'Wrong']);
    expect(p.columns[3].description).toBe('The color');
    expect(p.columns[1].description).toBe('Custom resource definition column (in JSONPath format): .spec.size');
    expect(p.columns[6].priority).toBe(1);
    expect(p.cells(widget, now)).toEqual(['w1', 3, 0.5, 'red', true, 'True', 'True', '["a","b"]', 'w', null, '60s', null]);
  });

  it('stops at the first column it cannot parse, like apiextensions-apiserver', () => {
    const p = printerForCustomResource({
      additionalPrinterColumns: [
        { name: 'Nested', type: 'string', jsonPath: '.spec.nested' },
        { name: 'Bad', type: 'string', jsonPath: '.spec.tags[?(@.x>1)]' },
        { name: 'After', type: 'string', jsonPath: '.spec.color' },
      ],
    });
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Nested']);
    expect(p.cells(widget, now)).toEqual(['w1', '{"k":"v"}']);
  });

  it('parses the CRD JSONPath subset', () => {
    expect(parseJsonPath('.spec.replicas')).toEqual([{ field: 'spec' }, { field: 'replicas' }]);
    expect(parseJsonPath('{.a[0].b[*]}')).toEqual([{ field: 'a' }, { index: 0 }, { field: 'b' }, { wildcard: true }]);
    expect(parseJsonPath('spec')).toBeUndefined();
    expect(parseJsonPath('.status.conditions[?(@.type=="Ready")].status')).toEqual([
      { field: 'status' },
      { field: 'conditions' },
      { filter: { path: ['type'], op: '==', value: 'Ready' } },
      { field: 'status' },
    ]);
  });
});

describe('toTable', () => {
  const printer = printerForCustomResource({});

  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const table = toTable(printer, [widget], { now, resourceVersion: '42', continue: 'abc' });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42', continue: 'abc' },
      columnDefinitions: printer.columns,
      rows: [{ cells: ['w1', '2m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: widget.metadata } }],
    });
    expect(JSON.parse(JSON.stringify(table.columnDefinitions))[0]).toEqual({
      name: 'Name',
      type: 'string',
      format: 'name',
      description: expect.stringContaining('Name must be unique within a namespace'),
      priority: 0,
    });
  });

  it('parses includeObject and serves v1beta1 tables on request', () => {
    expect(parseIncludeObject(null)).toBe('Metadata');
    expect(parseIncludeObject('Object')).toBe('Object');
    expect(() => parseIncludeObject('All')).toThrow('unrecognized includeObject value: "All"');
    const t = toTable(printer, [widget], { now, version: 'v1beta1' });
    expect(t.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(t.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1' });
  });

  it('honours includeObject and noHeaders', () => {
    expect(toTable(printer, [widget], { now, includeObject: 'None' }).rows[0]).toEqual({ cells: ['w1', '2m'] });
    expect(toTable(printer, [widget], { now, includeObject: 'Object' }).rows[0].object).toBe(widget);
    const t = toTable(printer, [], { now, noHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(t.rows).toEqual([]);
    expect(t.metadata).toEqual({});
  });
});
