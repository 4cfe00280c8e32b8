// The app's backend decides whether its sandbox starts by itself: alone, it starts with the app;
// beside a kubeconfig context, it is listed stopped and starts when selected (clusters.connect, what
// a click in the cluster list sends). Real sandbox processes, checked with the real kubectl.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/core/app/backend.js';
import { KUBECTL, removeDir, run } from './harness.js';
import { poll } from './kubectl-helpers.js';

const roots: string[] = [];
const backends: Backend[] = [];

async function backend(kubeconfigPaths: string[]): Promise<{ backend: Backend; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'kubedesk-on-demand-'));
  roots.push(root);
  const started = startBackend({ dataDir: join(root, 'data'), kubeconfigPaths });
  backends.push(started);
  return { backend: started, root };
}

const sandboxState = (b: Backend) => b.clusters.list().find((c) => c.id === 'sandbox')?.state;

async function nodes(b: Backend, root: string): Promise<string> {
  const kubeconfig = b.sandbox.current.kubeconfigPath;
  if (!kubeconfig) throw new Error(`the sandbox is ${b.sandbox.current.state}`);
  const result = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(root, 'kubectl-cache'), 'get', 'nodes', '-o', 'name']);
  if (result.code !== 0) throw new Error(`kubectl get nodes failed: ${result.stderr}`);
  return result.stdout.trim();
}

afterAll(async () => {
  for (const b of backends) await b.dispose();
  for (const root of roots) await removeDir(root);
});

describe('the sandbox on demand', () => {
  it('starts by itself when no other cluster is configured', async () => {
    const { backend: b, root } = await backend([join(tmpdir(), 'kubedesk-no-such-kubeconfig')]);
    expect(b.clusters.list().map((c) => c.id)).toEqual(['sandbox']);
    await b.sandboxStarted;
    expect(b.sandbox.current.state).toBe('running');
    await poll('the sandbox to show connected', async () => sandboxState(b) === 'connected', 60_000);
    expect(await nodes(b, root)).toBe('node/kubedesk-control-plane');
  });

  /** A kubeconfig whose one context names an unreachable cluster, current or not. */
  async function farKubeconfig(current: boolean): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kubedesk-on-demand-config-'));
    roots.push(dir);
    const config = join(dir, 'config');
    await writeFile(config, `apiVersion: v1
kind: Config
clusters: [{ name: far, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: me, user: { token: t } }]
contexts: [{ name: far, context: { cluster: far, user: me } }]
${current ? 'current-context: far\n' : ''}`);
    return config;
  }

  it('waits to be selected when a kubeconfig context exists, then starts', async () => {
    const config = await farKubeconfig(true);
    const { backend: b, root } = await backend([config]);
    await b.sandboxStarted;
    expect(b.clusters.list().map((c) => `${c.id}:${c.current === true}`)).toEqual(['sandbox:false', 'kubeconfig:far:true']);
    // Give a wrong start every chance to happen before saying it did not.
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.sandbox.current.state).toBe('stopped');
    expect(sandboxState(b)).toBe('stopped');
    expect((await b.clusters.connect('sandbox')).state).toBe('connecting');
    await poll('the selected sandbox to show connected', async () => sandboxState(b) === 'connected', 90_000);
    expect(b.sandbox.current.state).toBe('running');
    expect(await nodes(b, root)).toBe('node/kubedesk-control-plane');
    // Stopped from its page: listed stopped again, and selecting it starts it again.
    await b.sandbox.stop();
    expect(sandboxState(b)).toBe('stopped');
    await b.clusters.connect('sandbox');
    await poll('the sandbox to come back', async () => sandboxState(b) === 'connected', 90_000);
  });

  it('starts by itself once the other clusters are gone, if nobody asked for it before', async () => {
    const config = await farKubeconfig(false);
    const { backend: b } = await backend([config]);
    expect(sandboxState(b)).toBe('stopped');
    // Half-written by an editor: unreadable is not "no cluster".
    await writeFile(config, 'apiVersion: v1\nkind: Config\ncontexts: [{ name: far');
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.sandbox.current.state).toBe('stopped');
    await rm(config);
    await poll('the sandbox, alone now, to start', async () => sandboxState(b) === 'connected', 90_000);
    expect(b.clusters.list().map((c) => c.id)).toEqual(['sandbox']);
  });
});
