import { describe, expect, it } from 'vitest';
import { locatePath, markersFor, parseFieldPath, pathsInMessage } from './yaml-paths.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: nginx
          image: nginx
        - name: side
          image: ""
`;

describe('field paths to YAML lines', () => {
  it('parses the API path forms', () => {
    expect(parseFieldPath('spec.replicas')).toEqual(['spec', 'replicas']);
    expect(parseFieldPath('.spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
  });

  it('finds a scalar field on its line, key to value', () => {
    const found = locatePath(deployment, parseFieldPath('spec.replicas'));
    expect(found).toEqual({ exact: true, range: { startLine: 8, startColumn: 3, endLine: 8, endColumn: 15 } });
  });

  it('finds list items and map keys with dots', () => {
    expect(locatePath(deployment, parseFieldPath('spec.template.spec.containers[1].image'))?.range.startLine).toBe(15);
    expect(locatePath(deployment, parseFieldPath('spec.template.spec.containers[1]'))?.range.startLine).toBe(14);
    expect(locatePath(deployment, parseFieldPath('metadata.labels[app.kubernetes.io/name]'))?.range.startLine).toBe(6);
  });

  it('falls back to the deepest existing parent for a missing field', () => {
    const found = locatePath(deployment, parseFieldPath('spec.template.spec.containers[0].ports[0].containerPort'));
    expect(found?.exact).toBe(false);
    expect(found?.range.startLine).toBe(12);
    expect(locatePath(deployment, parseFieldPath('spec.selector'))).toMatchObject({ exact: false, range: { startLine: 7 } });
  });

  it('looks in the right document of a multi-document text', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n${deployment}`;
    expect(locatePath(text, ['spec', 'replicas'], 1)?.range.startLine).toBe(13);
    expect(locatePath(text, ['metadata', 'name'], 0)?.range.startLine).toBe(4);
  });

  it('reads paths from messages that have no causes', () => {
    expect(pathsInMessage('strict decoding error: unknown field "spec.foo", unknown field "spec.bar"').map((p) => p.path)).toEqual(['spec.foo', 'spec.bar']);
    expect(pathsInMessage('failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string')).toEqual([
      { path: '.spec.replicas', message: 'expected numeric (int or float), got string' },
    ]);
  });

  it('turns a 422 Status into markers', () => {
    const markers = markersFor(deployment, [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }], 'invalid');
    expect(markers).toEqual([{ startLine: 8, startColumn: 3, endLine: 8, endColumn: 15, exact: true, message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' }]);
  });
});
