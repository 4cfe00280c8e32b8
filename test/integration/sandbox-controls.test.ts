// The app's sandbox controls against a real sandbox process, checked with the real kubectl: stop
// and start keep the cluster, snapshots save and restore it by name, nodes are added, stopped (pods
// evicted after their toleration), restarted and removed, and reset gives a fresh cluster.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxController } from '../../src/core/app/sandbox-controller.js';
import type { SandboxStatus } from '../../src/shared/rpc/sandbox-contract.js';
import { KUBECTL, removeDir, run } from './harness.js';
import { poll } from './kubectl-helpers.js';

let root: string;
let sandbox: SandboxController;
const seen: SandboxStatus['state'][] = [];

async function kubectl(...args: string[]): Promise<string> {
  const kubeconfig = sandbox.current.kubeconfigPath;
  if (!kubeconfig) throw new Error(`the sandbox is ${sandbox.current.state}`);
  const result = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(root, 'kubectl-cache'), ...args]);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const podNames = async () => (await kubectl('get', 'pods', '-o', 'name')).trim().split('\n').filter(Boolean).sort();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubedesk-controls-'));
  sandbox = new SandboxController({ dataDir: join(root, 'sandbox'), snapshotDir: join(root, 'snapshots'), nodes: 2 });
  sandbox.onChange((s) => seen.push(s.state));
  await sandbox.start();
});

afterAll(async () => {
  await sandbox?.dispose();
  await removeDir(root);
});

describe('sandbox controls', () => {
  it('stops and starts again with the same cluster, on the same port', async () => {
    expect(sandbox.current.state).toBe('running');
    const url = sandbox.current.url;
    await kubectl('run', 'keep-me', '--image=busybox', '--restart=Never', '--', 'sleep', '3600');
    await sandbox.stop();
    expect(sandbox.current).toMatchObject({ state: 'stopped' });
    await expect(sandbox.listNodes()).rejects.toThrow('the sandbox is stopped; start it to manage its nodes');
    await sandbox.start();
    expect(sandbox.current.url).toBe(url);
    expect(await podNames()).toEqual(['pod/keep-me']);
    expect(seen).toEqual(['starting', 'running', 'stopping', 'stopped', 'starting', 'running']);
  });

  it('saves a snapshot by name and restores it later', async () => {
    const snapshot = await sandbox.saveSnapshot('before-exercise');
    expect(snapshot.name).toBe('before-exercise');
    expect(snapshot.sizeBytes).toBeGreaterThan(10_000);
    expect(Date.now() - Date.parse(snapshot.createdAt)).toBeLessThan(60_000);
    expect(sandbox.current.state).toBe('running');
    await kubectl('delete', 'pod', 'keep-me', '--grace-period=0', '--force');
    await kubectl('run', 'after-snapshot', '--image=busybox', '--restart=Never', '--', 'sleep', '3600');
    expect(await podNames()).toEqual(['pod/after-snapshot']);

    await sandbox.restoreSnapshot('before-exercise');
    expect(sandbox.current.state).toBe('running');
    expect(await podNames()).toEqual(['pod/keep-me']);
    expect((await sandbox.listSnapshots()).map((s) => s.name)).toEqual(['before-exercise']);
    await expect(sandbox.restoreSnapshot('no-such')).rejects.toThrow('there is no snapshot named "no-such"');
    await expect(sandbox.saveSnapshot('../escape')).rejects.toThrow('invalid snapshot name');
  });

  it('adds a node, stops it (NotReady, pods evicted after their toleration), restarts it and removes it', async () => {
    const added = await sandbox.addNode();
    expect(added).toMatchObject({ name: 'kubedesk-worker2', role: 'worker' });
    await poll('the new node Ready', async () => (await kubectl('get', 'node', 'kubedesk-worker2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')) === 'True');
    // Bound directly to the new node, tolerating its unreachability for 5 s only.
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'on-worker2' },
      spec: {
        nodeName: 'kubedesk-worker2',
        containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }],
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      },
    });
    const created = await run(KUBECTL, ['--kubeconfig', sandbox.current.kubeconfigPath ?? '', 'apply', '-f', '-'], { stdin: manifest });
    expect(created.stderr).toBe('');
    await poll('on-worker2 running', async () => (await kubectl('get', 'pod', 'on-worker2', '-o', 'jsonpath={.status.phase}')) === 'Running');

    const stopped = await sandbox.stopNode('kubedesk-worker2');
    expect(stopped.kubeletRunning).toBe(false);
    // The node lifecycle controller's grace period is 40 s.
    await poll('worker2 NotReady', async () => (await kubectl('get', 'node', 'kubedesk-worker2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')) === 'Unknown', 90_000);
    // As on a real cluster, an evicted pod on an unreachable node stays Terminating until its node answers.
    await poll('on-worker2 evicted', async () => (await kubectl('get', 'pod', 'on-worker2', '-o', 'jsonpath={.metadata.deletionTimestamp}')) !== '', 60_000);
    expect((await sandbox.listNodes()).find((n) => n.name === 'kubedesk-worker2')).toMatchObject({ ready: 'Unknown', kubeletRunning: false });

    await sandbox.startNode('kubedesk-worker2');
    await poll('worker2 Ready again', async () => (await kubectl('get', 'node', 'kubedesk-worker2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')) === 'True', 60_000);
    await poll('the evicted pod gone once its node is back', async () => !(await podNames()).includes('pod/on-worker2'), 60_000);

    await sandbox.removeNode('kubedesk-worker2');
    await poll('worker2 gone', async () => !(await kubectl('get', 'nodes', '-o', 'name')).includes('kubedesk-worker2'));
    await expect(sandbox.removeNode('kubedesk-control-plane')).rejects.toThrow('it is the control-plane node');
    await expect(sandbox.stopNode('nope')).rejects.toThrow('node nope does not exist');
  }, 240_000);

  it('lists the image catalog', () => {
    const images = sandbox.images();
    expect(images.find((i) => i.repository === 'docker.io/library/nginx')).toMatchObject({ ports: [80], os: 'debian' });
    expect(images.length).toBeGreaterThan(10);
  });

  it('resets to a fresh cluster (of as many nodes as asked) and keeps snapshots until deleted', async () => {
    await expect(sandbox.reset(0)).rejects.toThrow('a sandbox has 1 to 20 nodes');
    await sandbox.reset(3);
    expect(sandbox.current.state).toBe('running');
    expect(await podNames()).toEqual([]);
    expect((await kubectl('get', 'nodes', '-o', 'name')).trim().split('\n')).toEqual(['node/kubedesk-control-plane', 'node/kubedesk-worker', 'node/kubedesk-worker2']);
    expect((await sandbox.listSnapshots()).map((s) => s.name)).toEqual(['before-exercise']);
    await sandbox.deleteSnapshot('before-exercise');
    expect(await sandbox.listSnapshots()).toEqual([]);
  });
});
