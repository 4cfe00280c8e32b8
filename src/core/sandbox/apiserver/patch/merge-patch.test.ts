import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { applyMergePatch } from './merge-patch.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' } },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox' }] } },
  },
});

describe('applyMergePatch', () => {
  it('merges objects recursively and deletes fields set to null', () => {
    const doc = deployment();
    const out = applyMergePatch(doc, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 5 } });
    expect(out).toEqual({
      ...deployment(),
      metadata: { name: 'web', labels: { app: 'web', env: 'prod' } },
      spec: { ...deployment().spec, replicas: 5 },
    });
    expect(doc).toEqual(deployment());
  });

  it('replaces arrays whole (no merge by name)', () => {
    const out = applyMergePatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }) as ReturnType<
      typeof deployment
    >;
    expect(out.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.27' }]);
  });

  it('drops nulls inside values it adds, and null for a missing field is a no-op', () => {
    const out = applyMergePatch(deployment(), { spec: { strategy: { type: 'Recreate', rollingUpdate: null } }, status: null }) as Record<string, unknown>;
    expect((out.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
    expect('status' in out).toBe(false);
  });

  it('replaces a scalar with an object', () => {
    const out = applyMergePatch({ a: 1 }, { a: { b: 2, c: null } });
    expect(out).toEqual({ a: { b: 2 } });
  });

  it('rejects a patch that is not an object with 400', () => {
    for (const patch of [null, [1], 'x']) {
      let error: unknown;
      try {
        applyMergePatch(deployment(), patch);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status.reason).toBe('BadRequest');
      expect((error as ApiError).status.message).toBe('Invalid JSON Patch');
    }
  });
});
