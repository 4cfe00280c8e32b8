// `kubedesk sandbox --etcd-endpoints`: the control plane on a real etcd (Debian's etcd-server 3.4).
// What kubectl writes lands in etcd at the keys kube-apiserver uses, and resourceVersion is etcd's
// mod revision; a ServiceAccount token is authorized by real RBAC evaluation.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdAvailable, startEtcd, type EtcdProcess } from '../../src/core/sandbox/store/etcd-process.js';
import { kubectlFor, removeDir, run, startSandbox, type RunningSandbox, KUBECTL } from './harness.js';

describe.runIf(etcdAvailable())('sandbox on a real etcd', () => {
  let etcd: EtcdProcess;
  let sandbox: RunningSandbox;
  let etcdDir: string;

  beforeAll(async () => {
    etcdDir = await mkdtemp(join(tmpdir(), 'kubedesk-etcd-'));
    etcd = await startEtcd(etcdDir);
    sandbox = await startSandbox({ nodes: 2, extraArgs: ['--etcd-endpoints', etcd.endpoint] });
  });

  afterAll(async () => {
    await sandbox?.stop();
    await etcd?.stop();
    if (sandbox) await removeDir(sandbox.dataDir);
    await removeDir(etcdDir);
  });

  it('stores objects in etcd under /registry with resourceVersion = mod_revision', async () => {
    const kubectl = kubectlFor(sandbox);
    const nodes = await kubectl(['get', 'nodes']);
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    expect(nodes.stdout).toContain('kubedesk-control-plane   Ready    control-plane');
    const created = await kubectl(['create', 'configmap', 'on-etcd', '--from-literal=course=k8s']);
    expect(created.stdout.trim()).toBe('configmap/on-etcd created');
    const rv = (await kubectl(['get', 'configmap', 'on-etcd', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;

    const env = { ETCDCTL_API: '3' };
    const keys = await run('etcdctl', ['--endpoints', etcd.endpoint, 'get', '/registry/', '--prefix', '--keys-only'], { env });
    expect(keys.code).toBe(0);
    const keyList = keys.stdout.split('\n').filter(Boolean);
    expect(keyList).toContain('/registry/configmaps/default/on-etcd');
    expect(keyList).toContain('/registry/minions/kubedesk-worker');
    expect(keyList).toContain('/registry/services/specs/default/kubernetes');
    expect(keyList).toContain('/registry/namespaces/kube-system');

    const json = await run('etcdctl', ['--endpoints', etcd.endpoint, 'get', '/registry/configmaps/default/on-etcd', '-w', 'json'], { env });
    const kv = (JSON.parse(json.stdout) as { kvs: { mod_revision: number; value: string }[] }).kvs[0];
    expect(String(kv.mod_revision)).toBe(rv);
    const stored = JSON.parse(Buffer.from(kv.value, 'base64').toString()) as { data: Record<string, string> };
    expect(stored.data).toEqual({ course: 'k8s' });
  });

  it('authorizes a ServiceAccount token with RBAC: allowed by its Role, forbidden elsewhere', async () => {
    const kubectl = kubectlFor(sandbox);
    const manifest = `apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: ["pods", "configmaps"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-binding, namespace: default}
subjects: [{kind: ServiceAccount, name: reader, namespace: default}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
`;
    expect((await kubectl(['apply', '-f', '-'], { stdin: manifest })).code).toBe(0);
    const token = (await kubectl(['create', 'token', 'reader'])).stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const asReader = (args: string[]) =>
      run(KUBECTL, ['--server', sandbox.url, '--certificate-authority', join(sandbox.dataDir, 'pki', 'ca.crt'), '--token', token, '--cache-dir', join(sandbox.dataDir, 'reader-cache'), ...args]);
    const allowed = await asReader(['get', 'configmaps', '-n', 'default', '-o', 'name']);
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toContain('configmap/on-etcd');
    const forbidden = await asReader(['get', 'secrets', '-n', 'default']);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr.trim()).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:default:reader" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
    const canI = await kubectl(['auth', 'can-i', 'list', 'secrets', '--as', 'system:serviceaccount:default:reader']);
    expect(canI.stdout.trim()).toBe('no');
    const bad = await run(KUBECTL, ['--server', sandbox.url, '--certificate-authority', join(sandbox.dataDir, 'pki', 'ca.crt'), '--token', `${token}x`, 'get', 'pods']);
    expect(bad.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
  });
});
