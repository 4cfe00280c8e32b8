// Real clients follow the sandbox: @kubernetes/client-node's informer and the official Python
// client's watch see every change, including across a restart of the sandbox (same data dir, same
// port), where resourceVersions continue upward.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';

const PYTHON = '/usr/bin/python3';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('real clients follow the sandbox across a restart', () => {
  let sandbox: RunningSandbox;
  let port: number;
  let python: ChildProcess | undefined;
  const pythonLines: string[] = [];
  const informerEvents: string[] = [];
  let informerStop: (() => void) | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox();
    port = Number(new URL(sandbox.url).port);
  });

  afterAll(async () => {
    informerStop?.();
    python?.kill('SIGKILL');
    await sandbox?.stop();
    if (sandbox) await removeDir(sandbox.dataDir);
  });

  it('client-node informer and Python watch see adds, updates and deletes, before and after a restart', async () => {
    const kubectl = kubectlFor(sandbox);
    await kubectl(['create', 'namespace', 'watched']).then((r) => {
      // `kubectl create namespace` may need protobuf; fall back to apply, which speaks JSON.
      if (r.code !== 0) return kubectl(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: watched\n' });
      return r;
    });

    // client-node informer, restarted on error as its documentation recommends.
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfig);
    const api = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/watched/configmaps', () => api.listNamespacedConfigMap({ namespace: 'watched' }));
    let stopped = false;
    informer.on('add', (cm) => informerEvents.push(`ADDED ${cm.metadata?.name}`));
    informer.on('update', (cm) => informerEvents.push(`MODIFIED ${cm.metadata?.name} ${cm.data?.v ?? ''}`));
    informer.on('delete', (cm) => informerEvents.push(`DELETED ${cm.metadata?.name}`));
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 300);
    });
    informerStop = () => {
      stopped = true;
      void informer.stop();
    };
    await informer.start();

    // Python client.
    expect(existsSync(PYTHON)).toBe(true);
    python = spawn(PYTHON, [join(import.meta.dirname, 'clients-watch.py'), sandbox.kubeconfig, 'watched'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pyErr = '';
    let partial = '';
    python.stdout!.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      pythonLines.push(...lines.filter(Boolean));
    });
    python.stderr!.on('data', (d: Buffer) => (pyErr += d.toString()));
    await waitFor(`python to list (stderr: ${pyErr})`, () => pythonLines.find((l) => l.startsWith('LISTED')));

    const cm = (name: string, v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: watched\ndata:\n  v: "${v}"\n`;
    expect((await kubectl(['apply', '-f', '-'], { stdin: cm('one', '1') })).code).toBe(0);
    expect((await kubectl(['apply', '-f', '-'], { stdin: cm('one', '2') })).code).toBe(0);
    expect((await kubectl(['delete', 'configmap', 'one', '-n', 'watched'])).code).toBe(0);

    await waitFor('informer to see add, update, delete', () => (informerEvents.includes('DELETED one') ? true : undefined));
    // kube-root-ca.crt arrives too, published into every namespace as on a real cluster.
    expect(informerEvents.filter((e) => !e.includes('kube-root-ca.crt'))).toEqual(['ADDED one', 'MODIFIED one 2', 'DELETED one']);
    await waitFor(`python to see the delete (saw: ${pythonLines.join(' | ')})`, () => pythonLines.find((l) => l.startsWith('DELETED one')));
    const before = pythonLines.filter((l) => /^(ADDED|MODIFIED|DELETED) /.test(l) && !l.includes('kube-root-ca.crt'));
    expect(before.map((l) => l.split(' ').slice(0, 2).join(' ')), pythonLines.join(' | ')).toEqual(['ADDED one', 'MODIFIED one', 'DELETED one']);
    const lastRv = Number(before[before.length - 1].split(' ')[2]);

    // Restart on the same port and data dir: clients reconnect, revisions continue upward.
    expect(await sandbox.stop()).toBe(0);
    sandbox = await startSandbox({ dataDir: sandbox.dataDir, port });
    const kubectl2 = kubectlFor(sandbox);
    const ns = await kubectl2(['get', 'namespace', 'watched', '-o', 'jsonpath={.status.phase}']);
    expect(ns.stdout).toBe('Active');
    expect((await kubectl2(['apply', '-f', '-'], { stdin: cm('two', '1') })).code).toBe(0);

    await waitFor('informer to see the object created after the restart', () => (informerEvents.includes('ADDED two') ? true : undefined), 30_000);
    const after = await waitFor('python to see the object created after the restart', () => pythonLines.find((l) => l.startsWith('ADDED two')), 30_000);
    expect(Number(after.split(' ')[2])).toBeGreaterThan(lastRv);
  });
});
