// The typed contract between the UI and the core. The same messages travel over a WebSocket (web
// mode) and over Electron IPC (desktop), so nothing here may depend on either.
import type { KubeObject } from '../kube.js';
import { SHELL_RPC_METHOD_NAMES, type ShellRpcEvents, type ShellRpcMethods } from './terminal-contract.js';
import { REGISTRY_METHOD_NAMES, type RegistryRpcEvents, type RegistryRpcMethods } from './registry-contract.js';
import { SANDBOX_METHOD_NAMES, type SandboxRpcEvents, type SandboxRpcMethods } from './sandbox-contract.js';
import { SETTINGS_METHOD_NAMES, type SettingsRpcEvents, type SettingsRpcMethods } from './settings-contract.js';
import { OBJECT_RPC_METHOD_NAMES, type ObjectRpcEvents, type ObjectRpcMethods } from './object-contract.js';
import { RESOURCES_METHOD_NAMES, type ResourcesRpcMethods } from './resources-contract.js';

export type * from './registry-contract.js';
export type * from './terminal-contract.js';
export type * from './sandbox-contract.js';
export type * from './settings-contract.js';
export type * from './object-contract.js';
export type * from './resources-contract.js';

/** `stopped`: the sandbox only, not running until someone selects it or presses Start. */
export type ClusterState = 'connecting' | 'connected' | 'unreachable' | 'auth-failed' | 'stopped';

export interface ClusterInfo {
  /** Stable id: 'sandbox', 'kubeconfig:<context name>', or 'file:<path>#<context>' for a file the user added. */
  id: string;
  /** What the user sees: the context name, or "Sandbox". */
  name: string;
  source: 'sandbox' | 'kubeconfig';
  server: string;
  /** The namespace set in the context, if any. */
  namespace?: string;
  state: ClusterState;
  /** Why it is unreachable or refused, in words a person can act on. */
  reason?: string;
  /** The kubeconfig file the user added that defines it (absent for ~/.kube/config and $KUBECONFIG). */
  file?: string;
  /** The current-context of ~/.kube/config and $KUBECONFIG (what kubectl uses): the app's first choice when nothing was saved. */
  current?: boolean;
}

/** Kinds every cluster serves under these names; `watch.subscribe` takes any ResourceType id. */
export const WATCHABLE_KINDS = ['pods', 'deployments', 'namespaces'] as const;
export type WatchableKind = (typeof WATCHABLE_KINDS)[number];

export function isWatchableKind(value: unknown): value is WatchableKind {
  return typeof value === 'string' && (WATCHABLE_KINDS as readonly string[]).includes(value);
}

/**
 * A batch of changes to one watched collection. `reset` replaces everything the subscriber holds
 * (first list, relist after 410 or reconnect); then `upserts`/`deletes` (by uid) apply in order.
 */
export interface WatchDelta {
  subscriptionId: string;
  reset?: KubeObject[];
  upserts: KubeObject[];
  deletes: string[];
  /** Set while the watch is broken: the UI shows it, the core keeps retrying with back-off. */
  error?: string;
  /** With `error`: the account may not list or watch this kind (RBAC), which retrying will not fix. */
  forbidden?: boolean;
  /** True while more of the first list follows (sent in pages so the first rows show at once). */
  listing?: boolean;
}

/** Request methods: params → result. */
export interface RpcMethods extends RegistryRpcMethods, ShellRpcMethods, ResourcesRpcMethods, ObjectRpcMethods, SandboxRpcMethods, SettingsRpcMethods {
  'clusters.list': { params: Record<string, never>; result: ClusterInfo[] };
  'clusters.connect': { params: { clusterId: string }; result: ClusterInfo };
  'watch.subscribe': { params: { clusterId: string; kind: string }; result: { subscriptionId: string } };
  'watch.unsubscribe': { params: { subscriptionId: string }; result: { ok: true } };
}

/** Notifications the core pushes without a request. */
export interface RpcEvents extends RegistryRpcEvents, ShellRpcEvents, SandboxRpcEvents, SettingsRpcEvents, ObjectRpcEvents {
  'clusters.changed': ClusterInfo[];
  'watch.delta': WatchDelta;
}

export type RpcMethodName = keyof RpcMethods;
export type RpcEventName = keyof RpcEvents;

export const RPC_METHOD_NAMES: readonly RpcMethodName[] = ['clusters.list', 'clusters.connect', 'watch.subscribe', 'watch.unsubscribe', ...REGISTRY_METHOD_NAMES, ...SHELL_RPC_METHOD_NAMES, ...RESOURCES_METHOD_NAMES, ...OBJECT_RPC_METHOD_NAMES, ...SANDBOX_METHOD_NAMES, ...SETTINGS_METHOD_NAMES];

export interface RpcRequest {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}

export interface RpcResponse {
  type: 'response';
  id: number;
  result?: unknown;
  error?: { message: string; code?: string };
}

export interface RpcEvent {
  type: 'event';
  event: string;
  payload: unknown;
}

export type RpcMessage = RpcRequest | RpcResponse | RpcEvent;

/** Checks the envelope of something that came off the wire; payloads are checked by their handlers. */
export function parseRpcMessage(value: unknown): RpcMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === 'request' && typeof m.id === 'number' && typeof m.method === 'string') return { type: 'request', id: m.id, method: m.method, params: m.params };
  if (m.type === 'response' && typeof m.id === 'number') {
    const error = m.error;
    if (error !== undefined && (typeof error !== 'object' || error === null || typeof (error as { message?: unknown }).message !== 'string')) return undefined;
    return { type: 'response', id: m.id, result: m.result, error: error as RpcResponse['error'] };
  }
  if (m.type === 'event' && typeof m.event === 'string') return { type: 'event', event: m.event, payload: m.payload };
  return undefined;
}

export function isRpcMethodName(value: string): value is RpcMethodName {
  return (RPC_METHOD_NAMES as readonly string[]).includes(value);
}
