// The Sandbox page's state: the sandbox's status (pushed by the core), its nodes (refreshed while
// the page is open: Ready changes need no event), snapshots and image catalog.
import { makeAutoObservable, runInAction } from 'mobx';
import type { SandboxImage, SandboxNode, SandboxSnapshot, SandboxStatus } from '../../shared/rpc/sandbox-contract.js';
import type { RpcClient } from '../../shared/rpc/rpc-client.js';

export class SandboxStore {
  status: SandboxStatus = { state: 'starting' };
  nodes: SandboxNode[] = [];
  snapshots: SandboxSnapshot[] = [];
  images: SandboxImage[] = [];
  /** The operation under way (buttons are disabled meanwhile). */
  busy: string | undefined = undefined;
  error: string | undefined = undefined;
  notice: string | undefined = undefined;
  private poll: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly rpc: RpcClient) {
    makeAutoObservable<SandboxStore, 'rpc' | 'poll'>(this, { rpc: false, poll: false });
    rpc.on('sandbox.changed', (status) => {
      runInAction(() => (this.status = status));
      if (status.state === 'running' && this.poll) void this.refreshNodes();
    });
    void rpc.call('sandbox.status', {}).then((s) => runInAction(() => (this.status = s)), () => undefined);
  }

  /** The page is shown: load everything and keep nodes fresh until `close`. */
  open(): void {
    void this.refresh();
    if (!this.poll) this.poll = setInterval(() => void this.refreshNodes(), 3000);
  }

  close(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }

  async refresh(): Promise<void> {
    const [snapshots, images] = await Promise.all([this.rpc.call('sandbox.snapshots.list', {}), this.rpc.call('sandbox.images.list', {})]).catch((e: unknown) => {
      this.fail(e);
      return [[], []] as [SandboxSnapshot[], SandboxImage[]];
    });
    runInAction(() => {
      this.snapshots = snapshots;
      this.images = images;
    });
    await this.refreshNodes();
  }

  async refreshNodes(): Promise<void> {
    if (this.status.state !== 'running') {
      runInAction(() => (this.nodes = []));
      return;
    }
    const nodes = await this.rpc.call('sandbox.nodes.list', {}).catch(() => undefined);
    if (nodes) runInAction(() => (this.nodes = nodes));
  }

  start = () => this.run('start', () => this.rpc.call('sandbox.start', {}));
  stop = () => this.run('stop', () => this.rpc.call('sandbox.stop', {}));
  reset = (nodes?: number) => this.run('reset', () => this.rpc.call('sandbox.reset', nodes ? { nodes } : {}));
  saveSnapshot = (name: string) => this.run('snapshot', () => this.rpc.call('sandbox.snapshots.save', { name }), { key: 'saved', name });
  restoreSnapshot = (name: string) => this.run('restore', () => this.rpc.call('sandbox.snapshots.restore', { name }), { key: 'restored', name });
  deleteSnapshot = (name: string) => this.run('delete', () => this.rpc.call('sandbox.snapshots.delete', { name }));
  addNode = () => this.run('addNode', () => this.rpc.call('sandbox.nodes.add', {}));
  removeNode = (name: string) => this.run('removeNode', () => this.rpc.call('sandbox.nodes.remove', { name }));
  stopNode = (name: string) => this.run('stopNode', () => this.rpc.call('sandbox.nodes.stop', { name }));
  startNode = (name: string) => this.run('startNode', () => this.rpc.call('sandbox.nodes.start', { name }));

  private async run(what: string, work: () => Promise<unknown>, done?: { key: 'saved' | 'restored'; name: string }): Promise<boolean> {
    this.busy = what;
    this.error = undefined;
    this.notice = undefined;
    try {
      await work();
      runInAction(() => (this.notice = done ? `${done.key}:${done.name}` : undefined));
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    } finally {
      runInAction(() => (this.busy = undefined));
      await this.refresh();
    }
  }

  private fail(error: unknown): void {
    runInAction(() => (this.error = error instanceof Error ? error.message : String(error)));
  }
}
