// The embedded sandbox's controls: its lifecycle (start, stop, reset), snapshots by name, the
// simulated nodes (add, remove, stop, restart) and the image catalog its containers come from.

export type SandboxState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface SandboxStatus {
  state: SandboxState;
  /** The API server's URL while running. */
  url?: string;
  /** The kubeconfig kubectl can use (written at each start). */
  kubeconfigPath?: string;
  /** Why it failed, or what it is doing (e.g. "restoring snapshot before-exercise"). */
  message?: string;
}

export interface SandboxNode {
  name: string;
  role: 'control-plane' | 'worker';
  /** The node's Ready condition as the API shows it. */
  ready: 'True' | 'False' | 'Unknown';
  /** false once stopped from the app: the node is powered off, its heartbeats stop. */
  kubeletRunning: boolean;
  unschedulable: boolean;
  /** Pods bound to the node. */
  pods: number;
}

export interface SandboxSnapshot {
  name: string;
  /** ISO 8601. */
  createdAt: string;
  sizeBytes: number;
}

export interface SandboxImage {
  /** "docker.io/library/nginx" */
  repository: string;
  /** What "latest" stands for. */
  latest: string;
  aliases: string[];
  os: string;
  sizeMB: number;
  ports: number[];
}

export interface SandboxRpcMethods {
  'sandbox.status': { params: Record<string, never>; result: SandboxStatus };
  'sandbox.start': { params: Record<string, never>; result: SandboxStatus };
  'sandbox.stop': { params: Record<string, never>; result: SandboxStatus };
  /** Stops, deletes the cluster's state, starts a fresh cluster (with `nodes` nodes, default: as before). */
  'sandbox.reset': { params: { nodes?: number }; result: SandboxStatus };
  'sandbox.snapshots.list': { params: Record<string, never>; result: SandboxSnapshot[] };
  'sandbox.snapshots.save': { params: { name: string }; result: SandboxSnapshot };
  'sandbox.snapshots.restore': { params: { name: string }; result: SandboxStatus };
  'sandbox.snapshots.delete': { params: { name: string }; result: { ok: true } };
  'sandbox.nodes.list': { params: Record<string, never>; result: SandboxNode[] };
  'sandbox.nodes.add': { params: Record<string, never>; result: SandboxNode };
  'sandbox.nodes.remove': { params: { name: string }; result: { ok: true } };
  'sandbox.nodes.stop': { params: { name: string }; result: SandboxNode };
  'sandbox.nodes.start': { params: { name: string }; result: SandboxNode };
  'sandbox.images.list': { params: Record<string, never>; result: SandboxImage[] };
}

export interface SandboxRpcEvents {
  'sandbox.changed': SandboxStatus;
}

export const SANDBOX_METHOD_NAMES = [
  'sandbox.status',
  'sandbox.start',
  'sandbox.stop',
  'sandbox.reset',
  'sandbox.snapshots.list',
  'sandbox.snapshots.save',
  'sandbox.snapshots.restore',
  'sandbox.snapshots.delete',
  'sandbox.nodes.list',
  'sandbox.nodes.add',
  'sandbox.nodes.remove',
  'sandbox.nodes.stop',
  'sandbox.nodes.start',
  'sandbox.images.list',
] as const satisfies readonly (keyof SandboxRpcMethods)[];

/** Snapshot names become folder names: keep them portable. */
export const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
