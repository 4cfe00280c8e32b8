// The app (Electron's main, and the packaged app) forks the bundled sandbox-host from out/main, not
// the TypeScript sources tsx runs in every other test: this checks that bundle starts a cluster
// kubectl drives. It once failed silently twice over: a hoisted import ran before its polyfill, and
// the OpenAPI documents were not next to the bundle.
import { fork, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUi } from './web-app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');

let dataDir = '';

beforeAll(async () => {
  await buildUi();
  dataDir = await mkdtemp(join(tmpdir(), 'kubedesk-bundled-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it('the bundled sandbox-host starts a cluster that kubectl drives, and stops when asked', async () => {
  const child = fork(join(ROOT, 'out', 'main', 'sandbox-host.js'), [], {
    env: { ...process.env, KUBEDESK_SANDBOX_DATA_DIR: dataDir, KUBEDESK_SANDBOX_PORT: '0', KUBEDESK_SANDBOX_NODES: '2' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<{ type: string; kubeconfigPath?: string; message?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { type: string; kubeconfigPath?: string }));
    void exited.then((code) => reject(new Error(`sandbox-host exited (${code}) before answering: ${stderr}`)));
  });
  expect(first.message).toBeUndefined();
  expect(first.type).toBe('ready');
  const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', first.kubeconfigPath ?? '', 'get', 'nodes', '-o', 'name']);
  expect(stdout.trim().split('\n')).toHaveLength(2);
  child.send({ type: 'stop' });
  expect(await exited).toBe(0);
});
