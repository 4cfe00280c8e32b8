// The sandbox's composition root: it opens the store, builds the API server with its registry,
// admission, authentication and authorization, bootstraps the cluster through the API, starts the
// controllers and listens on 127.0.0.1 over TLS. Everything is wired here by constructor injection.
import { once } from 'node:events';
import { mkdir, access, writeFile, rm, constants } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock/clock.js';
import { realClock } from '../clock/clock.js';
import { ensurePki, type Pki } from './apiserver/auth/pki.js';
import { writeKubeconfig, DEFAULT_CONTEXT_NAME } from './apiserver/auth/kubeconfig.js';
import { HttpHandler } from './apiserver/http-handler.js';
import type { KV } from './store/kv.js';
import { EmbeddedKV } from './store/memory-kv.js';
import { SandboxStartError } from './errors.js';
import { buildControlPlane, type ControlPlane } from './wiring/control-plane.js';
import { startLazySandboxEtcd, type SandboxEtcdEndpoint } from './wiring/etcd-endpoint.js';
import { scheduleStartupCollection } from './startup-memory.js';

export interface EtcdConnection {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface SandboxOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  nodes: number;
  /** Where to write (merge) the kubeconfig; default <dataDir>/kubeconfig. */
  kubeconfigPath?: string;
  etcd?: EtcdConnection;
  clock?: Clock;
  log?: (line: string) => void;
  /** false: API server and part-1 controllers only, no scheduler/kubelets (tests that play kubelet). */
  simulateCluster?: boolean;
}

/** Upgraded sockets left the HTTP server's bookkeeping: stop() must end them itself or close() waits forever. */
const upgradeClosers = new WeakMap<Server, () => void>();

export class Sandbox {
  private constructor(
    readonly url: string,
    readonly kubeconfigPath: string,
    readonly pki: Pki,
    private readonly server: Server,
    private readonly kv: KV,
    readonly controlPlane: ControlPlane,
  ) {}

  /** The etcd endpoint over the embedded store (none on a real etcd: that one is already there). */
  private etcd: SandboxEtcdEndpoint | undefined;

  private startupCollection: { cancel(): void } | undefined;

  get etcdUrl(): string | undefined {
    return this.etcd?.url;
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const log = options.log ?? (() => undefined);
    const clock = options.clock ?? realClock;
    const dataDir = resolve(options.dataDir);
    await ensureWritableDir(dataDir);
    const pki = await ensurePki(join(dataDir, 'pki'));
    const kv = await openKv(dataDir, options.etcd);
    let server: Server | undefined;
    let etcd: SandboxEtcdEndpoint | undefined;
    try {
      let url = '';
      const controlPlane = await buildControlPlane({ kv, pki, clock, log, serverUrl: () => url, nodes: options.nodes, dataDir, simulateCluster: options.simulateCluster });
      const handler = new HttpHandler(controlPlane.httpDeps);
      server = createServer(
        { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
        handler.handle,
      );
      // Watches are long-lived; Node's defaults would cut them after 5 minutes.
      server.requestTimeout = 0;
      // exec, attach and port-forward upgrade to WebSocket or SPDY/3.1.
      server.on('upgrade', handler.handleUpgrade);
      upgradeClosers.set(server, () => handler.closeUpgradedConnections());
      server.headersTimeout = 60_000;
      server.keepAliveTimeout = 65_000;
      await listen(server, options.port);
      const port = (server.address() as AddressInfo).port;
      url = `https://127.0.0.1:${port}`;
      await controlPlane.start();
      const kubeconfigPath = resolve(options.kubeconfigPath ?? join(dataDir, 'kubeconfig'));
      await writeKubeconfig(kubeconfigPath, { server: url, pki, contextName: DEFAULT_CONTEXT_NAME, clusterName: DEFAULT_CONTEXT_NAME, userName: `${DEFAULT_CONTEXT_NAME}-admin` });
      await controlPlane.ready();
      // Its gRPC server loads on the first connection: an idle sandbox does not pay for it.
      etcd = options.etcd ? undefined : await startLazySandboxEtcd({ kv, dataDir, name: DEFAULT_CONTEXT_NAME, onError: (e) => log(String(e)) });
      log(`sandbox listening on ${url}`);
      const sandbox = new Sandbox(url, kubeconfigPath, pki, server, kv, controlPlane);
      sandbox.etcd = etcd;
      // Startup's garbage and grown young generation go now rather than after 30 s of idleness.
      sandbox.startupCollection = scheduleStartupCollection();
      return sandbox;
    } catch (error) {
      server?.close();
      await etcd?.stop().catch(() => undefined);
      await kv.close().catch(() => undefined);
      throw error;
    }
  }

  /** Stops serving, stops the controllers, then flushes and closes the store: nothing acknowledged is lost. */
  async stop(): Promise<void> {
    this.startupCollection?.cancel();
    this.controlPlane.stop();
    upgradeClosers.get(this.server)?.();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.etcd?.stop();
    await this.kv.close();
  }
}

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = join(dir, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new SandboxStartError(`cannot write to the data directory ${dir}: ${(error as Error).message}`, 'choose a directory you can write to with --data-dir', { cause: error });
  }
}

async function openKv(dataDir: string, etcd: EtcdConnection | undefined): Promise<KV> {
  if (etcd) {
    const { connectEtcd } = await import('./etcd-connection.js');
    return connectEtcd(etcd);
  }
  try {
    return await EmbeddedKV.open(join(dataDir, 'store'));
  } catch (error) {
    const message = (error as Error).message;
    throw new SandboxStartError(`cannot open the sandbox store in ${join(dataDir, 'store')}: ${message}`, /lock|another process|in use/i.test(message)
      ? 'another sandbox is using this data directory: stop it, or pass another --data-dir'
      : 'if the store is damaged, move the data directory aside (or delete it to start a fresh cluster) and start again', { cause: error });
  }
}

async function listen(server: Server, port: number): Promise<void> {
  server.listen(port, '127.0.0.1');
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e))]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new SandboxStartError(`port ${port} on 127.0.0.1 is already in use`, 'stop what listens there, or pass --port 0 to pick a free port');
    if (code === 'EACCES') throw new SandboxStartError(`not allowed to listen on port ${port}`, 'use a port above 1024, or --port 0');
    throw error;
  }
}

export type { TLSSocket };
