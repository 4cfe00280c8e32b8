import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { NamespaceLifecyclePlugin } from './namespace-lifecycle.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';

const NS = { group: '', resource: 'namespaces' };

function client(): TestApiClient {
  return new TestApiClient().seed(
    NS,
    { metadata: { name: 'default' }, status: { phase: 'Active' } },
    { metadata: { name: 'doomed', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } },
  );
}

describe('NamespaceLifecycle', () => {
  const plugin = new NamespaceLifecyclePlugin();

  it('admits content into an active namespace', async () => {
    await expect(plugin.admit(attrs('CREATE', 'pods', { object: pod('web') }), client())).resolves.toBeUndefined();
  });

  it('refuses content in a namespace that does not exist with a 404 about the namespace', async () => {
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { namespace: 'foo', object: pod('web', {}, 'foo') }), client()));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "foo" not found', details: { name: 'foo', kind: 'namespaces' } });
  });

  it('also refuses updates in a missing namespace, but never deletes', async () => {
    const update = attrs('UPDATE', 'configmaps', { namespace: 'foo', object: { metadata: { name: 'c' } }, oldObject: { metadata: { name: 'c' } } });
    expect((await rejection(plugin.admit(update, client()))).status.code).toBe(404);
    await expect(plugin.admit(attrs('DELETE', 'configmaps', { namespace: 'foo', name: 'c' }), client())).resolves.toBeUndefined();
  });

  it('refuses creates in a terminating namespace with the NamespaceTerminating cause', async () => {
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { namespace: 'doomed', object: pod('x', {}, 'doomed') }), client()));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code: 403,
      reason: 'Forbidden',
      message: 'pods "x" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      details: {
        name: 'x',
        kind: 'pods',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }],
      },
    });
  });

  it('names a generateName object by its prefix', async () => {
    const obj = { metadata: { generateName: 'web-', namespace: 'doomed' } };
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { namespace: 'doomed', name: '', object: obj }), client()));
    expect(err.status.message).toBe('pods "web-" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  });

  it('lets updates through in a terminating namespace (finalizers must be removable)', async () => {
    const obj = pod('x', {}, 'doomed');
    await expect(plugin.admit(attrs('UPDATE', 'pods', { namespace: 'doomed', object: obj, oldObject: obj }), client())).resolves.toBeUndefined();
  });

  it('refuses deleting the immortal namespaces in both phases', async () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const a = attrs('DELETE', 'namespaces', { name });
      for (const phase of [plugin.admit(a, client()), plugin.validate(a)]) {
        const err = await rejection(phase);
        expect(err.status).toMatchObject({ code: 403, reason: 'Forbidden', message: `namespaces "${name}" is forbidden: this namespace may not be deleted`, details: { name, kind: 'namespaces' } });
      }
    }
    await expect(plugin.validate(attrs('DELETE', 'namespaces', { name: 'doomed' }))).resolves.toBeUndefined();
  });

  it('ignores cluster-scoped objects, namespaces themselves and access reviews', async () => {
    const c = client();
    await plugin.admit(attrs('CREATE', 'nodes', { object: { metadata: { name: 'n1' } } }), c);
    await plugin.admit(attrs('CREATE', 'namespaces', { object: { metadata: { name: 'new' } } }), c);
    await plugin.admit(attrs('CREATE', 'localsubjectaccessreviews', { namespace: 'foo', object: { metadata: { namespace: 'foo' } } }), c);
    expect(c.calls).toEqual([]);
  });

  it('trusts an Active namespace briefly, but looks live again right after the namespace is deleted', async () => {
    let now = 0;
    const cached = new NamespaceLifecyclePlugin({ cacheTtlMs: 1000, now: () => now });
    const c = client();
    const create = () => cached.admit(attrs('CREATE', 'pods', { object: pod('web') }), c);
    await create();
    await create();
    expect(c.calls.filter((call) => call === 'get namespaces  default')).toHaveLength(1);
    now = 1500;
    await create();
    expect(c.calls.filter((call) => call === 'get namespaces  default')).toHaveLength(2);

    // The registry marks the namespace Terminating only after admission; a create in between must not be cached.
    await c.create(NS, '', { metadata: { name: 'web-ns' }, status: { phase: 'Active' } });
    await cached.admit(attrs('CREATE', 'pods', { namespace: 'web-ns', object: pod('early', {}, 'web-ns') }), c);
    await cached.validate(attrs('DELETE', 'namespaces', { name: 'web-ns' }));
    await cached.admit(attrs('CREATE', 'pods', { namespace: 'web-ns', object: pod('a', {}, 'web-ns') }), c);
    await c.update(NS, '', { metadata: { name: 'web-ns' }, status: { phase: 'Terminating' } });
    const err = await rejection(cached.admit(attrs('CREATE', 'pods', { namespace: 'web-ns', object: pod('b', {}, 'web-ns') }), c));
    expect(err.status.code).toBe(403);
  });
});
