// The sandbox's etcd endpoint: certificates in <data-dir>/certs/etcd/, the server on a free port of
// 127.0.0.1 over the sandbox's store, and <data-dir>/etcd-endpoint naming its URL, so that
// `etcdctl --cacert .../ca.crt --cert .../server.crt --key .../server.key --endpoints $(cat
// <data-dir>/etcd-endpoint)` works as in the course.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KV } from '../sandbox/store/kv.js';
import { ensureEtcdCerts, type EtcdCerts } from './certs.js';
import { EtcdServer } from './etcd-server.js';

export interface SandboxEtcd {
  server: EtcdServer;
  certs: EtcdCerts;
  endpointFile: string;
  stop(): Promise<void>;
}

export async function startSandboxEtcd(options: { kv: KV; dataDir: string; name: string; port?: number }): Promise<SandboxEtcd> {
  const certs = await ensureEtcdCerts(join(options.dataDir, 'certs', 'etcd'), options.name);
  const server = await EtcdServer.start({ kv: options.kv, host: '127.0.0.1', port: options.port ?? 0, certs, name: options.name });
  const endpointFile = join(options.dataDir, 'etcd-endpoint');
  try {
    await writeFile(endpointFile, `${server.url}\n`);
  } catch (error) {
    await server.stop();
    throw new Error(`cannot write ${endpointFile}: ${(error as Error).message}; check the data directory's permissions`, { cause: error });
  }
  return {
    server,
    certs,
    endpointFile,
    async stop() {
      await server.stop();
      // A stale endpoint file would point etcdctl at a port nobody (or somebody else) listens on.
      await rm(endpointFile, { force: true });
    },
  };
}
