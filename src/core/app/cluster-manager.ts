// The clusters the app knows: every kubeconfig context plus the embedded sandbox, each with a
// connection state the UI shows (connecting, connected, unreachable, auth failed + why). Several
// can be connected at once; the list follows kubeconfig files as they change.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterInfo } from '../../shared/rpc/contract.js';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import { kubeGet, KubeHttpError } from './kube-http.js';
import type { KubeconfigContext } from './kubeconfig.js';
import { execCommandOf, prepareExecCredentials } from './exec-credentials.js';
import { loginShellPath, loginShellPathIfKnown } from './login-path.js';

export const SANDBOX_CLUSTER_ID = 'sandbox';
const SANDBOX_STOPPED = 'the sandbox is stopped: select it (or press Start on the Sandbox page) to start it';

/**
 * The sandbox starts with the app only when it is the only cluster: someone who works with real
 * clusters does not pay for a control plane they did not ask for; it starts when they select it.
 */
export function sandboxStartsByItself(contexts: readonly unknown[]): boolean {
  return contexts.length === 0;
}

interface Entry {
  info: ClusterInfo;
  config?: KubeConfig;
}

type Context = KubeconfigContext & { id?: string; file?: string; current?: boolean };

export interface ClusterManagerOptions {
  /** The login shell's PATH for exec plugins (default: resolved once from $SHELL). */
  execPath?: () => Promise<string>;
  /** Someone asked for the sandbox while it is not running: start it. */
  onSandboxDemand?: () => void;
}

function entryOf(ctx: Context): Entry {
  const id = ctx.id ?? `kubeconfig:${ctx.name}`;
  const info: ClusterInfo = { id, name: ctx.name, source: 'kubeconfig', server: ctx.server, namespace: ctx.namespace, state: 'connecting' };
  if (ctx.file) info.file = ctx.file;
  if (ctx.current) info.current = true;
  return { info, config: ctx.config };
}

export class ClusterManager {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(clusters: ClusterInfo[]) => void>();
  private readonly attempts = new Map<string, number>();
  private readonly checking = new Set<string>();

  constructor(
    contexts: Context[],
    withSandbox: boolean,
    private readonly options: ClusterManagerOptions = {},
  ) {
    if (withSandbox) {
      this.entries.set(SANDBOX_CLUSTER_ID, {
        info: { id: SANDBOX_CLUSTER_ID, name: 'Sandbox', source: 'sandbox', server: '', state: 'stopped', reason: SANDBOX_STOPPED },
      });
    }
    for (const ctx of contexts) {
      const entry = entryOf(ctx);
      this.entries.set(entry.info.id, entry);
    }
  }

  list(): ClusterInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e.info }));
  }

  configFor(id: string): KubeConfig | undefined {
    const config = this.entries.get(id)?.config;
    // Watches and shells may reach a context before connect(): give its exec plugin the login PATH
    // when we already know it.
    const known = loginShellPathIfKnown();
    if (config && known !== undefined && id !== SANDBOX_CLUSTER_ID) prepareExecCredentials(config, known);
    return config;
  }

  onChange(listener: (clusters: ClusterInfo[]) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /**
   * Replaces the kubeconfig contexts (a file changed): unchanged ones keep their state, new ones
   * start as connecting. Returns the ids that are new or changed, for the caller to connect.
   */
  setContexts(contexts: Context[]): string[] {
    const next = new Map<string, Entry>();
    const fresh: string[] = [];
    for (const ctx of contexts) {
      const entry = entryOf(ctx);
      const old = this.entries.get(entry.info.id);
      const same = old?.config && old.info.server === entry.info.server && JSON.stringify(old.config.getCurrentUser()) === JSON.stringify(entry.config?.getCurrentUser());
      if (old && same) {
        old.info = { ...old.info, namespace: entry.info.namespace, current: entry.info.current };
        next.set(entry.info.id, old);
      } else {
        next.set(entry.info.id, entry);
        fresh.push(entry.info.id);
      }
    }
    for (const id of [...this.entries.keys()]) if (id !== SANDBOX_CLUSTER_ID && !next.has(id)) this.entries.delete(id);
    for (const [id, entry] of next) this.entries.set(id, entry);
    this.changed();
    return fresh;
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

  /** The sandbox was stopped (by the user, for a reset or a snapshot): it starts again when selected. */
  sandboxStopped(reason?: string): void {
    const entry = this.entries.get(SANDBOX_CLUSTER_ID);
    if (!entry) return;
    entry.config = undefined;
    entry.info = { ...entry.info, state: 'stopped', reason: reason ?? SANDBOX_STOPPED };
    this.changed();
  }

  /** The sandbox is (re)starting: shown as connecting, with what it is doing. */
  sandboxStarting(reason: string): void {
    const entry = this.entries.get(SANDBOX_CLUSTER_ID);
    if (!entry) return;
    entry.config = undefined;
    entry.info = { ...entry.info, state: 'connecting', reason };
    this.changed();
  }

  /** Probes the cluster with an authenticated request and records what happened. */
  async connect(id: string): Promise<ClusterInfo> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`unknown cluster "${id}": pick one from the cluster list`);
    const config = entry.config;
    if (!config) {
      // Selecting a stopped (or failed) sandbox starts it; it shows connecting at once.
      if (id === SANDBOX_CLUSTER_ID && (entry.info.state === 'unreachable' || entry.info.state === 'stopped') && this.options.onSandboxDemand) {
        entry.info = { ...entry.info, state: 'connecting', reason: 'the sandbox is starting' };
        this.changed();
        this.options.onSandboxDemand();
      }
      return { ...entry.info };
    }
    // Only the latest attempt may record its outcome (a retry can overtake a slow first try).
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    entry.info = { ...entry.info, state: 'connecting', reason: undefined };
    this.changed();
    const outcome = await this.probe(id, config);
    const current = this.entries.get(id);
    if (current !== entry || this.attempts.get(id) !== attempt) return current ? { ...current.info } : { ...entry.info, ...outcome };
    entry.info = { ...entry.info, ...outcome };
    this.changed();
    return { ...entry.info };
  }

  /**
   * Probes again without showing "connecting": a cluster that went away shows unreachable, one that
   * came back shows connected. Called periodically by `startHealthChecks`.
   */
  async recheck(id: string): Promise<ClusterInfo | undefined> {
    const entry = this.entries.get(id);
    const config = entry?.config;
    if (!entry || !config || entry.info.state === 'connecting' || this.checking.has(id)) return entry ? { ...entry.info } : undefined;
    this.checking.add(id);
    try {
      const attempt = this.attempts.get(id) ?? 0;
      const outcome = await this.probe(id, config);
      // A connect() started meanwhile has the last word.
      if (this.entries.get(id) !== entry || (this.attempts.get(id) ?? 0) !== attempt) return { ...entry.info };
      if (outcome.state !== entry.info.state || outcome.reason !== entry.info.reason) {
        entry.info = { ...entry.info, ...outcome };
        this.changed();
      }
      return { ...entry.info };
    } finally {
      this.checking.delete(id);
    }
  }

  /** Rechecks every cluster that has been tried, every `intervalMs`. */
  startHealthChecks(intervalMs = 30_000): Disposable {
    const timer = setInterval(() => {
      for (const [id, entry] of this.entries) if (this.attempts.has(id) && entry.config) void this.recheck(id);
    }, intervalMs);
    timer.unref?.();
    return toDisposable(() => clearInterval(timer));
  }

  private async probe(id: string, config: KubeConfig): Promise<Pick<ClusterInfo, 'state' | 'reason'>> {
    const missingPlugin = id === SANDBOX_CLUSTER_ID ? undefined : prepareExecCredentials(config, await (this.options.execPath ?? loginShellPath)());
    if (missingPlugin) return { state: 'auth-failed', reason: missingPlugin };
    try {
      await kubeGet(config, '/api/v1/namespaces?limit=1', AbortSignal.timeout(10_000));
      return { state: 'connected', reason: undefined };
    } catch (error) {
      // Reachable and authenticated; RBAC only forbids listing namespaces.
      if (error instanceof KubeHttpError && error.status === 403) return { state: 'connected', reason: undefined };
      const kind = error instanceof KubeHttpError ? error.kind : 'network';
      let message = error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer within 10 s' : error.message) : String(error);
      // client-node reports a failing plugin with its stderr alone (often empty): say which plugin failed.
      const plugin = kind === 'auth' && error instanceof KubeHttpError && error.status === undefined ? execCommandOf(config) : undefined;
      if (plugin && !message.includes(plugin)) message = `the credential plugin "${plugin}" failed: ${message.trim() || 'it printed no error'}; run it in a terminal to see why (often: log in again)`;
      return { state: kind === 'auth' ? 'auth-failed' : 'unreachable', reason: message };
    }
  }

  private changed(): void {
    const clusters = this.list();
    for (const listener of this.listeners) listener(clusters);
  }
}
