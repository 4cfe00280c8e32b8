// The sandbox's etcd endpoint: certificates in <data-dir>/certs/etcd/, a port of 127.0.0.1 over the
// sandbox's store and <data-dir>/etcd-endpoint naming its URL, so that the course's `etcdctl --cacert
// ... --endpoints $(cat <data-dir>/etcd-endpoint)` works. Its gRPC server is
// loaded on the first connection: gRPC and etcd's protobuf definitions cost about 10 MB of memory
// that an idle sandbox, whose etcd endpoint nobody has opened yet, does not need. The port, the
// certificates and <data-dir>/etcd-endpoint exist from the start, so etcdctl works at any time; the
// first connection waits the few hundred milliseconds the server takes to load.
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EtcdServer } from '../../etcd/etcd-server.js';
import { ensureEtcdCerts, type EtcdCerts } from '../../etcd/certs.js';
import type { KV } from '../store/kv.js';

export interface SandboxEtcdEndpoint {
  url: string;
  certs: EtcdCerts;
  endpointFile: string;
  /** Whether a client has connected (and the gRPC server is loaded). */
  readonly loaded: boolean;
  stop(): Promise<void>;
}

export async function startLazySandboxEtcd(options: { kv: KV; dataDir: string; name: string; port?: number; onError?: (error: unknown) => void }): Promise<SandboxEtcdEndpoint> {
  const certs = await ensureEtcdCerts(join(options.dataDir, 'certs', 'etcd'), options.name);
  const sockets = new Set<Socket>();
  let stopped = false;
  let etcd: Promise<EtcdServer> | undefined;
  let url = '';
  const listener: Server = createServer({ pauseOnConnect: true }, (socket) => {
    if (stopped) return void socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Until the server takes it, a failing client must not crash the process.
    socket.on('error', () => socket.destroy());
    etcd ??= import('../../etcd/etcd-server.js').then((m) => m.EtcdServer.start({ kv: options.kv, certs, name: options.name, injected: { url } }));
    etcd.then(
      (server) => {
        if (socket.destroyed) return;
        server.inject(socket);
        socket.resume();
      },
      (error: unknown) => {
        socket.destroy();
        options.onError?.(new Error(`the etcd endpoint could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', (error: NodeJS.ErrnoException) => {
      const inUse = error.code === 'EADDRINUSE';
      reject(new Error(`cannot serve etcd on 127.0.0.1:${options.port ?? 0}: ${error.message}${inUse ? '; choose another port or 0 for a free one' : ''}`, { cause: error }));
    });
    listener.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const endpointFile = join(options.dataDir, 'etcd-endpoint');
  const close = () => new Promise<void>((resolve) => listener.close(() => resolve()));
  try {
    await writeFile(endpointFile, `${url}\n`);
  } catch (error) {
    await close();
    throw new Error(`cannot write ${endpointFile}: ${(error as Error).message}; check the data directory's permissions`, { cause: error });
  }
  return {
    url,
    certs,
    endpointFile,
    get loaded() {
      return etcd !== undefined;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = close();
      await (await etcd?.catch(() => undefined))?.stop();
      for (const socket of sockets) socket.destroy();
      await closed;
      // A stale endpoint file would point etcdctl at a port nobody (or somebody else) listens on.
      await rm(endpointFile, { force: true });
    },
  };
}
