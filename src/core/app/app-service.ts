// The RPC handlers: what a UI (browser tab or Electron window) may ask of the core. One instance
// serves every connection; each connection's watches end with it.
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../shared/disposable.js';
import { isWatchableKind, type ClusterInfo, type RpcMessage } from '../../shared/rpc/contract.js';
import { RpcConnection, RpcParamsError, type RpcHandlers } from '../../shared/rpc/rpc-server.js';
import type { ClusterManager } from './cluster-manager.js';
import type { WatchService } from './watch-service.js';
import { registryHandlers } from './etcd-browser/registry-handlers.js';
import { RegistryService } from './etcd-browser/registry-service.js';
import { shellHandlers } from '../shell/shell-handlers.js';
import { ShellService } from '../shell/shell-service.js';
import { objectHandlers } from './object-actions-handlers.js';

function record(params: unknown, method: string): Record<string, unknown> {
  if (typeof params !== 'object' || params === null) throw new RpcParamsError(`${method}: params must be an object`);
  return params as Record<string, unknown>;
}

function stringParam(params: Record<string, unknown>, name: string, method: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw new RpcParamsError(`${method}: "${name}" must be a non-empty string`);
  return value;
}

export class AppService implements Disposable {
  private readonly connections = new Set<RpcConnection>();
  private readonly subscriptions = new WeakMap<RpcConnection, Map<string, Disposable>>();
  private readonly clusterListener: Disposable;
  readonly handlers: RpcHandlers;

  constructor(
    private readonly clusters: ClusterManager,
    private readonly watches: WatchService,
    private readonly registry: RegistryService = new RegistryService(undefined),
    private readonly shell: ShellService = new ShellService((id) => clusters.configFor(id)),
  ) {
    this.clusterListener = clusters.onChange((list: ClusterInfo[]) => {
      for (const c of this.connections) c.emit('clusters.changed', list);
    });
    this.handlers = {
      ...registryHandlers(this.registry),
      ...shellHandlers(this.shell),
      ...objectHandlers((id) => clusters.configFor(id)),
      'clusters.list': () => this.clusters.list(),
      'clusters.connect': (params) => this.clusters.connect(stringParam(record(params, 'clusters.connect'), 'clusterId', 'clusters.connect')),
      'watch.subscribe': (params, connection) => {
        const p = record(params, 'watch.subscribe');
        const clusterId = stringParam(p, 'clusterId', 'watch.subscribe');
        const kind = p.kind;
        if (!isWatchableKind(kind)) throw new RpcParamsError(`watch.subscribe: unknown kind ${JSON.stringify(kind)}`);
        const subscriptionId = randomUUID();
        const sub = this.watches.subscribe(clusterId, kind, (batch) => connection.emit('watch.delta', { subscriptionId, ...batch }));
        this.subscriptionsOf(connection).set(subscriptionId, connection.track(sub));
        return { subscriptionId };
      },
      'watch.unsubscribe': (params, connection) => {
        const subscriptionId = stringParam(record(params, 'watch.unsubscribe'), 'subscriptionId', 'watch.unsubscribe');
        const subs = this.subscriptionsOf(connection);
        subs.get(subscriptionId)?.dispose();
        subs.delete(subscriptionId);
        return { ok: true };
      },
    };
  }

  /** A new client: messages it sends go to `receive`, and `dispose` when it disconnects. */
  connect(send: (message: RpcMessage) => void): RpcConnection {
    const connection: RpcConnection = new RpcConnection(this.handlers, send, () => this.connections.delete(connection));
    this.connections.add(connection);
    return connection;
  }

  private subscriptionsOf(connection: RpcConnection): Map<string, Disposable> {
    let subs = this.subscriptions.get(connection);
    if (!subs) this.subscriptions.set(connection, (subs = new Map()));
    return subs;
  }

  dispose(): void {
    this.clusterListener.dispose();
    for (const c of [...this.connections]) c.dispose();
    this.watches.dispose();
    this.registry.dispose();
    this.shell.dispose();
  }
}
