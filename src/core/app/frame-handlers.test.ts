// The Sandbox and Settings RPC through AppService, as a window calls them: parameters checked,
// refusals explained, changes pushed to every connected window.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcMessage } from '../../shared/rpc/contract.js';
import { AppService } from './app-service.js';
import { ClusterManager } from './cluster-manager.js';
import { SandboxController } from './sandbox-controller.js';
import { SettingsStore } from './settings.js';
import { WatchService } from './watch-service.js';

let dir: string;
let app: AppService;
const sent: RpcMessage[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-frame-rpc-'));
  const clusters = new ClusterManager([], false);
  const sandbox = new SandboxController({ dataDir: join(dir, 'sandbox'), snapshotDir: join(dir, 'snapshots') });
  app = new AppService(clusters, new WatchService(() => undefined), undefined, undefined, { sandbox, settings: SettingsStore.load(join(dir, 'settings.json')) });
});
afterAll(async () => {
  app.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function call(method: string, params: unknown): Promise<RpcMessage | undefined> {
  const connection = app.connect((m) => sent.push(m));
  const id = Math.floor(Math.random() * 1e9);
  await connection.receive({ type: 'request', id, method, params });
  connection.dispose();
  return sent.find((m) => m.type === 'response' && m.id === id);
}

describe('sandbox and settings RPC', () => {
  it('answers for a stopped sandbox and explains what cannot be done', async () => {
    expect(await call('sandbox.status', {})).toMatchObject({ result: { state: 'stopped' } });
    expect(await call('sandbox.nodes.list', {})).toMatchObject({ error: { message: 'the sandbox is stopped; start it to manage its nodes' } });
    expect(await call('sandbox.nodes.stop', {})).toMatchObject({ error: { message: 'sandbox.nodes.stop: "name" must be a non-empty string', code: 'bad-params' } });
    expect(await call('sandbox.snapshots.save', { name: 'a/b' })).toMatchObject({ error: { message: expect.stringContaining('invalid snapshot name "a/b"') } });
    expect(await call('sandbox.snapshots.restore', { name: 'missing' })).toMatchObject({ error: { message: 'there is no snapshot named "missing"; pick one from the list' } });
    expect(await call('sandbox.snapshots.list', {})).toMatchObject({ result: [] });
    expect(await call('sandbox.reset', { nodes: 0 })).toMatchObject({ error: { code: 'bad-params', message: 'sandbox.reset: "nodes" must be an integer from 1 to 20' } });
    const images = (await call('sandbox.images.list', {})) as { result: { repository: string }[] };
    expect(images.result.map((i) => i.repository)).toContain('docker.io/library/busybox');
  });

  it('reads and updates settings, refusing bad values with the reason, and tells every window', async () => {
    const watcher = app.connect((m) => sent.push(m));
    expect(await call('settings.get', {})).toMatchObject({ result: { theme: 'system', kubeconfigPaths: [] } });
    expect(await call('settings.update', { theme: 'dark' })).toMatchObject({ result: { theme: 'dark' } });
    expect(sent).toContainEqual({ type: 'event', event: 'settings.changed', payload: expect.objectContaining({ theme: 'dark' }) });
    expect(await call('settings.update', { theme: 'neon' })).toMatchObject({ error: { code: 'bad-params', message: expect.stringContaining('theme must be one of') } });
    expect(await call('settings.update', 'dark')).toMatchObject({ error: { code: 'bad-params' } });
    expect(await call('settings.update', { kubeconfigPaths: [join(dir, 'nowhere')] })).toMatchObject({ error: { code: 'bad-params', message: `${join(dir, 'nowhere')} does not exist: give the absolute path of a kubeconfig file, or of a folder that holds some` } });
    expect(await call('settings.update', { kubeconfigPaths: [dir] })).toMatchObject({ result: { kubeconfigPaths: [dir] } });
    watcher.dispose();
  });
});
