// An etcd v3 endpoint over any KV (the sandbox's own store): etcd's gRPC services on one port with
// mutual TLS, so the real etcdctl and etcd client libraries read and write the same keys the API
// server stores. Only clients presenting a certificate signed by the endpoint's CA get through.
import type { Duplex } from 'node:stream';
import { Server, ServerCredentials, type ConnectionInjector, type ServiceDefinition } from '@grpc/grpc-js';
import type { Clock } from '../clock/clock.js';
import { realClock } from '../clock/clock.js';
import type { KV } from '../sandbox/store/kv.js';
import type { EtcdContext } from './context.js';
import { kvService } from './kv-service.js';
import { LeaseTable } from './lease-table.js';
import { clusterService, leaseService, maintenanceService } from './other-services.js';
import { serviceDefinition, type RangeResponseWire } from './proto.js';
import { encodeRangeResponse } from './range-encoding.js';
import { WatchService } from './watch-service.js';
import { identityFor } from './wire.js';

export interface EtcdServerCerts {
  /** PEM CA that signed the clients' certificates (and, usually, the server's). */
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

export interface EtcdServerOptions {
  kv: KV;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  certs: EtcdServerCerts;
  /** The member's name (etcdctl member list); default "kubedesk-sandbox". */
  name?: string;
  clock?: Clock;
  /** Interval of progress notifications for watchers asking for them; default etcd's 10 minutes. */
  progressIntervalMs?: number;
  /**
   * Serve connections the caller hands over (inject) instead of listening: the caller owns the port
   * and `url` is what clients connect to (and what member list reports). host and port are ignored.
   */
  injected?: { url: string };
}

export class EtcdServer {
  private stopped = false;

  private constructor(
    private readonly server: Server,
    private readonly watch: WatchService,
    private readonly leases: LeaseTable,
    readonly url: string,
    private readonly injector?: ConnectionInjector,
  ) {}

  /** Serves a connection accepted by the caller (TLS included); only with the `injected` option. */
  inject(connection: Duplex): void {
    if (!this.injector) throw new Error('this etcd endpoint listens on its own port: it takes no injected connections');
    if (this.stopped) connection.destroy();
    else this.injector.injectConnection(connection);
  }

  static async start(options: EtcdServerOptions): Promise<EtcdServer> {
    const host = options.host ?? '127.0.0.1';
    let url = '';
    const leases = new LeaseTable(options.clock ?? realClock);
    const ctx: EtcdContext = {
      kv: options.kv,
      identity: identityFor(options.name ?? 'kubedesk-sandbox'),
      leases,
      clientUrl: () => url,
      progressIntervalMs: options.progressIntervalMs ?? 10 * 60 * 1000,
    };
    // etcd's defaults: --max-request-bytes 1.5 MiB plus 512 KiB of gRPC overhead.
    const server = new Server({ 'grpc.max_receive_message_length': 2 * 1024 * 1024 });
    const watch = new WatchService(ctx);
    server.addService(withFastRangeEncoding(serviceDefinition('KV')), kvService(ctx));
    server.addService(serviceDefinition('Watch'), watch.implementation());
    server.addService(serviceDefinition('Lease'), leaseService(ctx));
    server.addService(serviceDefinition('Maintenance'), maintenanceService(ctx));
    server.addService(serviceDefinition('Cluster'), clusterService(ctx));
    const pem = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v) : v);
    const credentials = ServerCredentials.createSsl(pem(options.certs.ca), [{ cert_chain: pem(options.certs.cert), private_key: pem(options.certs.key) }], true);
    if (options.injected) {
      url = options.injected.url;
      return new EtcdServer(server, watch, leases, url, server.createConnectionInjector(credentials));
    }
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${options.port ?? 0}`, credentials, (error, bound) => {
        if (error) {
          const inUse = /EADDRINUSE|address already in use/i.test(error.message);
          reject(new Error(`cannot serve etcd on ${host}:${options.port ?? 0}: ${error.message}${inUse ? '; choose another port or 0 for a free one' : ''}`, { cause: error }));
        } else resolve(bound);
      });
    });
    url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new EtcdServer(server, watch, leases, url);
  }

  /** Ends every call (watches included) and closes the port. The store stays open: it is not ours. */
  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    this.watch.dispose();
    this.leases.dispose();
    // Watches and keep-alives never end by themselves: cancel every call rather than wait for them.
    this.injector?.destroy();
    this.server.forceShutdown();
    return Promise.resolve();
  }
}

/** KV with Range answers encoded by hand: listing a large registry is the common heavy call. */
function withFastRangeEncoding(kv: ServiceDefinition): ServiceDefinition {
  const range = kv.Range;
  const generic = range.responseSerialize;
  return { ...kv, Range: { ...range, responseSerialize: (value: RangeResponseWire) => encodeRangeResponse(value) ?? generic(value) } };
}
