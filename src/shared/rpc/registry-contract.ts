// The etcd /registry browser's messages: a session on one etcd (the sandbox's endpoint or any etcd
// the user names), lazy listing by path segment, values decoded, history, time travel and a live
// watch. Revisions are etcd's (a key's mod revision is the object's resourceVersion).

/** How to reach an etcd: the sandbox's own, or endpoints plus TLS files as etcdctl takes them. */
export type RegistryTarget =
  | { kind: 'sandbox' }
  | { kind: 'etcd'; endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string };

export interface RegistrySessionInfo {
  sessionId: string;
  endpoints: string[];
  /** The etcdctl flags that reach the same etcd (`ETCDCTL_API=3 etcdctl --cacert ... --endpoints ...`). */
  etcdctl: string;
  revision: number;
  compactRevision: number;
}

export interface RegistryChild {
  /** The segment as shown: `pods/` for a prefix, `web` for a key. */
  name: string;
  /** Full key, or full prefix ending in `/`. */
  key: string;
  leaf: boolean;
  /** Keys under a prefix (1 for a leaf). */
  count: number;
}

export interface RegistryListing {
  prefix: string;
  revision: number;
  /** Keys under the prefix at that revision. */
  total: number;
  children: RegistryChild[];
  /** More children follow: ask again with `after` = this key. */
  next?: string;
  command: string;
}

export type DecodedValue =
  | { format: 'json'; object: unknown }
  | { format: 'protobuf'; apiVersion: string; kind: string; object: unknown }
  /** A protobuf envelope whose kind we have no schema for: fields by number. */
  | { format: 'protobuf-fields'; apiVersion: string; kind: string; fields: unknown; error: string }
  | { format: 'encrypted'; provider: string; bytes: number }
  | { format: 'text'; text: string }
  | { format: 'binary'; base64: string; bytes: number };

export interface RegistryValue {
  key: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
  size: number;
  value: DecodedValue;
  command: string;
}

export interface RegistryHistory {
  key: string;
  /** Newest first: every revision still kept. */
  entries: RegistryValue[];
  /** Older revisions existed but were compacted away. */
  truncated: boolean;
  command: string;
}

export interface RegistryWatchEvent {
  watchId: string;
  revision: number;
  events: { type: 'put' | 'delete'; key: string; modRevision: number; version: number }[];
  error?: string;
}

export interface RegistryRpcMethods {
  'registry.open': { params: { target: RegistryTarget }; result: RegistrySessionInfo };
  'registry.close': { params: { sessionId: string }; result: { ok: true } };
  'registry.list': { params: { sessionId: string; prefix: string; revision?: number; after?: string; limit?: number }; result: RegistryListing };
  'registry.search': { params: { sessionId: string; query: string; revision?: number; limit?: number }; result: { keys: string[]; command: string } };
  'registry.get': { params: { sessionId: string; key: string; revision?: number }; result: RegistryValue | null };
  'registry.history': { params: { sessionId: string; key: string }; result: RegistryHistory };
  'registry.watch': { params: { sessionId: string; prefix: string }; result: { watchId: string; command: string } };
  'registry.unwatch': { params: { watchId: string }; result: { ok: true } };
  /** Compare-and-set on the mod revision; bypasses the API server's validation and admission. */
  'registry.put': { params: { sessionId: string; key: string; value: string; expectedModRevision: number }; result: { ok: boolean; modRevision: number } };
}

export interface RegistryRpcEvents {
  'registry.event': RegistryWatchEvent;
}

export const REGISTRY_METHOD_NAMES = [
  'registry.open',
  'registry.close',
  'registry.list',
  'registry.search',
  'registry.get',
  'registry.history',
  'registry.watch',
  'registry.unwatch',
  'registry.put',
] as const;
