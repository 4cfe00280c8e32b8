// Test helper: an EmbeddedKV in a temporary directory served by an EtcdServer with fresh certs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedKV } from '../sandbox/store/memory-kv.js';
import type { Clock } from '../clock/clock.js';
import { ensureEtcdCerts, type EtcdCerts } from './certs.js';
import { EtcdServer } from './etcd-server.js';

export interface TestEndpoint {
  dir: string;
  kv: EmbeddedKV;
  server: EtcdServer;
  certs: EtcdCerts;
  cleanup(): Promise<void>;
}

export async function startTestEndpoint(options: { clock?: Clock; progressIntervalMs?: number } = {}): Promise<TestEndpoint> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-etcd-endpoint-'));
  const kv = await EmbeddedKV.open(join(dir, 'store'), { fsync: false });
  const certs = await ensureEtcdCerts(join(dir, 'certs'), 'test-member');
  const server = await EtcdServer.start({ kv, certs, name: 'test-member', ...options });
  return {
    dir,
    kv,
    server,
    certs,
    async cleanup() {
      await server.stop();
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
