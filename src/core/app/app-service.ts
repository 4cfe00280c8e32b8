// The RPC handlers: what a UI (browser tab or Electron window) may ask of the core. One instance
// serves every connection; each connection's watches end with it.
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../shared/disposable.js';
import type { ClusterInfo, RpcMessage } from '../../shared/rpc/contract.js';
import { paramsRecord as record, requiredString as stringParam } from '../../shared/rpc/rpc-params.js';
import { RpcConnection, type RpcHandlers } from '../../shared/rpc/rpc-server.js';
import type { ClusterManager } from './cluster-manager.js';
import type { WatchService } from './watch-service.js';
import { registryHandlers } from './etcd-browser/registry-handlers.js';
import { RegistryService } from './etcd-browser/registry-service.js';
import { shellHandlers } from '../shell/shell-handlers.js';
import { resourceHandlers } from '../watch/resource-handlers.js';
import { ShellService } from '../shell/shell-service.js';
import { objectHandlers } from './object-actions-handlers.js';
import { sandboxHandlers } from './sandbox-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import type { SandboxController } from './sandbox-controller.js';
import type { SettingsStore } from './settings.js';

/** Services the app has beside clusters and watches (absent in tests that do not need them). */
export interface AppExtras {
  sandbox?: SandboxController;
  settings?: SettingsStore;
}

export class AppService implements Disposable {
  private readonly connections = new Set<RpcConnection>();
  private readonly subscriptions = new WeakMap<RpcConnection, Map<string, Disposable>>();
  private readonly clusterListener: Disposable;
  private readonly extraListeners: Disposable[] = [];
  readonly handlers: RpcHandlers;

  constructor(
    private readonly clusters: ClusterManager,
    private readonly watches: WatchService,
    private readonly registry: RegistryService = new RegistryService(undefined),
    private readonly shell: ShellService = new ShellService((id) => clusters.configFor(id)),
    extras: AppExtras = {},
  ) {
    this.clusterListener = clusters.onChange((list: ClusterInfo[]) => {
      for (const c of this.connections) c.emit('clusters.changed', list);
    });
    this.extraListeners.push(
      ...(extras.sandbox ? [extras.sandbox.onChange((status) => this.connections.forEach((c) => c.emit('sandbox.changed', status)))] : []),
      ...(extras.settings ? [extras.settings.onChange((settings) => this.connections.forEach((c) => c.emit('settings.changed', settings)))] : []),
    );
    this.handlers = {
      ...registryHandlers(this.registry),
      ...shellHandlers(this.shell),
      ...objectHandlers((id) => clusters.configFor(id)),
      ...resourceHandlers(this.watches.discovery, (id) => clusters.configFor(id)),
      ...sandboxHandlers(extras.sandbox),
      ...settingsHandlers(extras.settings),
      'clusters.list': () => this.clusters.list(),
      'clusters.connect': (params) => this.clusters.connect(stringParam(record(params, 'clusters.connect'), 'clusterId', 'clusters.connect')),
      'watch.subscribe': (params, connection) => {
        const p = record(params, 'watch.subscribe');
        const clusterId = stringParam(p, 'clusterId', 'watch.subscribe');
        // Any type the cluster's discovery lists; an unknown one is reported through the watch's error.
        const kind = stringParam(p, 'kind', 'watch.subscribe');
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
    for (const l of this.extraListeners) l.dispose();
    for (const c of [...this.connections]) c.dispose();
    this.watches.dispose();
    this.registry.dispose();
    this.shell.dispose();
  }
}
