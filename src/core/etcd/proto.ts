// etcd v3's gRPC services, loaded at runtime from the .proto files the etcd3 npm package ships, so
// that our server and the etcd3 client speak exactly the same schema. Wire shapes below are what
// @grpc/proto-loader hands us with the options used here (snake_case kept, int64 as numbers,
// enums as numbers, bytes as Buffers, unset oneof members absent).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';

function protoDir(): string {
  // etcd3's main entry is lib/index.js; its protos sit next to lib/.
  const main = createRequire(import.meta.url).resolve('etcd3');
  return join(dirname(main), '..', 'proto');
}

let loaded: PackageDefinition | undefined;

function definition(): PackageDefinition {
  loaded ??= loadSync(join(protoDir(), 'rpc.proto'), { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true });
  return loaded;
}

export type EtcdServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance';

export function serviceDefinition(name: EtcdServiceName): ServiceDefinition {
  const service = definition()[`etcdserverpb.${name}`];
  if (!service || 'format' in service) throw new Error(`etcd3's rpc.proto has no service etcdserverpb.${name}: is the etcd3 package intact?`);
  return service as ServiceDefinition;
}

// Enum values as on the wire (etcd's numbering; the names differ between proto copies).
export const SortOrder = { None: 0, Ascend: 1, Descend: 2 } as const;
export const SortTarget = { Key: 0, Version: 1, Create: 2, Mod: 3, Value: 4 } as const;
export const CompareResultWire = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3 } as const;
export const CompareTargetWire = { Version: 0, Create: 1, Mod: 2, Value: 3, Lease: 4 } as const;
export const EventTypeWire = { Put: 0, Delete: 1 } as const;
export const WatchFilter = { NoPut: 0, NoDelete: 1 } as const;

/** Unsigned 64-bit ids travel as decimal strings: protobufjs parses them losslessly. */
export type Uint64 = string;

export interface ResponseHeader {
  cluster_id: Uint64;
  member_id: Uint64;
  revision: number;
  raft_term: number;
}

export interface KeyValueWire {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
  lease: number;
}

export interface RangeRequestWire {
  key?: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  sort_order?: number;
  sort_target?: number;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
  min_mod_revision?: number;
  max_mod_revision?: number;
  min_create_revision?: number;
  max_create_revision?: number;
}

export interface RangeResponseWire {
  header: ResponseHeader;
  kvs: KeyValueWire[];
  more: boolean;
  count: number;
}

export interface PutRequestWire {
  key?: Buffer;
  value?: Buffer;
  lease?: number;
  prev_kv?: boolean;
  ignore_value?: boolean;
  ignore_lease?: boolean;
}

export interface PutResponseWire {
  header: ResponseHeader;
  prev_kv?: KeyValueWire;
}

export interface DeleteRangeRequestWire {
  key?: Buffer;
  range_end?: Buffer;
  prev_kv?: boolean;
}

export interface DeleteRangeResponseWire {
  header: ResponseHeader;
  deleted: number;
  prev_kvs: KeyValueWire[];
}

export interface CompareWire {
  result?: number;
  target?: number;
  key?: Buffer;
  version?: number | null;
  create_revision?: number | null;
  mod_revision?: number | null;
  value?: Buffer | null;
  lease?: number | null;
  range_end?: Buffer;
  target_union?: string;
}

export interface RequestOpWire {
  request_range?: RangeRequestWire | null;
  request_put?: PutRequestWire | null;
  request_delete_range?: DeleteRangeRequestWire | null;
  request_txn?: TxnRequestWire | null;
}

export interface TxnRequestWire {
  compare?: CompareWire[];
  success?: RequestOpWire[];
  failure?: RequestOpWire[];
}

export type ResponseOpWire =
  | { response_range: RangeResponseWire }
  | { response_put: PutResponseWire }
  | { response_delete_range: DeleteRangeResponseWire }
  | { response_txn: TxnResponseWire };

export interface TxnResponseWire {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOpWire[];
}

export interface WatchCreateRequestWire {
  key?: Buffer;
  range_end?: Buffer;
  start_revision?: number;
  progress_notify?: boolean;
  filters?: number[];
  prev_kv?: boolean;
  watch_id?: number;
  fragment?: boolean;
}

export interface WatchRequestWire {
  create_request?: WatchCreateRequestWire | null;
  cancel_request?: { watch_id?: number } | null;
  progress_request?: object | null;
}

export interface EventWire {
  type: number;
  kv: KeyValueWire;
  prev_kv?: KeyValueWire;
}

export interface WatchResponseWire {
  header: ResponseHeader;
  watch_id: number;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: number;
  cancel_reason?: string;
  events?: EventWire[];
}
