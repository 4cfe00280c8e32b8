// Local terminal sessions (node-pty): the user's login shell pointed at a cluster through a session
// kubeconfig, with kubectl on the PATH. Sessions belong to the app, not to a window: a reloaded
// window re-attaches and gets the recent output back; every shell ends when the app quits.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter } from 'node:path';
import * as pty from '@lydell/node-pty';
import type { KubeConfig } from '@kubernetes/client-node';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import { openPodShell, type SessionBackend } from './pod-shell.js';
import { removeSessionKubeconfig, writeSessionKubeconfig } from './session-kubeconfig.js';
import { ETCDCTL_MISSING, findOnPath, KUBECTL_MISSING } from './terminal-env.js';

export interface TerminalInfo {
  id: string;
  title: string;
  clusterId?: string;
  namespace?: string;
  kind: 'local' | 'pod' | 'attach' | 'node';
  /** Pod shells and attach: the pod and container; node shells: the node. */
  node?: string;
  pod?: string;
  container?: string;
  /** Local shells: the shell's process id. */
  pid?: number;
  /** Set once the shell ended. */
  exitCode?: number;
}

export interface TerminalOptions {
  clusterId?: string;
  config?: KubeConfig;
  namespace?: string;
  cols?: number;
  rows?: number;
  title?: string;
  /** Variables for this cluster (the sandbox's ETCDCTL_*). */
  env?: Record<string, string>;
}

export interface TerminalManagerOptions {
  /** Where session kubeconfigs go (inside the app's data directory). */
  stateDir: string;
  /** Directories put first on the PATH (the project's .tools/bin with kubectl). */
  toolDirs?: string[];
  shell?: string;
  shellArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Output kept per session for a window that re-attaches. */
  scrollbackBytes?: number;
}

interface Session {
  info: TerminalInfo;
  backend: SessionBackend;
  kubeconfigPath?: string;
  backlog: string[];
  backlogBytes: number;
  listeners: Set<(data: string) => void>;
  exitListeners: Set<(code: number) => void>;
}

export function defaultShell(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.COMSPEC ?? 'powershell.exe';
  if (env.SHELL) return env.SHELL;
  try {
    const shell = userInfo().shell;
    if (shell) return shell;
  } catch {
    // No passwd entry (containers): fall through.
  }
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

export class TerminalManager implements Disposable {
  private readonly sessions = new Map<string, Session>();
  private disposed = false;

  constructor(private readonly options: TerminalManagerOptions) {}

  create(options: TerminalOptions = {}): TerminalInfo {
    if (this.disposed) throw new Error('the app is quitting: no new terminals');
    const id = randomUUID();
    const base = this.options.env ?? process.env;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
    const tools = (this.options.toolDirs ?? []).filter((d) => existsSync(d));
    env.PATH = [...tools, env.PATH ?? ''].filter((p) => p !== '').join(delimiter);
    env.TERM = 'xterm-256color';
    env.COLORTERM = 'truecolor';
    Object.assign(env, options.env);
    let kubeconfigPath: string | undefined;
    if (options.config) {
      kubeconfigPath = writeSessionKubeconfig(this.options.stateDir, id, options.config, options.namespace);
      env.KUBECONFIG = kubeconfigPath;
    }
    const shell = this.options.shell ?? defaultShell(base);
    const args = this.options.shellArgs ?? (process.platform === 'win32' ? [] : ['-l']);
    const child = pty.spawn(shell, args, { name: 'xterm-256color', cols: options.cols ?? 100, rows: options.rows ?? 30, cwd: env.HOME ?? process.cwd(), env });
    const info: TerminalInfo = { id, kind: 'local', title: options.title ?? options.clusterId ?? 'shell', clusterId: options.clusterId, namespace: options.namespace, pid: child.pid };
    const backend: SessionBackend = {
      write: (data) => child.write(data),
      resize: (cols, rows) => child.resize(cols, rows),
      // SIGHUP as a closing terminal sends; the shell passes it to its jobs.
      kill: () => child.kill(process.platform === 'win32' ? undefined : 'SIGHUP'),
    };
    const session: Session = { info, backend, kubeconfigPath, backlog: [], backlogBytes: 0, listeners: new Set(), exitListeners: new Set() };
    this.sessions.set(id, session);
    if (!findOnPath('kubectl', env.PATH)) this.append(session, KUBECTL_MISSING);
    if (options.env?.ETCDCTL_ENDPOINTS && !findOnPath('etcdctl', env.PATH)) this.append(session, ETCDCTL_MISSING);
    child.onData((data) => this.append(session, data));
    child.onExit(({ exitCode }) => this.exited(session, exitCode));
    return { ...info };
  }

  /** A shell in a container through the exec API; rejects when the container cannot be reached. */
  createPodShell(config: KubeConfig, options: { clusterId?: string; namespace: string; pod: string; container: string; cols?: number; rows?: number; command?: string[]; title?: string }): Promise<TerminalInfo> {
    const info = { kind: 'pod' as const, title: options.title ?? `${options.pod}/${options.container}`, clusterId: options.clusterId, namespace: options.namespace, pod: options.pod, container: options.container };
    return this.createRemote(info, (handlers) => openPodShell(config, { namespace: options.namespace, pod: options.pod, container: options.container, cols: options.cols ?? 100, rows: options.rows ?? 30, command: options.command }, handlers));
  }

  /**
   * A session whose backend lives elsewhere (exec, attach, a node shell): output that arrives while
   * it opens is kept, and an end before it is registered still shows.
   */
  async createRemote(info: Omit<TerminalInfo, 'id'>, open: (handlers: { onData(data: string): void; onExit(code: number, message?: string): void }) => Promise<SessionBackend>): Promise<TerminalInfo> {
    if (this.disposed) throw new Error('the app is quitting: no new terminals');
    const full: TerminalInfo = { ...info, id: randomUUID() };
    const pending: string[] = [];
    const ref: { session?: Session } = {};
    let early: { code: number; message?: string } | undefined;
    const backend = await open({
      onData: (data) => (ref.session ? this.append(ref.session, data) : pending.push(data)),
      onExit: (code, message) => (ref.session ? this.exited(ref.session, code, message) : (early = { code, message })),
    });
    if (this.disposed) {
      backend.kill();
      throw new Error('the app is quitting: no new terminals');
    }
    const session: Session = (ref.session = { info: full, backend, backlog: [], backlogBytes: 0, listeners: new Set(), exitListeners: new Set() });
    this.sessions.set(full.id, session);
    for (const data of pending) this.append(session, data);
    if (early) this.exited(session, early.code, early.message);
    return { ...full };
  }

  private exited(session: Session, exitCode: number, message?: string): void {
    if (session.info.exitCode !== undefined) return;
    session.info.exitCode = exitCode;
    if (session.kubeconfigPath) removeSessionKubeconfig(session.kubeconfigPath);
    const why = message ? `: ${message}` : '';
    this.append(session, `\r\n\x1b[2m[process exited with code ${exitCode}${why}]\x1b[0m\r\n`);
    for (const l of session.exitListeners) l(exitCode);
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s.info }));
  }

  /** Output since the session started (bounded), then live output until disposed. */
  attach(id: string, onData: (data: string) => void, onExit?: (code: number) => void): Disposable {
    const session = this.get(id);
    const replay = session.backlog.join('');
    if (replay) onData(replay);
    session.listeners.add(onData);
    if (onExit) {
      if (session.info.exitCode !== undefined) onExit(session.info.exitCode);
      else session.exitListeners.add(onExit);
    }
    return toDisposable(() => {
      session.listeners.delete(onData);
      if (onExit) session.exitListeners.delete(onExit);
    });
  }

  write(id: string, data: string): void {
    const session = this.get(id);
    if (session.info.exitCode === undefined) session.backend.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const session = this.get(id);
    if (session.info.exitCode !== undefined) return;
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1) throw new Error(`terminal size ${cols}x${rows} is invalid: columns and rows must be positive integers`);
    session.backend.resize(cols, rows);
  }

  close(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.kill(session);
  }

  /** Ends every shell: called when the app quits, so no shell outlives it. */
  dispose(): void {
    this.disposed = true;
    for (const session of this.sessions.values()) this.kill(session);
    this.sessions.clear();
  }

  private kill(session: Session): void {
    if (session.info.exitCode === undefined) {
      try {
        session.backend.kill();
      } catch {
        // Already gone.
      }
    }
    if (session.kubeconfigPath) removeSessionKubeconfig(session.kubeconfigPath);
    session.listeners.clear();
  }

  private append(session: Session, data: string): void {
    const limit = this.options.scrollbackBytes ?? 256 * 1024;
    session.backlog.push(data);
    session.backlogBytes += data.length;
    while (session.backlogBytes > limit && session.backlog.length > 1) session.backlogBytes -= session.backlog.shift()!.length;
    for (const l of session.listeners) l(data);
  }

  private get(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no terminal "${id}": it was closed; open a new one`);
    return session;
  }
}
