import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKubeconfigPaths, loadKubeconfigs } from './kubeconfig.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-kc-'));
  await writeFile(join(dir, 'a'), `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: c1
  cluster: { server: https://one.example, certificate-authority: certs/ca.crt }
contexts:
- name: alpha
  context: { cluster: c1, user: u1, namespace: team-a }
users:
- name: u1
  user: { token: first }
- name: plugin-user
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: ./bin/get-token }
- name: plugin-on-path
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: aws }
`);
  await writeFile(join(dir, 'b'), `apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: c1
  cluster: { server: https://ignored.example }
- name: c2
  cluster: { server: https://two.example }
contexts:
- name: alpha
  context: { cluster: c2, user: u1 }
- name: beta
  context: { cluster: c2, user: u1 }
- name: broken
  context: { cluster: missing, user: u1 }
users:
- name: u1
  user: { token: second }
`);
  await writeFile(join(dir, 'bad'), 'clusters: [');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kubeconfig merge (kubectl rules)', () => {
  it('lets the first file win for each name and for current-context', () => {
    const merged = loadKubeconfigs([join(dir, 'a'), join(dir, 'b'), join(dir, 'missing')]);
    expect(merged.currentContext).toBe('alpha');
    expect(merged.contexts.map((c) => [c.name, c.server, c.namespace])).toEqual([
      ['alpha', 'https://one.example', 'team-a'],
      ['beta', 'https://two.example', undefined],
    ]);
    const alpha = merged.contexts[0].config;
    expect(alpha.getCurrentUser()?.token).toBe('first');
    // Relative file references resolve against the file that holds them.
    expect(alpha.getCurrentCluster()?.caFile).toBe(join(dir, 'certs/ca.crt'));
    expect(merged.problems).toEqual([expect.stringContaining('context "broken" names cluster "missing"')]);
    // Exec commands with a path separator are relative to their file; bare names stay PATH lookups.
    const users = merged.contexts[0].config.users;
    expect(users.find((u) => u.name === 'plugin-user')?.exec?.command).toBe(join(dir, 'bin', 'get-token'));
    expect(users.find((u) => u.name === 'plugin-on-path')?.exec?.command).toBe('aws');
  });

  it('reports an unparsable file and keeps the others', () => {
    const merged = loadKubeconfigs([join(dir, 'bad'), join(dir, 'b')]);
    expect(merged.problems[0]).toContain('is not valid YAML');
    expect(merged.contexts.map((c) => c.name)).toEqual(['alpha', 'beta']);
  });

  it('takes $KUBECONFIG paths in order, then ~/.kube/config', () => {
    expect(defaultKubeconfigPaths({ KUBECONFIG: '/x/one:/x/two' }, '/home/me')).toEqual(['/x/one', '/x/two', '/home/me/.kube/config']);
    expect(defaultKubeconfigPaths({ KUBECONFIG: '/home/me/.kube/config:/x' }, '/home/me')).toEqual(['/home/me/.kube/config', '/x']);
    expect(defaultKubeconfigPaths({}, '/home/me')).toEqual(['/home/me/.kube/config']);
  });
});
