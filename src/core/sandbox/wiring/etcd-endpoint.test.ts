import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedKV } from '../store/memory-kv.js';
import { startLazySandboxEtcd, type SandboxEtcdEndpoint } from './etcd-endpoint.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function endpoint(): Promise<{ ep: SandboxEtcdEndpoint; kv: EmbeddedKV; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-lazy-etcd-'));
  const kv = await EmbeddedKV.open(join(dir, 'store'), { fsync: false });
  const ep = await startLazySandboxEtcd({ kv, dataDir: dir, name: 'test-member' });
  cleanups.push(async () => {
    await ep.stop();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { ep, kv, dir };
}

function client(ep: SandboxEtcdEndpoint): Etcd3 {
  const b = (s: string) => Buffer.from(s);
  const c = new Etcd3({ hosts: ep.url, credentials: { rootCertificate: b(ep.certs.ca), certChain: b(ep.certs.cert), privateKey: b(ep.certs.key) } });
  cleanups.push(async () => c.close());
  return c;
}

describe('lazy sandbox etcd endpoint', () => {
  it('names its port and certificates at once, loads the gRPC server on the first connection, and serves the store', async () => {
    const { ep, kv, dir } = await endpoint();
    expect((await readFile(join(dir, 'etcd-endpoint'), 'utf8')).trim()).toBe(ep.url);
    expect(existsSync(ep.certs.caFile)).toBe(true);
    expect(ep.loaded).toBe(false);
    await kv.put('/registry/configmaps/default/a', Buffer.from('{"kind":"ConfigMap"}'));

    const etcd = client(ep);
    expect(await etcd.get('/registry/configmaps/default/a').string()).toBe('{"kind":"ConfigMap"}');
    expect(ep.loaded).toBe(true);
    await etcd.put('/registry/x').value('y');
    expect(Buffer.from((await kv.range('/registry/x')).kvs[0].value).toString()).toBe('y');
    // Members advertise the port clients use, not an internal one.
    const members = await etcd.cluster.memberList({});
    expect(members.members[0].clientURLs).toEqual([ep.url]);
  });

  it('stops with its endpoint file removed, loaded or not', async () => {
    const { ep, dir } = await endpoint();
    await ep.stop();
    expect(existsSync(join(dir, 'etcd-endpoint'))).toBe(false);
  });
});
