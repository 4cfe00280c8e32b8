// The app-level owner of terminals, pod shells, log sessions and port-forwards. Terminals and
// port-forwards belong to the app (a reloaded window finds them again); everything ends on dispose,
// which the backend calls when the app quits.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Disposable } from '../../shared/disposable.js';
import { LogSession, type LogSessionHandlers, type LogTarget } from '../logs/log-session.js';
import { PortForwardManager, type PortForwardInfo, type PortForwardRequest } from './port-forwards.js';
import { TerminalManager, type TerminalInfo } from './terminal-manager.js';

export interface ShellServiceOptions {
  stateDir?: string;
  toolDirs?: string[];
  shell?: string;
  shellArgs?: string[];
}

/** The project's own tools (kubectl fetched by npm install), first on a terminal's PATH. */
export const PROJECT_TOOLS_DIR = resolve(import.meta.dirname, '..', '..', '..', '.tools', 'bin');

export class ShellService implements Disposable {
  readonly terminals: TerminalManager;
  readonly forwards = new PortForwardManager();

  constructor(
    private readonly configFor: (clusterId: string) => KubeConfig | undefined,
    options: ShellServiceOptions = {},
  ) {
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
    return this.terminals.create({ clusterId: params.clusterId, config, namespace: params.namespace, cols: params.cols, rows: params.rows, title });
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
