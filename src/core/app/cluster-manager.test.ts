import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager, sandboxStartsByItself } from './cluster-manager.js';
import { loadAllContexts } from './kubeconfig-sources.js';
import { loadKubeconfigs } from './kubeconfig.js';
import { parseWebArgs } from './web-main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-cm-'));
  await writeFile(join(dir, 'config'), `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: 'https://127.0.0.1:1' }
users:
- name: plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: kubedesk-no-such-auth-plugin
      interactiveMode: Never
contexts:
- name: needs-plugin
  context: { cluster: c, user: plugin }
`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ClusterManager', () => {
  it('names the missing exec credential plugin instead of failing silently', async () => {
    const manager = new ClusterManager(loadKubeconfigs([join(dir, 'config')]).contexts, true);
    const seen: string[] = [];
    manager.onChange((list) => seen.push(list.map((c) => `${c.id}=${c.state}`).join(',')));
    const info = await manager.connect('kubeconfig:needs-plugin');
    expect(info.state).toBe('auth-failed');
    expect(info.reason).toContain('"kubedesk-no-such-auth-plugin" is not installed or not on PATH');
    expect(seen[0]).toBe('sandbox=stopped,kubeconfig:needs-plugin=connecting');
    expect(seen.at(-1)).toBe('sandbox=stopped,kubeconfig:needs-plugin=auth-failed');
    manager.sandboxFailed('the sandbox process stopped');
    expect(manager.list()[0]).toMatchObject({ id: 'sandbox', state: 'unreachable', reason: 'the sandbox process stopped' });
    await expect(manager.connect('kubeconfig:nope')).rejects.toThrow('unknown cluster');
  });
});

describe('the sandbox on demand', () => {
  it('starts by itself only when no kubeconfig context is configured', () => {
    expect(sandboxStartsByItself([])).toBe(true);
    expect(sandboxStartsByItself(loadKubeconfigs([join(dir, 'config')]).contexts)).toBe(false);
  });

  it('is listed stopped, and selecting it asks for a start once, showing connecting', async () => {
    let demands = 0;
    const manager = new ClusterManager(loadKubeconfigs([join(dir, 'config')]).contexts, true, { onSandboxDemand: () => demands++ });
    expect(manager.list()[0]).toMatchObject({ id: 'sandbox', state: 'stopped' });
    expect(manager.list()[0].reason).toMatch(/select it/);
    expect(await manager.connect('sandbox')).toMatchObject({ state: 'connecting' });
    expect(demands).toBe(1);
    // Already starting: a second click does not ask again.
    await manager.connect('sandbox');
    expect(demands).toBe(1);
    manager.sandboxStopped();
    expect(manager.list()[0].state).toBe('stopped');
    await manager.connect('sandbox');
    expect(demands).toBe(2);
  });

  it('marks the kubeconfig current-context', async () => {
    const path = join(dir, 'two');
    await writeFile(path, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: a, context: { cluster: c, user: u } }, { name: b, context: { cluster: c, user: u } }]
current-context: b
`);
    const manager = new ClusterManager(loadAllContexts([path], []).contexts, true);
    expect(manager.list().filter((c) => c.current).map((c) => c.id)).toEqual(['kubeconfig:b']);
  });
});

describe('npm run web flags', () => {
  it('parses --port, --data-dir and --no-open; CI never opens a browser', () => {
    expect(parseWebArgs(['--port', '8080', '--data-dir=/tmp/x', '--no-open'], {})).toEqual({ port: 8080, dataDir: '/tmp/x', open: false });
    expect(parseWebArgs([], { CI: '1', XDG_DATA_HOME: '/xdg' })).toMatchObject({ port: 0, open: false });
    expect(parseWebArgs([], {})).toMatchObject({ open: true });
    expect(() => parseWebArgs(['--port', '70000'], {})).toThrow('--port must be a TCP port');
    expect(() => parseWebArgs(['--verbose'], {})).toThrow('unknown flag --verbose');
  });
});
