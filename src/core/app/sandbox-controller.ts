// The embedded sandbox as the app controls it: one child process at a time, started, stopped,
// reset and restored from snapshots. Operations run one after another (a restore never overlaps a
// start); node operations go to the running process over IPC.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxImage, SandboxNode, SandboxSnapshot, SandboxStatus } from '../../shared/rpc/sandbox-contract.js';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import { catalog } from '../sandbox/runtime/images/catalog.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import { checkSnapshotName, SnapshotStore } from './sandbox-snapshots.js';

export interface SandboxControllerOptions {
  /** The sandbox's own data directory (store, certificates, kubeconfig). */
  dataDir: string;
  /** Where named snapshots are kept. */
  snapshotDir: string;
  nodes?: number;
  startTimeoutMs?: number;
  log?: (line: string) => void;
  /** The sandbox serves at `url`; `kubeconfigPath` reaches it. */
  onRunning?: (url: string, kubeconfigPath: string) => void;
  /** The sandbox no longer serves (stopped by the user, or it died): why, in words the UI shows. */
  onDown?: (reason: string) => void;
}

export class SandboxController implements Disposable {
  private status: SandboxStatus = { state: 'stopped', message: 'the sandbox has not been started' };
  private process: SandboxProcess | undefined;
  private port = 0;
  private nodes: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(status: SandboxStatus) => void>();
  private disposed = false;
  private everStarted = false;
  readonly snapshots: SnapshotStore;

  constructor(private readonly options: SandboxControllerOptions) {
    this.snapshots = new SnapshotStore(options.snapshotDir);
    this.nodes = options.nodes;
  }

  get current(): SandboxStatus {
    return { ...this.status };
  }

  /** Whether a start was ever asked for in this run (a stop by the user is then theirs to undo). */
  get hasStarted(): boolean {
    return this.everStarted;
  }

  onChange(listener: (status: SandboxStatus) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  start(): Promise<SandboxStatus> {
    this.everStarted = true;
    return this.serialize(async () => {
      await this.startNow();
      return this.current;
    });
  }

  stop(): Promise<SandboxStatus> {
    return this.serialize(async () => {
      await this.stopNow('the sandbox is stopped; start it from the Sandbox page');
      return this.current;
    });
  }

  /** A fresh cluster, of `nodes` nodes if given: the old one's state is deleted (snapshots are kept). */
  reset(nodes?: number): Promise<SandboxStatus> {
    if (nodes !== undefined && (!Number.isInteger(nodes) || nodes < 1 || nodes > 20)) return Promise.reject(new Error('a sandbox has 1 to 20 nodes'));
    return this.serialize(async () => {
      if (nodes !== undefined) this.nodes = nodes;
      await this.stopNow('the sandbox is being reset');
      this.set({ state: 'stopped', message: 'deleting the old cluster' });
      await rm(this.options.dataDir, { recursive: true, force: true });
      await this.startNow();
      return this.current;
    });
  }

  listSnapshots(): Promise<SandboxSnapshot[]> {
    return this.snapshots.list();
  }

  /** Saves the cluster as it is now; a running sandbox is stopped for the copy and started again. */
  async saveSnapshot(name: string): Promise<SandboxSnapshot> {
    checkSnapshotName(name);
    return this.serialize(async () => {
      const wasRunning = this.process !== undefined;
      if (wasRunning) await this.stopNow(`saving snapshot "${name}"`);
      try {
        return await this.snapshots.save(name, this.options.dataDir);
      } finally {
        if (wasRunning) await this.startNow();
      }
    });
  }

  async restoreSnapshot(name: string): Promise<SandboxStatus> {
    checkSnapshotName(name);
    return this.serialize(async () => {
      if (!(await this.snapshots.exists(name))) throw new Error(`there is no snapshot named "${name}"; pick one from the list`);
      await this.stopNow(`restoring snapshot "${name}"`);
      await this.snapshots.restore(name, this.options.dataDir);
      await this.startNow();
      return this.current;
    });
  }

  async deleteSnapshot(name: string): Promise<{ ok: true }> {
    await this.snapshots.delete(checkSnapshotName(name));
    return { ok: true };
  }

  listNodes(): Promise<SandboxNode[]> {
    return this.nodeOp('list') as Promise<SandboxNode[]>;
  }
  addNode(): Promise<SandboxNode> {
    return this.nodeOp('add') as Promise<SandboxNode>;
  }
  removeNode(name: string): Promise<{ ok: true }> {
    return this.nodeOp('remove', name) as Promise<{ ok: true }>;
  }
  stopNode(name: string): Promise<SandboxNode> {
    return this.nodeOp('stop', name) as Promise<SandboxNode>;
  }
  startNode(name: string): Promise<SandboxNode> {
    return this.nodeOp('start', name) as Promise<SandboxNode>;
  }

  images(): SandboxImage[] {
    return catalog
      .map((d) => ({ repository: d.repository, latest: d.latest, aliases: [...(d.aliases ?? [])], os: d.os, sizeMB: d.sizeMB, ports: [...(d.ports ?? [])] }))
      .sort((a, b) => a.repository.localeCompare(b.repository));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await this.stopNow('Kubedesk is quitting');
  }

  private nodeOp(op: 'list' | 'add' | 'remove' | 'stop' | 'start', name?: string): Promise<unknown> {
    const running = this.process;
    if (!running) return Promise.reject(new Error(`the sandbox is ${this.status.state}; start it to manage its nodes`));
    return running.control(op, name);
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(() => {
      if (this.disposed) throw new Error('Kubedesk is quitting: the sandbox takes no more operations');
      return operation();
    });
    this.queue = next;
    return next;
  }

  private async startNow(): Promise<void> {
    if (this.process) return;
    this.set({ state: 'starting', message: 'the sandbox is starting' });
    let started: SandboxProcess;
    try {
      started = await this.launch(this.port);
    } catch (error) {
      // The port we had is taken by now: any free port will do, kubeconfig is rewritten anyway.
      if (this.port !== 0 && /already in use/.test((error as Error).message)) started = await this.launch(0).catch((e: unknown) => this.failed(e));
      else started = await this.failed(error);
    }
    this.process = started;
    this.port = Number(new URL(started.url).port);
    started.onExit((code) => {
      if (this.process !== started) return;
      this.process = undefined;
      const reason = `the sandbox process stopped unexpectedly (exit code ${code}); start it again from the Sandbox page`;
      this.set({ state: 'failed', message: reason });
      this.options.onDown?.(reason);
    });
    this.set({ state: 'running', url: started.url, kubeconfigPath: started.kubeconfigPath });
    this.options.onRunning?.(started.url, started.kubeconfigPath);
  }

  private launch(port: number): Promise<SandboxProcess> {
    return startSandboxProcess({ dataDir: this.options.dataDir, port, nodes: this.nodes, startTimeoutMs: this.options.startTimeoutMs });
  }

  private failed(error: unknown): never {
    const message = error instanceof Error ? error.message : String(error);
    this.options.log?.(`sandbox: ${message}`);
    this.set({ state: 'failed', message });
    this.options.onDown?.(message);
    throw error instanceof Error ? error : new Error(message);
  }

  private async stopNow(reason: string): Promise<void> {
    const running = this.process;
    if (!running) {
      if (this.status.state !== 'failed') this.set({ state: 'stopped', message: reason });
      return;
    }
    this.process = undefined;
    this.set({ state: 'stopping', message: reason });
    this.options.onDown?.(reason);
    await running.stop();
    this.set({ state: 'stopped', message: reason });
  }

  private set(status: SandboxStatus): void {
    this.status = status;
    const copy = this.current;
    for (const listener of this.listeners) listener(copy);
  }
}

export const SANDBOX_DIRS = {
  data: (appDataDir: string) => join(appDataDir, 'sandbox'),
  snapshots: (appDataDir: string) => join(appDataDir, 'sandbox-snapshots'),
};
