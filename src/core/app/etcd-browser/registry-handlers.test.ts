// The registry's RPC methods through AppService as a UI calls them: the sandbox target found from
// the files the sandbox writes, any etcd by endpoints and TLS files, parameters refused with reasons,
// and a connection's watches ending with it.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDisposable } from '../../../shared/disposable.js';
import type { RegistryWatchEvent, RpcMessage } from '../../../shared/rpc/contract.js';
import { RpcClient } from '../../../shared/rpc/rpc-client.js';
import { startTestEndpoint, type TestEndpoint } from '../../etcd/test-endpoint.js';
import { bytes } from '../../sandbox/store/kv.js';
import { AppService } from '../app-service.js';
import { ClusterManager } from '../cluster-manager.js';
import { WatchService } from '../watch-service.js';
import { RegistryService } from './registry-service.js';

let endpoint: TestEndpoint;
let sandboxDir: string;
let app: AppService;

function client(): { rpc: RpcClient; close(): void } {
  const listeners = new Set<(m: RpcMessage) => void>();
  const connection = app.connect((m) => queueMicrotask(() => listeners.forEach((l) => l(m))));
  const rpc = new RpcClient({
    send: (m) => queueMicrotask(() => connection.receive(m)),
    onMessage: (l) => {
      listeners.add(l);
      return toDisposable(() => listeners.delete(l));
    },
  });
  return { rpc, close: () => connection.dispose() };
}

beforeAll(async () => {
  endpoint = await startTestEndpoint();
  await endpoint.kv.put('/registry/pods/default/web', bytes('{"kind":"Pod"}'));
  // The layout the sandbox writes: <data-dir>/etcd-endpoint and <data-dir>/certs/etcd/{ca,server}.*
  sandboxDir = await mkdtemp(join(tmpdir(), 'kd-registry-handlers-'));
  await writeFile(join(sandboxDir, 'etcd-endpoint'), `${endpoint.server.url}\n`);
  await mkdir(join(sandboxDir, 'certs', 'etcd'), { recursive: true });
  await copyFile(endpoint.certs.caFile, join(sandboxDir, 'certs', 'etcd', 'ca.crt'));
  await copyFile(endpoint.certs.certFile, join(sandboxDir, 'certs', 'etcd', 'server.crt'));
  await copyFile(endpoint.certs.keyFile, join(sandboxDir, 'certs', 'etcd', 'server.key'));
  const clusters = new ClusterManager([], false);
  app = new AppService(clusters, new WatchService(() => undefined), new RegistryService(sandboxDir));
});

afterAll(async () => {
  app?.dispose();
  await endpoint?.cleanup();
  if (sandboxDir) await rm(sandboxDir, { recursive: true, force: true });
});

describe('registry RPC', () => {
  it('opens the sandbox etcd, lists, gets and watches', async () => {
    const { rpc, close } = client();
    const session = await rpc.call('registry.open', { target: { kind: 'sandbox' } });
    expect(session.endpoints).toEqual([endpoint.server.url]);
    expect(session.etcdctl).toContain(`--cacert ${join(sandboxDir, 'certs', 'etcd', 'ca.crt')}`);
    const listing = await rpc.call('registry.list', { sessionId: session.sessionId, prefix: '/registry/' });
    expect(listing.children).toEqual([{ name: 'pods/', key: '/registry/pods/', leaf: false, count: 1 }]);
    expect(await rpc.call('registry.get', { sessionId: session.sessionId, key: '/registry/pods/default/web' })).toMatchObject({ value: { format: 'json', object: { kind: 'Pod' } } });
    const events: RegistryWatchEvent[] = [];
    rpc.on('registry.event', (e) => events.push(e));
    const { watchId } = await rpc.call('registry.watch', { sessionId: session.sessionId, prefix: '/registry/' });
    await endpoint.kv.put('/registry/pods/default/db', bytes('{}'));
    await expect.poll(() => events.flatMap((e) => e.events.map((x) => x.key))).toEqual(['/registry/pods/default/db']);
    expect(events[0].watchId).toBe(watchId);
    close();
    // The connection ended: its session is closed too.
    const other = client();
    await expect(other.rpc.call('registry.list', { sessionId: session.sessionId, prefix: '/' })).rejects.toThrow(/no registry session/);
    other.close();
  });

  it('opens any etcd by endpoints and files, and refuses bad parameters with reasons', async () => {
    const { rpc, close } = client();
    const { certs } = endpoint;
    const session = await rpc.call('registry.open', { target: { kind: 'etcd', endpoints: [endpoint.server.url], caFile: certs.caFile, certFile: certs.certFile, keyFile: certs.keyFile } });
    expect(session.revision).toBeGreaterThan(0);
    await expect(rpc.call('registry.open', { target: { kind: 'etcd', endpoints: ['127.0.0.1:2379'] } })).rejects.toThrow(/URLs such as https/);
    await expect(rpc.call('registry.open', { target: { kind: 'etcd', endpoints: [endpoint.server.url], caFile: '/nope/ca.crt' } })).rejects.toThrow(/cannot read the CA certificate file \/nope\/ca.crt/);
    await expect(rpc.call('registry.put', { sessionId: session.sessionId, key: '/registry/x', value: '{}', expectedModRevision: -1 })).rejects.toThrow(/expectedModRevision/);
    expect(await rpc.call('registry.put', { sessionId: session.sessionId, key: '/registry/x', value: '{}', expectedModRevision: 0 })).toMatchObject({ ok: true });
    expect(await rpc.call('registry.put', { sessionId: session.sessionId, key: '/registry/x', value: '{}', expectedModRevision: 0 })).toMatchObject({ ok: false });
    await rpc.call('registry.close', { sessionId: session.sessionId });
    close();
  });
});
