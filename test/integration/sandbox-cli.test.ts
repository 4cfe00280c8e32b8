// `kubedesk sandbox` as a user runs it: the ready line, the kubeconfig, nodes, a clean stop on
// SIGTERM, a restart that finds everything again, and start-up failures as one readable message.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KUBECTL, ROOT, kubectlFor, removeDir, run, startSandbox, type RunningSandbox } from './harness.js';
import { STACK_FRAME, jsonOf, manifest, ok, table } from './kubectl-helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-cli-'));
  dirs.push(dir);
  return dir;
}

/** Runs `kubedesk sandbox` expecting it to exit by itself (a start-up failure). */
function sandboxExits(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'sandbox', ...args], { timeoutMs: 60_000 });
}

function expectOneReadableError(result: { code: number | null; stdout: string; stderr: string }, firstLine: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(firstLine);
  // At most the message and one hint line, never a stack trace.
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(STACK_FRAME);
}

describe('a running sandbox', () => {
  let sandbox: RunningSandbox;

  afterAll(async () => {
    if (sandbox) await sandbox.stop();
  });

  it('prints one ready line on stdout, writes a 0600 kubeconfig with the kubedesk-sandbox context', async () => {
    // Our own spawn (not the harness): stdout must hold the ready line and nothing else.
    const dataDir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'sandbox', '--data-dir', dataDir, '--port', '0', '--nodes', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const kubeconfigPath = join(dataDir, 'kubeconfig');
      expect(stdout).toMatch(new RegExp(`^Kubedesk sandbox ready at https://127\\.0\\.0\\.1:\\d+ \\(kubeconfig ${kubeconfigPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, context kubedesk-sandbox\\)\\n$`));
      expect(stderr).toBe('');
      const url = /ready at (\S+)/.exec(stdout)![1];
      expect((await stat(kubeconfigPath)).mode & 0o777).toBe(0o600);
      const config = parseYaml(await readFile(kubeconfigPath, 'utf8')) as {
        'current-context': string;
        clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
        contexts: { name: string; context: { cluster: string; user: string } }[];
        users: { name: string; user: Record<string, string> }[];
      };
      expect(config['current-context']).toBe('kubedesk-sandbox');
      expect(config.clusters).toEqual([{ name: 'kubedesk-sandbox', cluster: { server: url, 'certificate-authority-data': expect.any(String) } }]);
      expect(config.contexts).toEqual([{ name: 'kubedesk-sandbox', context: { cluster: 'kubedesk-sandbox', user: 'kubedesk-sandbox-admin' } }]);
      expect(Object.keys(config.users[0].user).sort()).toEqual(['client-certificate-data', 'client-key-data']);
      const contexts = await run(KUBECTL, ['--kubeconfig', kubeconfigPath, 'config', 'get-contexts']);
      expect(contexts.stdout).toBe(
        'CURRENT   NAME               CLUSTER            AUTHINFO                 NAMESPACE\n*         kubedesk-sandbox   kubedesk-sandbox   kubedesk-sandbox-admin   \n',
      );
      // The certificate verifies: no --insecure-skip-tls-verify needed.
      expect((await run(KUBECTL, ['--kubeconfig', kubeconfigPath, 'get', '--raw', '/readyz'])).stdout).toBe('ok');
      // SIGTERM: a clean exit, nothing more on stdout, the port closed.
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(stderr).not.toMatch(STACK_FRAME);
      const port = Number(new URL(url).port);
      const refused = await new Promise<boolean>((r) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), r(false)));
        socket.once('error', () => r(true));
      });
      expect(refused).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('--kubeconfig merges into an existing file and keeps its other contexts', async () => {
    const dir = await tempDir();
    const kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: other\nclusters: [{name: other, cluster: {server: "https://10.0.0.1:6443"}}]\ncontexts: [{name: other, context: {cluster: other, user: other}}]\nusers: [{name: other, user: {token: abc}}]\n',
    );
    sandbox = await startSandbox({ dataDir: join(dir, 'data'), extraArgs: ['--kubeconfig', kubeconfig] });
    const names = (await run(KUBECTL, ['--kubeconfig', kubeconfig, 'config', 'get-contexts', '-o', 'name'])).stdout.split('\n').filter(Boolean).sort();
    expect(names).toEqual(['kubedesk-sandbox', 'other']);
    expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600);
    expect((await run(KUBECTL, ['--kubeconfig', kubeconfig, '--context', 'kubedesk-sandbox', 'get', '--raw', '/readyz'])).stdout).toBe('ok');
    expect(await sandbox.stop()).toBe(0);
  });
});

describe('nodes', () => {
  it('--nodes 1: one control-plane node, not tainted (pods may run there)', async () => {
    const sandbox = await startSandbox({ nodes: 1 });
    dirs.push(sandbox.dataDir);
    try {
      const kubectl = kubectlFor(sandbox);
      const t = table(await ok(kubectl, ['get', 'nodes']));
      expect(t.rows.map((r) => [r.NAME, r.STATUS, r.ROLES])).toEqual([['kubedesk-control-plane', 'Ready', 'control-plane']]);
      expect(await ok(kubectl, ['get', 'node', 'kubedesk-control-plane', '-o', 'jsonpath={.spec.taints}'])).toBe('');
      expect(await ok(kubectl, ['describe', 'node', 'kubedesk-control-plane'])).toMatch(/^Taints:\s+<none>$/m);
    } finally {
      // Ctrl+C stops as cleanly as SIGTERM.
      const exited = new Promise<number | null>((r) => sandbox.process.once('exit', (code) => r(code)));
      sandbox.process.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});

describe('restart with the same --data-dir', () => {
  it('finds every object with the same uid and resourceVersion; new writes get higher resourceVersions', async () => {
    const dataDir = await tempDir();
    let sandbox = await startSandbox({ dataDir, nodes: 3 });
    let kubectl = kubectlFor(sandbox);
    await ok(kubectl, [
      'apply',
      '-f',
      await manifest(
        sandbox,
        'objects.yaml',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: keep}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: keep}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keep}\nstringData: {k: v}\n',
      ),
    ]);
    await ok(kubectl, ['label', 'configmap', 'c', '-n', 'keep', 'changed=yes']);
    // Objects the control plane itself keeps updating (node heartbeats, leases, events, pods and
    // endpoints written by controllers) may legitimately move on between two runs; nodes keep their uid.
    const live = ['events', 'events.events.k8s.io', 'leases.coordination.k8s.io', 'nodes', 'pods', 'endpoints', 'endpointslices.discovery.k8s.io', 'componentstatuses', 'nodes.metrics.k8s.io', 'pods.metrics.k8s.io'];
    const everything = async (k: typeof kubectl) => {
      const kinds = (await ok(k, ['api-resources', '--verbs=list', '-o', 'name'])).split('\n').filter((n) => n && !live.includes(n));
      const list = jsonOf<{ items: { kind: string; metadata: { namespace?: string; name: string; uid: string; resourceVersion: string } }[] }>(
        await ok(k, ['get', kinds.join(','), '-A', '-o', 'json']),
      );
      return new Map(list.items.map((i) => [`${i.kind}/${i.metadata.namespace ?? ''}/${i.metadata.name}`, `${i.metadata.uid} ${i.metadata.resourceVersion}`]));
    };
    const nodeUids = async (k: typeof kubectl) => ok(k, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.uid}']);
    const before = await everything(kubectl);
    const nodesBefore = await nodeUids(kubectl);
    expect(before.size).toBeGreaterThan(50);
    expect(before.get('ConfigMap/keep/c')).toBeDefined();
    const maxBefore = Math.max(...[...before.values()].map((v) => Number(v.split(' ')[1])));
    expect(await sandbox.stop()).toBe(0);

    sandbox = await startSandbox({ dataDir, nodes: 3 });
    kubectl = kubectlFor(sandbox);
    try {
      const after = await everything(kubectl);
      // Workloads (kube-system's CoreDNS and kube-proxy, ingress-nginx) keep their uid; their status
      // moves on as their pods start again, as on a restarted kind node.
      const workload = /^(Deployment|DaemonSet|ReplicaSet)\//;
      for (const [key, value] of before) {
        if (workload.test(key)) expect(after.get(key)?.split(' ')[0], key).toBe(value.split(' ')[0]);
        else expect(after.get(key), key).toBe(value);
      }
      expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
      expect(await nodeUids(kubectl)).toBe(nodesBefore);
      expect(await ok(kubectl, ['get', 'configmap', 'c', '-n', 'keep', '-o', 'jsonpath={.data.a} {.metadata.labels.changed}'])).toBe('1 yes');
      await ok(kubectl, ['label', 'configmap', 'c', '-n', 'keep', 'again=yes']);
      const rv = Number(await ok(kubectl, ['get', 'configmap', 'c', '-n', 'keep', '-o', 'jsonpath={.metadata.resourceVersion}']));
      expect(rv).toBeGreaterThan(maxBefore);
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
  });
});

describe('start-up failures: one readable message, non-zero exit, no stack trace', () => {
  it('an unknown flag suggests the right one', async () => {
    const r = await sandboxExits(['--prot', '1']);
    expectOneReadableError(r, /^kubedesk sandbox: unknown flag --prot \(did you mean --port\?\)$/);
    expect(r.code).toBe(2);
  });

  it('a bad flag value says what was expected', async () => {
    expectOneReadableError(await sandboxExits(['--nodes', 'three']), /^kubedesk sandbox: flag --nodes must be a whole number, got "three"$/);
    expectOneReadableError(await sandboxExits(['--nodes', '0', '--data-dir', await tempDir()]), /^kubedesk sandbox: --nodes must be between 1 and 1000, got 0$/);
    expectOneReadableError(await sandboxExits(['--port', '70000', '--data-dir', await tempDir()]), /^kubedesk sandbox: --port 70000 is not a TCP port$/);
  });

  it('an unwritable data directory', async () => {
    const dir = await tempDir();
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    expectOneReadableError(await sandboxExits(['--data-dir', join(file, 'data'), '--port', '0']), /^kubedesk sandbox: cannot write to the data directory .*a-file\/data/);
  });

  it('a port already in use', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      expectOneReadableError(await sandboxExits(['--data-dir', await tempDir(), '--port', String(port)]), new RegExp(`^kubedesk sandbox: port ${port} on 127\\.0\\.0\\.1 is already in use$`));
    } finally {
      server.close();
    }
  });

  it('a data directory used by another running sandbox', async () => {
    const sandbox = await startSandbox({ nodes: 1 });
    dirs.push(sandbox.dataDir);
    try {
      expectOneReadableError(await sandboxExits(['--data-dir', sandbox.dataDir, '--port', '0']), /^kubedesk sandbox: cannot open the sandbox store in .*: store directory .* is already open in process \d+/);
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
  });

  it('a corrupted store (damaged WAL records, a garbled snapshot) is refused, not silently emptied', async () => {
    const sandbox = await startSandbox({ nodes: 1 });
    dirs.push(sandbox.dataDir);
    await ok(kubectlFor(sandbox), ['apply', '-f', await manifest(sandbox, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: precious}\n')]);
    expect(await sandbox.stop()).toBe(0);
    const storeDir = join(sandbox.dataDir, 'store');
    const wal = (await readdir(storeDir)).filter((f) => f.startsWith('wal-')).sort();
    expect(wal.length).toBeGreaterThan(0);
    const walPath = join(storeDir, wal[0]);
    const original = await readFile(walPath);
    const damaged = Buffer.from(original);
    for (let i = 40; i < 60; i++) damaged[i] ^= 0xff;
    await writeFile(walPath, damaged);
    expectOneReadableError(await sandboxExits(['--data-dir', sandbox.dataDir, '--port', '0']), /^kubedesk sandbox: cannot open the sandbox store in .*: WAL file .* is corrupt at byte \d+/);

    await writeFile(walPath, original);
    await writeFile(join(storeDir, 'snapshot.bin'), Buffer.from('this is not a snapshot'.repeat(10)));
    expectOneReadableError(await sandboxExits(['--data-dir', sandbox.dataDir, '--port', '0']), /^kubedesk sandbox: cannot open the sandbox store in .*snapshot/);
  });

  it('--help prints the flags and exits 0', async () => {
    const r = await sandboxExits(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kubedesk sandbox \[flags\]/);
    for (const flag of ['--data-dir', '--kubeconfig', '--port', '--nodes']) expect(r.stdout).toContain(flag);
  });
});
