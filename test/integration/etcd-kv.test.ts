// The KV conformance suite against a real Debian etcd (3.4) started here on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { CachedObjectStorage } from '../../src/core/sandbox/store/cacher.js';
import { EtcdKV } from '../../src/core/sandbox/store/etcd-kv.js';
import { ETCD_BINARY, etcdAvailable, startEtcd } from '../../src/core/sandbox/store/etcd-process.js';
import { runKvConformance } from '../../src/core/sandbox/store/kv-conformance.js';
import { KvObjectStorage } from '../../src/core/sandbox/store/object-storage.js';
import { runStorageConformance } from '../../src/core/sandbox/store/storage-conformance.js';

async function etcdKv() {
  const dir = await mkdtemp(join(tmpdir(), 'kd-etcd-'));
  const etcd = await startEtcd(dir);
  const kv = await EtcdKV.connect({ endpoints: [etcd.endpoint] });
  return {
    kv,
    cleanup: async () => {
      await kv.close();
      await etcd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

if (etcdAvailable()) {
  runKvConformance('EtcdKV against a real etcd', etcdKv);
  runStorageConformance('KvObjectStorage over a real etcd', async () => {
    const { kv, cleanup } = await etcdKv();
    return { storage: new KvObjectStorage(kv), kv, cleanup };
  });
  runStorageConformance('CachedObjectStorage over a real etcd', async () => {
    const { kv, cleanup } = await etcdKv();
    const cached = new CachedObjectStorage(new KvObjectStorage(kv));
    return {
      storage: cached,
      kv,
      cleanup: async () => {
        cached.dispose();
        await cleanup();
      },
    };
  });
} else {
  describe('EtcdKV against a real etcd', () => {
    it.skip(`skipped: no etcd binary at ${ETCD_BINARY} (install Debian's etcd-server or set ETCD_BINARY)`, () => undefined);
  });
}
