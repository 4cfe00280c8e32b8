// The terminal dock's and logs view's state: terminal tabs (re-attached after a reload), the logs
// session in view with its bounded buffer, pause/resume, filters, and port-forwards.
import { makeAutoObservable, runInAction } from 'mobx';
import type { RpcClient } from '../../shared/rpc/rpc-client.js';
import type { LogLine, LogTargetParams, PortForwardInfo, TerminalInfo } from '../../shared/rpc/terminal-contract.js';
import { LogBuffer } from './log-buffer.js';
import { i18n } from '../i18n.js';

type DataListener = (data: string) => void;

export class LogsState {
  readonly buffer = new LogBuffer();
  /** Lines received while paused (packed as well): shown on resume, never lost. */
  private held = new LogBuffer();
  paused = false;
  heldCount = 0;
  version = 0;
  status = '';
  search = '';
  filter = '';
  wrap = false;
  timestamps = false;

  constructor(
    readonly streamId: string,
    readonly title: string,
    /** What was asked for, so the view can ask again with other options (since, previous). */
    readonly clusterId = '',
    readonly target: LogTargetParams = { namespace: 'default' },
  ) {
    makeAutoObservable<LogsState, 'held' | 'bumpScheduled' | 'bump'>(this, { buffer: false, held: false, bumpScheduled: false, bump: false, streamId: false, title: false, clusterId: false, target: false });
  }

  receive(lines: LogLine[]): void {
    if (this.paused) {
      this.held.append(lines);
      this.heldCount = this.held.size;
      return;
    }
    this.buffer.append(lines);
    this.bump();
  }

  private bumpScheduled = false;

  /** One render per frame however many messages arrive in it (a fast log sends several). */
  private bump(): void {
    const raf = globalThis.requestAnimationFrame as ((callback: () => void) => number) | undefined;
    if (!raf) {
      this.version++;
      return;
    }
    if (this.bumpScheduled) return;
    this.bumpScheduled = true;
    raf(() =>
      runInAction(() => {
        this.bumpScheduled = false;
        this.version++;
      }),
    );
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused && this.held.size > 0) {
      for (let i = 0; i < this.held.size; i += 10_000) {
        const part: LogLine[] = [];
        for (let k = i; k < Math.min(i + 10_000, this.held.size); k++) part.push(this.held.at(k)!);
        this.buffer.append(part);
      }
      this.held = new LogBuffer();
      this.heldCount = 0;
      this.version++;
    }
  }


  set(field: 'search' | 'filter', value: string): void {
    this[field] = value;
  }

  toggle(field: 'wrap' | 'timestamps'): void {
    this[field] = !this[field];
  }

  setStatus(message: string): void {
    this.status = message;
  }
}

export class ShellStore {
  terminals: TerminalInfo[] = [];
  activeTerminal: string | undefined = undefined;
  dockOpen = false;
  logs: LogsState | undefined = undefined;
  forwards: PortForwardInfo[] = [];
  error: string | undefined = undefined;
  pending: string | undefined = undefined;
  private readonly listeners = new Map<string, Set<DataListener>>();
  /** Output that arrived before the tab's terminal was mounted. */
  private readonly early = new Map<string, string[]>();

  constructor(private readonly rpc: RpcClient) {
    makeAutoObservable<ShellStore, 'rpc' | 'listeners' | 'early'>(this, { rpc: false, listeners: false, early: false });
    rpc.on('terminal.data', ({ id, data }) => {
      const ls = this.listeners.get(id);
      if (ls && ls.size > 0) for (const l of ls) l(data);
      else this.early.set(id, [...(this.early.get(id) ?? []), data]);
    });
    rpc.on('terminal.exit', ({ id, exitCode }) => runInAction(() => (this.terminals = this.terminals.map((t) => (t.id === id ? { ...t, exitCode } : t)))));
    rpc.on('logs.lines', ({ streamId, lines }) => {
      if (this.logs?.streamId === streamId) this.logs.receive(lines);
    });
    rpc.on('logs.status', ({ streamId, message }) => {
      if (this.logs?.streamId === streamId) this.logs.setStatus(message);
    });
  }

  /** After a reload: the app's terminals are still there; attach to each again. */
  async restore(): Promise<void> {
    const list = await this.rpc.call('terminal.list', {});
    const forwards = await this.rpc.call('portForward.list', {});
    runInAction(() => {
      this.terminals = list;
      this.forwards = forwards;
      if (list.length > 0) this.activeTerminal ??= list[list.length - 1].id;
    });
    for (const t of list) await this.rpc.call('terminal.attach', { id: t.id });
  }

  onData(id: string, listener: DataListener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    for (const data of this.early.get(id) ?? []) listener(data);
    this.early.delete(id);
    return () => set.delete(listener);
  }

  private async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      runInAction(() => (this.error = undefined));
      return result;
    } catch (error) {
      runInAction(() => (this.error = error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  }

  private async opened(info: TerminalInfo | undefined): Promise<void> {
    if (!info) return;
    runInAction(() => {
      this.terminals.push(info);
      this.activeTerminal = info.id;
      this.dockOpen = true;
      this.logs = undefined;
    });
    await this.rpc.call('terminal.attach', { id: info.id });
  }

  async openTerminal(clusterId: string | undefined, namespace: string | undefined): Promise<void> {
    await this.opened(await this.run(() => this.rpc.call('terminal.create', { clusterId, namespace: namespace || undefined, cols: 100, rows: 24 })));
  }

  async openPodShell(clusterId: string, namespace: string, pod: string, container: string): Promise<void> {
    await this.opened(await this.run(() => this.rpc.call('terminal.podShell', { clusterId, namespace, pod, container, cols: 100, rows: 24 })));
  }

  async attachContainer(clusterId: string, namespace: string, pod: string, container: string): Promise<void> {
    await this.opened(await this.run(() => this.rpc.call('terminal.attachContainer', { clusterId, namespace, pod, container, cols: 100, rows: 24 })));
  }

  /** Takes a while (a pod is scheduled on the node first): `pending` says so meanwhile. */
  async openNodeShell(clusterId: string, node: string): Promise<void> {
    runInAction(() => (this.pending = i18n.t('dock.openingNodeShell', { node })));
    try {
      await this.opened(await this.run(() => this.rpc.call('terminal.nodeShell', { clusterId, node, cols: 100, rows: 24 })));
    } finally {
      runInAction(() => (this.pending = undefined));
    }
  }

  input(id: string, data: string): void {
    void this.rpc.call('terminal.input', { id, data }).catch(() => undefined);
  }

  resize(id: string, cols: number, rows: number): void {
    void this.rpc.call('terminal.resize', { id, cols, rows }).catch(() => undefined);
  }

  async closeTerminal(id: string): Promise<void> {
    await this.run(() => this.rpc.call('terminal.close', { id }));
    runInAction(() => {
      this.terminals = this.terminals.filter((t) => t.id !== id);
      if (this.activeTerminal === id) this.activeTerminal = this.terminals.at(-1)?.id;
    });
  }

  selectTerminal(id: string): void {
    this.activeTerminal = id;
    this.logs = undefined;
    this.dockOpen = true;
  }

  toggleDock(): void {
    this.dockOpen = !this.dockOpen;
  }

  async openLogs(clusterId: string, target: LogTargetParams, title: string): Promise<void> {
    await this.closeLogs();
    const started = await this.run(() => this.rpc.call('logs.start', { clusterId, target }));
    if (!started) return;
    runInAction(() => {
      this.logs = new LogsState(started.streamId, title, clusterId, target);
      this.dockOpen = true;
    });
  }

  /** The same logs again with other options (since, previous, tail). */
  async reopenLogs(changes: Partial<LogTargetParams>): Promise<void> {
    const current = this.logs;
    if (!current) return;
    const target: LogTargetParams = { ...current.target, ...changes };
    if (target.previous) target.follow = false;
    else target.follow = true;
    await this.openLogs(current.clusterId, target, current.title);
  }

  async closeLogs(): Promise<void> {
    const current = this.logs;
    if (!current) return;
    runInAction(() => (this.logs = undefined));
    await this.rpc.call('logs.stop', { streamId: current.streamId }).catch(() => undefined);
  }

  async startForward(clusterId: string, namespace: string, kind: 'pod' | 'service', name: string, port: number): Promise<PortForwardInfo | undefined> {
    const info = await this.run(() => this.rpc.call('portForward.start', { clusterId, namespace, kind, name, port }));
    if (info) runInAction(() => this.forwards.push(info));
    return info;
  }

  async stopForward(id: string): Promise<void> {
    await this.run(() => this.rpc.call('portForward.stop', { id }));
    runInAction(() => (this.forwards = this.forwards.filter((f) => f.id !== id)));
  }
}
