// Streaming requests go through authentication and RBAC like any other: a WebSocket GET is the
// "get" verb on pods/exec, kubectl's SPDY fallback POST is "create" (kube-apiserver 1.32).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, runningPod, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'shell', [new ScriptedContainer('app', [['X', '1']])]);
  const { client } = t.sandbox.controlPlane;
  const rbac = (resource: string) => ({ group: 'rbac.authorization.k8s.io', resource });
  await client.create(rbac('roles'), 'default', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'exec-only' },
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ],
  });
  await client.create(rbac('rolebindings'), 'default', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'alice-exec' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec-only' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
  });
  await client.create(rbac('rolebindings'), 'default', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'carol-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'carol' }],
  });
  // The RBAC informers see the new objects shortly after.
  await new Promise((r) => setTimeout(r, 300));
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('streaming and RBAC', () => {
  it('a user allowed to create pods/exec gets in through the SPDY fallback', async () => {
    const r = await kubectl(t, ['--as', 'alice', 'exec', 'shell', '--', 'env']);
    expect(r.stdout).toBe('X=1\n');
    expect(r.code).toBe(0);
  });

  it('a user without pods/exec is refused with the apiserver words', async () => {
    const r = await kubectl(t, ['--as', 'bob', 'exec', 'shell', '--', 'env']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods "shell" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"');
    // Refused on the upgrade socket (WebSocket), then on the SPDY fallback: kubectl prints the Status.
    const viewer = await kubectl(t, ['--as', 'carol', 'exec', 'shell', '--', 'env']);
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain('pods "shell" is forbidden: User "carol" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    const logs = await kubectl(t, ['--as', 'alice', 'logs', 'shell']);
    expect(logs.stderr).toContain('User "alice" cannot get resource "pods/log"');
  });
});
