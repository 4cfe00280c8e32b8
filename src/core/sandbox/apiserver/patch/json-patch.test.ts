import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { applyJsonPatch } from './json-patch.js';

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'web' }, annotations: { 'a~b': 'x' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }], tolerations: [{ key: 'a' }, { key: 'b' }] },
});

function caught(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('applyJsonPatch', () => {
  it('adds, replaces and removes fields without touching the input', () => {
    const doc = pod();
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/tier', value: 'frontend' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
      { op: 'remove', path: '/metadata/labels/app' },
    ]) as ReturnType<typeof pod>;
    expect(out.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', tier: 'frontend' });
    expect(out.spec.containers[0].image).toBe('nginx:1.27');
    expect(doc).toEqual(pod());
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' },
      { op: 'remove', path: '/metadata/annotations/a~0b' },
    ]) as ReturnType<typeof pod>;
    expect(out.metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(out.metadata.annotations).toEqual({});
  });

  it('appends with "-", inserts at an index and accepts negative indices', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'add', path: '/spec/tolerations/-', value: { key: 'd' } },
      { op: 'add', path: '/spec/tolerations/1', value: { key: 'inserted' } },
      { op: 'remove', path: '/spec/tolerations/-1' },
    ]) as ReturnType<typeof pod>;
    expect(out.spec.tolerations).toEqual([{ key: 'a' }, { key: 'inserted' }, { key: 'b' }]);
  });

  it('moves and copies values', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
      { op: 'replace', path: '/spec/containers/1/name', value: 'sidecar' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/component' },
    ]) as ReturnType<typeof pod>;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(out.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', component: 'web' });
  });

  it('passes a test op that matches and replaces the whole document with an empty path', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'test', path: '/spec/containers/0/image', value: 'nginx:1.25' },
      { op: 'replace', path: '', value: { kind: 'Other' } },
    ]);
    expect(out).toEqual({ kind: 'Other' });
  });

  it('answers a failed test with 422 and the generic message kube-apiserver gives', () => {
    const error = caught(() => applyJsonPatch(pod(), [{ op: 'test', path: '/spec/containers/0/image', value: 'nginx:1.0' }]));
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    expect(String((error.cause as Error).message)).toContain('test failed');
  });

  it.each([
    ['remove of a missing key', { op: 'remove', path: '/metadata/labels/missing' }],
    ['replace of a missing key', { op: 'replace', path: '/spec/nodeName', value: 'n1' }],
    ['add under a missing parent', { op: 'add', path: '/status/phase', value: 'Running' }],
    ['an index out of range', { op: 'add', path: '/spec/tolerations/5', value: {} }],
    ['an unknown op', { op: 'frobnicate', path: '/spec' }],
    ['a path without a leading slash', { op: 'add', path: 'spec/x', value: 1 }],
  ])('answers 422 for %s', (_name, op) => {
    expect(caught(() => applyJsonPatch(pod(), [op])).code).toBe(422);
  });

  it('answers 400 with the Go decoder message for a patch that is not a list of operations', () => {
    const notList = caught(() => applyJsonPatch(pod(), { op: 'add' }));
    expect(notList.status.reason).toBe('BadRequest');
    expect(notList.status.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(caught(() => applyJsonPatch(pod(), ['add'])).status.message).toBe(
      'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    );
  });
});
