// The key-value contract every storage backend honours: etcd v3's data model, so that the embedded
// store, a real etcd (through the etcd3 client) and any cache above them are interchangeable and
// tested by one conformance suite (kv-conformance.ts).
import type { Disposable } from '../../../shared/disposable.js';

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the put that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last put to this key. */
  modRevision: number;
  /** Number of puts since creation; 1 after creation. */
  version: number;
  /** Lease id attached to the key, 0 when none. */
  lease: number;
}

export interface RangeOptions {
  /** Exclusive end of the range. Omitted: the single key. Use prefixEnd(key) for a prefix. */
  end?: string;
  /** Read as of this revision; 0 or omitted: the current one. */
  revision?: number;
  /** At most this many keys (0: no limit). `more` tells whether some were left. */
  limit?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Number of keys in the whole range, regardless of limit. */
  count: number;
  more: boolean;
  /** The store's revision when the read was served (etcd's header revision). */
  revision: number;
}

export type CompareTarget = 'version' | 'create' | 'mod' | 'value' | 'lease';
export type CompareResult = '=' | '!=' | '<' | '>';

/** A missing key has version, create and mod revisions 0, as in etcd. */
export interface Compare {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  value: number | Uint8Array;
}

export type Op =
  | { type: 'put'; key: string; value: Uint8Array; lease?: number; prevKv?: boolean }
  | { type: 'delete'; key: string; end?: string; prevKv?: boolean }
  | ({ type: 'range'; key: string } & RangeOptions);

export type OpResult =
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKvs?: KeyValue[] }
  | { type: 'range'; result: RangeResult };

export interface TxnRequest {
  compare: Compare[];
  success: Op[];
  failure: Op[];
}

export interface TxnResult {
  succeeded: boolean;
  /** Store revision after the transaction (unchanged when it wrote nothing). */
  revision: number;
  results: OpResult[];
}

export interface PutResult {
  revision: number;
  prevKv?: KeyValue;
}

export interface DeleteResult {
  revision: number;
  deleted: number;
  prevKvs?: KeyValue[];
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For a delete: the key with modRevision = the deleting revision, empty value, version 0. */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchOptions {
  end?: string;
  /** Deliver every event with revision >= startRevision. 0 or omitted: only future events. */
  startRevision?: number;
  prevKv?: boolean;
}

export interface WatchListener {
  /** Events of one revision or more, in revision order; `revision` is the store's revision. */
  onEvents(events: WatchEvent[], revision: number): void;
  /** The watch ended for good (CompactedError when startRevision was compacted). No more events. */
  onError(error: Error): void;
}

export interface Watcher extends Disposable {
  /** Resolves once the watch is registered: no later write is missed. */
  readonly ready: Promise<void>;
}

export interface StoreStatus {
  revision: number;
  compactRevision: number;
  /** Bytes the backend uses on disk (approximate). */
  dbSize: number;
  /** How many keys currently exist. */
  keys: number;
}

export interface KV {
  range(key: string, options?: RangeOptions): Promise<RangeResult>;
  put(key: string, value: Uint8Array, options?: { lease?: number; prevKv?: boolean }): Promise<PutResult>;
  deleteRange(key: string, options?: { end?: string; prevKv?: boolean }): Promise<DeleteResult>;
  /** Atomic: all compares evaluated, then one branch applied at a single new revision. */
  txn(request: TxnRequest): Promise<TxnResult>;
  watch(key: string, options: WatchOptions, listener: WatchListener): Watcher;
  /** Forget history below `revision`; reads and watches below it then fail with CompactedError. */
  compact(revision: number): Promise<void>;
  status(): Promise<StoreStatus>;
  /** Flush and release everything. Pending writes are either durable or rejected. */
  close(): Promise<void>;
}

/** The requested revision has been compacted away (etcd's ErrCompacted). */
export class CompactedError extends Error {
  constructor(
    readonly requestedRevision: number,
    readonly compactRevision: number,
  ) {
    super(`required revision ${requestedRevision} has been compacted (compacted up to ${compactRevision})`);
    this.name = 'CompactedError';
  }
}

/** The requested revision is above the current one (etcd's ErrFutureRev). */
export class FutureRevisionError extends Error {
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`required revision ${requestedRevision} is a future revision (current is ${currentRevision})`);
    this.name = 'FutureRevisionError';
  }
}

/** The store was closed or failed to persist; the operation was not applied. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The smallest key greater than every key starting with `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0xffff) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  // etcd uses "\0" to mean "to the end of the keyspace".
  return '\0';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (value: Uint8Array): string => decoder.decode(value);
