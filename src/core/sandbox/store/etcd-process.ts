// Starts a throwaway single-member etcd on loopback (free random ports, given data dir), for the
// integration tests and the benchmark that compare EmbeddedKV with the real thing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const ETCD_BINARY = process.env.ETCD_BINARY ?? '/usr/bin/etcd';

export function etcdAvailable(): boolean {
  return existsSync(ETCD_BINARY);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface EtcdProcess {
  endpoint: string;
  clientPort: number;
  peerPort: number;
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  timeoutMs?: number;
  /** Reuse ports, e.g. to restart an etcd on the same data dir and address. Default: free ones. */
  clientPort?: number;
  peerPort?: number;
}

export async function startEtcd(dataDir: string, options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(
    ETCD_BINARY,
    [
      '--name', 'kd', '--data-dir', dataDir,
      '--listen-client-urls', client, '--advertise-client-urls', client,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `kd=${peer}`, '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode} before serving:\n${log}`);
    try {
      const r = await fetch(`${client}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become healthy at ${client} within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { endpoint: client, clientPort, peerPort, stop };
}
