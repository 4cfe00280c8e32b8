import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllContexts } from './kubeconfig-sources.js';
import { KubeconfigWatcher } from './kubeconfig-watcher.js';
import { ClusterManager } from './cluster-manager.js';

const config = (context: string, server: string) => `apiVersion: v1
kind: Config
clusters:
- name: c-${context}
  cluster: { server: '${server}' }
users:
- name: u
  user: { token: t }
contexts:
- name: ${context}
  context: { cluster: c-${context}, user: u }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-sources-'));
  await mkdir(join(dir, 'home', '.kube'), { recursive: true });
  await mkdir(join(dir, 'team'));
  await writeFile(join(dir, 'home', '.kube', 'config'), config('default-ctx', 'https://default.example'));
  await writeFile(join(dir, 'team', 'staging.yaml'), config('admin', 'https://staging.example'));
  await writeFile(join(dir, 'team', 'prod.yaml'), config('admin', 'https://prod.example'));
  await writeFile(join(dir, 'team', '.hidden'), config('hidden', 'https://hidden.example'));
  await writeFile(join(dir, 'single'), config('single-ctx', 'https://single.example'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kubeconfig sources', () => {
  it('lists the default set merged, then each added file on its own (same context names stay distinct)', () => {
    const home = join(dir, 'home', '.kube', 'config');
    const { contexts, problems } = loadAllContexts([home], [join(dir, 'team'), join(dir, 'single'), home, join(dir, 'missing')]);
    expect(contexts.map((c) => [c.id, c.server])).toEqual([
      ['kubeconfig:default-ctx', 'https://default.example'],
      [`file:${join(dir, 'team', 'prod.yaml')}#admin`, 'https://prod.example'],
      [`file:${join(dir, 'team', 'staging.yaml')}#admin`, 'https://staging.example'],
      [`file:${join(dir, 'single')}#single-ctx`, 'https://single.example'],
    ]);
    expect(problems).toEqual([`${join(dir, 'missing')} (added in the settings) is neither a readable file nor a folder with files`]);
  });

  it('sees new and replaced files in watched folders, and the cluster list follows', async () => {
    const team = join(dir, 'team');
    const home = join(dir, 'home', '.kube', 'config');
    const clusters = new ClusterManager(loadAllContexts([home], [team]).contexts, false);
    let reloads = 0;
    const watcher = new KubeconfigWatcher(() => {
      reloads++;
      clusters.setContexts(loadAllContexts([home], [team]).contexts);
    }, 50);
    watcher.watchPaths([home, team]);
    try {
      expect(watcher.watchedFolders.sort()).toEqual([join(dir, 'home', '.kube'), team].sort());
      await writeFile(join(team, 'dev.yaml'), config('dev', 'https://dev.example'));
      await until('the new context', () => clusters.list().some((c) => c.id === `file:${join(team, 'dev.yaml')}#dev`));
      // kubectl and editors replace the file by rename: still seen.
      await writeFile(join(dir, 'home', '.kube', 'config.tmp'), config('renamed-ctx', 'https://renamed.example'));
      await rename(join(dir, 'home', '.kube', 'config.tmp'), home);
      await until('the replaced default file', () => clusters.list().some((c) => c.id === 'kubeconfig:renamed-ctx'));
      expect(clusters.list().some((c) => c.id === 'kubeconfig:default-ctx')).toBe(false);
      expect(reloads).toBeGreaterThanOrEqual(2);
      // An unrelated file next to ~/.kube/config does not reload anything.
      const before = reloads;
      await writeFile(join(dir, 'home', '.kube', 'unrelated'), 'x');
      await new Promise((r) => setTimeout(r, 300));
      expect(reloads).toBe(before);
    } finally {
      watcher.dispose();
    }
  });

  it('keeps the state of unchanged clusters when files reload', () => {
    const home = join(dir, 'home', '.kube', 'config');
    const clusters = new ClusterManager(loadAllContexts([home], [join(dir, 'single')]).contexts, true);
    const fresh = clusters.setContexts(loadAllContexts([home], [join(dir, 'single')]).contexts);
    expect(fresh).toEqual([]);
    expect(clusters.setContexts(loadAllContexts([home], []).contexts)).toEqual([]);
    expect(clusters.list().map((c) => c.id)).toEqual(['sandbox', 'kubeconfig:renamed-ctx']);
  });
});
