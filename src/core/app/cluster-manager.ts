// The clusters the app knows: every kubeconfig context plus the embedded sandbox, each with a
// connection state the UI shows (connecting, connected, unreachable, auth failed + why).
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterInfo } from '../../shared/rpc/contract.js';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import { kubeGet, KubeHttpError } from './kube-http.js';
import type { KubeconfigContext } from './kubeconfig.js';

export const SANDBOX_CLUSTER_ID = 'sandbox';

interface Entry {
  info: ClusterInfo;
  config?: KubeConfig;
}

export class ClusterManager {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(clusters: ClusterInfo[]) => void>();

  constructor(contexts: KubeconfigContext[], withSandbox: boolean) {
    if (withSandbox) {
      this.entries.set(SANDBOX_CLUSTER_ID, {
        info: { id: SANDBOX_CLUSTER_ID, name: 'Sandbox', source: 'sandbox', server: '', state: 'connecting', reason: 'the sandbox is starting' },
      });
    }
    for (const ctx of contexts) {
      const id = `kubeconfig:${ctx.name}`;
      this.entries.set(id, { info: { id, name: ctx.name, source: 'kubeconfig', server: ctx.server, namespace: ctx.namespace, state: 'connecting' }, config: ctx.config });
    }
  }

  list(): ClusterInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e.info }));
  }

  configFor(id: string): KubeConfig | undefined {
    return this.entries.get(id)?.config;
  }

  onChange(listener: (clusters: ClusterInfo[]) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  sandboxReady(server: string, config: KubeConfig): void {
    const entry = this.entries.get(SANDBOX_CLUSTER_ID);
    if (!entry) return;
    entry.config = config;
    entry.info = { ...entry.info, server, state: 'connecting', reason: undefined };
    this.changed();
    void this.connect(SANDBOX_CLUSTER_ID);
  }

  sandboxFailed(reason: string): void {
    const entry = this.entries.get(SANDBOX_CLUSTER_ID);
    if (!entry) return;
    entry.config = undefined;
    entry.info = { ...entry.info, state: 'unreachable', reason };
    this.changed();
  }

  /** Probes the cluster with an authenticated request and records what happened. */
  async connect(id: string): Promise<ClusterInfo> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`unknown cluster "${id}": pick one from the cluster list`);
    const config = entry.config;
    if (!config) return { ...entry.info };
    entry.info = { ...entry.info, state: 'connecting', reason: undefined };
    this.changed();
    try {
      await kubeGet(config, '/api/v1/namespaces?limit=1', AbortSignal.timeout(10_000));
      entry.info = { ...entry.info, state: 'connected', reason: undefined };
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 403) {
        // Reachable and authenticated; RBAC only forbids listing namespaces.
        entry.info = { ...entry.info, state: 'connected', reason: undefined };
      } else {
        const kind = error instanceof KubeHttpError ? error.kind : 'network';
        const message = error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer within 10 s' : error.message) : String(error);
        entry.info = { ...entry.info, state: kind === 'auth' ? 'auth-failed' : 'unreachable', reason: message };
      }
    }
    this.changed();
    return { ...entry.info };
  }

  private changed(): void {
    const clusters = this.list();
    for (const listener of this.listeners) listener(clusters);
  }
}
