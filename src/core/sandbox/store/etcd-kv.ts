// The KV contract over a real etcd v3 (through the etcd3 client's raw gRPC services, so that
// compaction revisions, prevKv and watch ids are ours to see). Keys are UTF-8 strings, values bytes.
// Watches live in etcd-watch.ts.
import { Etcd3, type ICompare, type IRequestOp, type IResponseOp } from 'etcd3';
import { fromEtcdKv } from './etcd-kv-convert.js';
import { EtcdWatchStream } from './etcd-watch.js';
import {
  CompactedError,
  FutureRevisionError,
  StoreUnavailableError,
  type Compare,
  type DeleteResult,
  type KV,
  type Op,
  type OpResult,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type StoreStatus,
  type TxnRequest,
  type TxnResult,
  type WatchListener,
  type WatchOptions,
  type Watcher,
} from './kv.js';

export interface EtcdConnectOptions {
  endpoints: string[];
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

const buf = (s: string): Buffer => Buffer.from(s, 'utf8');

const RESULTS = { '=': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;

function toCompare(c: Compare): ICompare {
  const out: ICompare = { key: buf(c.key), result: RESULTS[c.result] };
  const n = typeof c.value === 'number' ? c.value : 0;
  switch (c.target) {
    case 'version':
      return { ...out, target: 'Version', version: n };
    case 'create':
      return { ...out, target: 'Create', create_revision: n };
    case 'mod':
      return { ...out, target: 'Mod', mod_revision: n };
    case 'lease':
      return { ...out, target: 'Lease', lease: n };
    case 'value':
      if (!(c.value instanceof Uint8Array)) throw new TypeError(`compare on the value of ${c.key} needs bytes, got a number`);
      return { ...out, target: 'Value', value: Buffer.from(c.value) };
  }
}

function toRequestOp(op: Op): IRequestOp {
  if (op.type === 'put') {
    return { request_put: { key: buf(op.key), value: Buffer.from(op.value), lease: op.lease ?? 0, prev_kv: op.prevKv ?? false } };
  }
  if (op.type === 'delete') {
    return { request_delete_range: { key: buf(op.key), range_end: op.end ? buf(op.end) : undefined, prev_kv: op.prevKv ?? false } };
  }
  return {
    request_range: {
      key: buf(op.key),
      range_end: op.end ? buf(op.end) : undefined,
      revision: op.revision ?? 0,
      limit: op.limit ?? 0,
      keys_only: op.keysOnly ?? false,
      count_only: op.countOnly ?? false,
    },
  };
}

function fromResponseOp(op: Op, r: IResponseOp): OpResult {
  if (op.type === 'put') {
    const prev = r.response_put?.prev_kv;
    return prev ? { type: 'put', prevKv: fromEtcdKv(prev) } : { type: 'put' };
  }
  if (op.type === 'delete') {
    const d = r.response_delete_range;
    const deleted = Number(d?.deleted ?? 0);
    return op.prevKv ? { type: 'delete', deleted, prevKvs: (d?.prev_kvs ?? []).map(fromEtcdKv) } : { type: 'delete', deleted };
  }
  const rr = r.response_range;
  return {
    type: 'range',
    result: { kvs: (rr?.kvs ?? []).map(fromEtcdKv), count: Number(rr?.count ?? 0), more: rr?.more ?? false, revision: Number(rr?.header?.revision ?? 0) },
  };
}

export class EtcdKV implements KV {
  private knownCompact = 0;
  private closed = false;
  private readonly watches: EtcdWatchStream;

  private constructor(
    private readonly client: Etcd3,
    private readonly endpoints: string[],
  ) {
    this.watches = new EtcdWatchStream(client, endpoints.join(', '));
  }

  static async connect(options: EtcdConnectOptions): Promise<EtcdKV> {
    const client = new Etcd3({
      hosts: options.endpoints,
      credentials: options.ca ? { rootCertificate: options.ca, privateKey: options.key, certChain: options.cert } : undefined,
    });
    try {
      await client.maintenance.status();
    } catch (error) {
      client.close();
      throw new StoreUnavailableError(
        `cannot reach etcd at ${options.endpoints.join(', ')} (${error instanceof Error ? error.message : String(error)}); ` +
          'check that etcd is running and the endpoints and TLS files are right',
        { cause: error },
      );
    }
    return new EtcdKV(client, options.endpoints);
  }

  /** etcd errors → the contract's errors (messages are etcd's own wording, matched as the etcd3 client does). */
  private async mapError(error: unknown, requested: number): Promise<Error> {
    const message = error instanceof Error ? error.message : String(error);
    if (/required revision has been compacted/.test(message)) return new CompactedError(requested, await this.compactRevision());
    if (/required revision is a future revision/.test(message)) return new FutureRevisionError(requested, await this.currentRevision());
    if (/unavailable|ECONNREFUSED|closed|deadline/i.test(message)) {
      return new StoreUnavailableError(`etcd at ${this.endpoints.join(', ')} failed: ${message}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(message);
  }

  private async call<T>(requested: number, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('the etcd client is closed; connect again');
    try {
      return await fn();
    } catch (error) {
      throw await this.mapError(error, requested);
    }
  }

  private async currentRevision(): Promise<number> {
    const r = await this.client.kv.range({ key: buf('\0'), count_only: true });
    return Number(r.header.revision);
  }

  /** etcd 3.4 does not report its compact revision: find the oldest readable revision (binary search). */
  private async compactRevision(): Promise<number> {
    const readable = async (rev: number): Promise<boolean> => {
      try {
        await this.client.kv.range({ key: buf('\0'), count_only: true, revision: rev });
        return true;
      } catch (error) {
        if (error instanceof Error && /compacted/.test(error.message)) return false;
        throw error;
      }
    };
    const current = await this.currentRevision();
    if (this.knownCompact > 0 && (await readable(this.knownCompact)) && !(await readable(this.knownCompact - 1))) return this.knownCompact;
    if (await readable(1)) return 0;
    let lo = 1; // unreadable
    let hi = current; // readable
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.knownCompact = hi;
    return hi;
  }

  range(key: string, options: RangeOptions = {}): Promise<RangeResult> {
    return this.call(options.revision ?? 0, async () => {
      const r = await this.client.kv.range(toRequestOp({ type: 'range', key, ...options }).request_range ?? {});
      return { kvs: r.kvs.map(fromEtcdKv), count: Number(r.count), more: r.more, revision: Number(r.header.revision) };
    });
  }

  put(key: string, value: Uint8Array, options: { lease?: number; prevKv?: boolean } = {}): Promise<PutResult> {
    return this.call(0, async () => {
      const r = await this.client.kv.put({ key: buf(key), value: Buffer.from(value), lease: options.lease ?? 0, prev_kv: options.prevKv ?? false });
      const revision = Number(r.header.revision);
      return options.prevKv && r.prev_kv ? { revision, prevKv: fromEtcdKv(r.prev_kv) } : { revision };
    });
  }

  deleteRange(key: string, options: { end?: string; prevKv?: boolean } = {}): Promise<DeleteResult> {
    return this.call(0, async () => {
      const r = await this.client.kv.deleteRange({ key: buf(key), range_end: options.end ? buf(options.end) : undefined, prev_kv: options.prevKv ?? false });
      const out: DeleteResult = { revision: Number(r.header.revision), deleted: Number(r.deleted) };
      if (options.prevKv) out.prevKvs = (r.prev_kvs ?? []).map(fromEtcdKv);
      return out;
    });
  }

  txn(request: TxnRequest): Promise<TxnResult> {
    const requested = Math.max(0, ...[...request.success, ...request.failure].map((op) => (op.type === 'range' ? (op.revision ?? 0) : 0)));
    return this.call(requested, async () => {
      const r = await this.client.kv.txn({
        compare: request.compare.map(toCompare),
        success: request.success.map(toRequestOp),
        failure: request.failure.map(toRequestOp),
      });
      const ops = r.succeeded ? request.success : request.failure;
      return { succeeded: r.succeeded, revision: Number(r.header.revision), results: ops.map((op, i) => fromResponseOp(op, r.responses[i])) };
    });
  }

  compact(revision: number): Promise<void> {
    return this.call(revision, async () => {
      await this.client.kv.compact({ revision, physical: true });
      this.knownCompact = Math.max(this.knownCompact, revision);
    });
  }

  status(): Promise<StoreStatus> {
    return this.call(0, async () => {
      const s = await this.client.maintenance.status();
      const all = await this.client.kv.range({ key: buf('\0'), range_end: buf('\0'), count_only: true });
      return { revision: Number(all.header.revision), compactRevision: await this.compactRevision(), dbSize: Number(s.dbSize), keys: Number(all.count) };
    });
  }

  watch(key: string, options: WatchOptions, listener: WatchListener): Watcher {
    return this.watches.watch(key, options, listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watches.close();
    this.client.close();
  }
}
