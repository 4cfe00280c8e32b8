// The app-level owner of terminals, pod shells, log sessions and port-forwards. Terminals and
// port-forwards belong to the app (a reloaded window finds them again); everything ends on dispose,
// which the backend calls when the app quits.
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Disposable } from '../../shared/disposable.js';
import { LogSession, type LogSessionHandlers, type LogTarget } from '../logs/log-session.js';
import { PortForwardManager, type PortForwardInfo, type PortForwardRequest } from './port-forwards.js';
import { SANDBOX_CLUSTER_ID } from '../app/cluster-manager.js';
import { NODE_SHELL_NAMESPACE, NSENTER_SHELL, startNodeShellPod } from './node-shell.js';
import { openPodAttach } from './pod-attach.js';
import { openPodShell } from './pod-shell.js';
import { sandboxEtcdEnv } from './terminal-env.js';
import { TerminalManager, type TerminalInfo } from './terminal-manager.js';

export interface ShellServiceOptions {
  stateDir?: string;
  /**
   * The sandbox's data directory, for its etcd endpoint in sandbox terminals; by default the
   * "sandbox" directory next to stateDir (the backend's layout: <data-dir>/sessions, <data-dir>/sandbox).
   */
  sandboxDataDir?: string;
  toolDirs?: string[];
  shell?: string;
  shellArgs?: string[];
}

/** The project's own tools (kubectl fetched by npm install), first on a terminal's PATH. */
export const PROJECT_TOOLS_DIR = resolve(import.meta.dirname, '..', '..', '..', '.tools', 'bin');

export class ShellService implements Disposable {
  readonly terminals: TerminalManager;
  readonly forwards = new PortForwardManager();
  private readonly sandboxDataDir: string | undefined;

  constructor(
    private readonly configFor: (clusterId: string) => KubeConfig | undefined,
    options: ShellServiceOptions = {},
  ) {
    this.sandboxDataDir = options.sandboxDataDir ?? (options.stateDir ? join(dirname(options.stateDir), 'sandbox') : undefined);
    this.terminals = new TerminalManager({
      stateDir: options.stateDir ?? join(tmpdir(), `kubedesk-sessions-${process.pid}`),
      toolDirs: options.toolDirs ?? [PROJECT_TOOLS_DIR],
      shell: options.shell,
      shellArgs: options.shellArgs,
    });
  }

  config(clusterId: string): KubeConfig {
    const config = this.configFor(clusterId);
    if (!config) throw new Error(`cluster "${clusterId}" is not available yet: connect to it first`);
    return config;
  }

  createTerminal(params: { clusterId?: string; namespace?: string; cols?: number; rows?: number }): TerminalInfo {
    const config = params.clusterId ? this.configFor(params.clusterId) : undefined;
    const title = params.namespace ? `${params.clusterId ?? 'shell'} · ${params.namespace}` : (params.clusterId ?? 'shell');
    const env = params.clusterId === SANDBOX_CLUSTER_ID && this.sandboxDataDir ? sandboxEtcdEnv(this.sandboxDataDir) : undefined;
    return this.terminals.create({ clusterId: params.clusterId, config, namespace: params.namespace, cols: params.cols, rows: params.rows, title, env });
  }

  attachContainer(params: { clusterId: string; namespace: string; pod: string; container: string; cols?: number; rows?: number }): Promise<TerminalInfo> {
    const config = this.config(params.clusterId);
    const info = { kind: 'attach' as const, title: `attach ${params.pod}/${params.container}`, clusterId: params.clusterId, namespace: params.namespace, pod: params.pod, container: params.container };
    return this.terminals.createRemote(info, (handlers) => openPodAttach(config, { ...params, cols: params.cols ?? 100, rows: params.rows ?? 30 }, handlers));
  }

  /**
   * A shell on a node through a privileged pod pinned to it. Real clusters: the shell enters the
   * node's namespaces with nsenter. The sandbox: its containers are simulated, so the pod's own
   * shell is the node's view (hostname, IP, /var/log/pods of that node).
   */
  async nodeShell(params: { clusterId: string; node: string; cols?: number; rows?: number }): Promise<TerminalInfo> {
    const config = this.config(params.clusterId);
    const pod = await startNodeShellPod(config, params.node);
    const info = { kind: 'node' as const, title: `node/${params.node}`, clusterId: params.clusterId, namespace: NODE_SHELL_NAMESPACE, pod: pod.name, container: 'shell', node: params.node };
    const command = params.clusterId === SANDBOX_CLUSTER_ID ? undefined : NSENTER_SHELL;
    try {
      return await this.terminals.createRemote(info, async (handlers) => {
        if (!command) {
          handlers.onData(
            `\x1b[2mShell on sandbox node ${params.node}, in the privileged pod ${NODE_SHELL_NAMESPACE}/${pod.name} (host network: the node's hostname and IP). ` +
              `Sandbox containers are simulated, so there is no nsenter into a host: /var/log/pods lists this node's pods and their logs; ` +
              `crictl and the node's own processes are not available here. The pod is deleted when this tab closes.\x1b[0m\r\n`,
          );
        }
        const backend = await openPodShell(config, { namespace: NODE_SHELL_NAMESPACE, pod: pod.name, container: 'shell', cols: params.cols ?? 100, rows: params.rows ?? 30, command }, {
          onData: handlers.onData,
          onExit: (code, message) => {
            void pod.remove();
            handlers.onExit(code, message);
          },
        });
        return { ...backend, kill: () => (backend.kill(), void pod.remove()) };
      });
    } catch (error) {
      await pod.remove();
      throw error;
    }
  }

  podShell(params: { clusterId: string; namespace: string; pod: string; container: string; cols?: number; rows?: number }): Promise<TerminalInfo> {
    return this.terminals.createPodShell(this.config(params.clusterId), params);
  }

  logs(clusterId: string, target: LogTarget, handlers: LogSessionHandlers): LogSession {
    return new LogSession(this.config(clusterId), target, handlers);
  }

  startForward(clusterId: string, request: PortForwardRequest): Promise<PortForwardInfo> {
    return this.forwards.start(this.config(clusterId), { ...request, clusterId });
  }

  dispose(): void {
    this.terminals.dispose();
    this.forwards.dispose();
  }
}
