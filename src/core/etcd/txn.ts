// etcd transactions over the store's KV.txn. Plain transactions (single-key compares; range, put
// and delete ops) go to the store as they are and are atomic there. What the store's txn cannot
// express — compares over a key range, nested transactions, puts with ignore_value — is decided
// from one consistent read and then written with compares on the mod revisions of every key that
// read looked at, retried if any of them changed meanwhile. etcd evaluates every compare of a
// nested transaction before applying any write, which is what deciding from that read does.
// Known gap: a key created inside a compared range between the read and the write goes unnoticed.
import { status } from '@grpc/grpc-js';
import type { Compare, CompareResult, CompareTarget, KeyValue, KV, Op, OpResult } from '../sandbox/store/kv.js';
import { evaluateCompare, MAX_TXN_OPS } from '../sandbox/store/txn-eval.js';
import { ERRORS, EtcdRpcError } from './grpc-errors.js';
import { CompareResultWire, CompareTargetWire, type CompareWire, type RequestOpWire, type ResponseHeader, type ResponseOpWire, type TxnRequestWire } from './proto.js';
import { planRange, type PlannedRange } from './range.js';
import { bytesOf, kvToWire, numberOf, rangeEndOf } from './wire.js';

export interface ParsedCompare extends Compare {
  /** Compare every key in [key, end) (etcd 3.3+). */
  end?: string;
}

export interface ParsedPut {
  type: 'put';
  key: string;
  value: Uint8Array;
  prevKv: boolean;
  ignoreValue: boolean;
}

export type ParsedOp =
  | { type: 'range'; plan: PlannedRange }
  | ParsedPut
  | { type: 'delete'; key: string; end?: string; prevKv: boolean }
  | { type: 'txn'; txn: ParsedTxn };

export interface ParsedTxn {
  compare: ParsedCompare[];
  success: ParsedOp[];
  failure: ParsedOp[];
}

/** Which leases exist, to refuse a put on an unknown lease as etcd does. */
export interface LeaseLookup {
  exists(id: number): boolean;
}

const TARGETS: Record<number, CompareTarget> = {
  [CompareTargetWire.Version]: 'version',
  [CompareTargetWire.Create]: 'create',
  [CompareTargetWire.Mod]: 'mod',
  [CompareTargetWire.Value]: 'value',
  [CompareTargetWire.Lease]: 'lease',
};
const RESULTS: Record<number, CompareResult> = {
  [CompareResultWire.Equal]: '=',
  [CompareResultWire.Greater]: '>',
  [CompareResultWire.Less]: '<',
  [CompareResultWire.NotEqual]: '!=',
};

function parseCompare(c: CompareWire): ParsedCompare {
  const keyBytes = bytesOf(c.key);
  if (keyBytes.length === 0) throw ERRORS.emptyKey();
  const target = TARGETS[numberOf(c.target)] ?? 'version';
  const result = RESULTS[numberOf(c.result)] ?? '=';
  const value =
    target === 'value'
      ? new Uint8Array(bytesOf(c.value))
      : numberOf(target === 'version' ? c.version : target === 'create' ? c.create_revision : target === 'mod' ? c.mod_revision : c.lease);
  const end = rangeEndOf(keyBytes, c.range_end);
  return { key: keyBytes.toString('utf8'), target, result, value, ...(end !== undefined ? { end } : {}) };
}

export function parsePut(
  request: { key?: Buffer; value?: Buffer; lease?: number; prev_kv?: boolean; ignore_value?: boolean; ignore_lease?: boolean },
  leases: LeaseLookup,
): ParsedPut {
  const key = bytesOf(request.key);
  if (key.length === 0) throw ERRORS.emptyKey();
  const value = bytesOf(request.value);
  const lease = numberOf(request.lease);
  if (request.ignore_value && value.length > 0) throw ERRORS.valueProvided();
  if (request.ignore_lease && lease !== 0) throw ERRORS.leaseProvided();
  if (lease !== 0) {
    if (!leases.exists(lease)) throw ERRORS.leaseNotFound();
    throw ERRORS.unimplemented(
      `the sandbox's etcd endpoint cannot attach keys to leases (its store keeps no leases); put ${JSON.stringify(key.toString('utf8'))} without a lease`,
    );
  }
  return { type: 'put', key: key.toString('utf8'), value: new Uint8Array(value), prevKv: request.prev_kv === true, ignoreValue: request.ignore_value === true };
}

export function parseDelete(request: { key?: Buffer; range_end?: Buffer; prev_kv?: boolean }): ParsedOp {
  const key = bytesOf(request.key);
  if (key.length === 0) throw ERRORS.emptyKey();
  const end = rangeEndOf(key, request.range_end);
  return { type: 'delete', key: key.toString('utf8'), prevKv: request.prev_kv === true, ...(end !== undefined ? { end } : {}) };
}

function parseOp(op: RequestOpWire, leases: LeaseLookup): ParsedOp {
  if (op.request_range) return { type: 'range', plan: planRange(op.request_range) };
  if (op.request_put) return parsePut(op.request_put, leases);
  if (op.request_delete_range) return parseDelete(op.request_delete_range);
  if (op.request_txn) return { type: 'txn', txn: parseTxn(op.request_txn, leases) };
  throw new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: a txn operation names no request (range, put, delete_range or txn)');
}

export function parseTxn(request: TxnRequestWire, leases: LeaseLookup): ParsedTxn {
  const compare = (request.compare ?? []).map(parseCompare);
  const success = (request.success ?? []).map((op) => parseOp(op, leases));
  const failure = (request.failure ?? []).map((op) => parseOp(op, leases));
  if (Math.max(compare.length, success.length, failure.length) > MAX_TXN_OPS) throw ERRORS.tooManyOps();
  return { compare, success, failure };
}

function needsDecision(txn: ParsedTxn): boolean {
  return (
    txn.compare.some((c) => c.end !== undefined) ||
    [...txn.success, ...txn.failure].some((op) => op.type === 'txn' || (op.type === 'put' && op.ignoreValue))
  );
}

function storeOp(op: Exclude<ParsedOp, { type: 'txn' }>, value?: Uint8Array): Op {
  if (op.type === 'range') return { type: 'range', key: op.plan.key, ...op.plan.options };
  if (op.type === 'put') return { type: 'put', key: op.key, value: value ?? op.value, prevKv: op.prevKv };
  return { type: 'delete', key: op.key, prevKv: op.prevKv, ...(op.end !== undefined ? { end: op.end } : {}) };
}

/** The response tree for the chosen ops, consuming the store's flat results in order. */
function responsesFor(ops: ParsedOp[], results: OpResult[], header: ResponseHeader, decided?: Map<ParsedTxn, boolean>): ResponseOpWire[] {
  const out: ResponseOpWire[] = [];
  for (const op of ops) {
    if (op.type === 'txn') {
      const succeeded = decided?.get(op.txn) ?? false;
      const responses = responsesFor(succeeded ? op.txn.success : op.txn.failure, results, header, decided);
      out.push({ response_txn: { header, succeeded, responses } });
      continue;
    }
    const result = results.shift();
    if (!result || result.type !== op.type) throw new Error(`internal: the store answered a ${op.type} op with ${result?.type ?? 'nothing'}`);
    if (op.type === 'range' && result.type === 'range') {
      const r = op.plan.finish(result.result);
      out.push({ response_range: { header, kvs: r.kvs.map((kv) => kvToWire(kv, op.plan.keysOnly)), more: r.more, count: r.count } });
    } else if (result.type === 'put') {
      out.push({ response_put: { header, ...(result.prevKv ? { prev_kv: kvToWire(result.prevKv) } : {}) } });
    } else if (result.type === 'delete') {
      out.push({ response_delete_range: { header, deleted: result.deleted, prev_kvs: (result.prevKvs ?? []).map((kv) => kvToWire(kv)) } });
    }
  }
  return out;
}

export interface TxnOutcome {
  succeeded: boolean;
  revision: number;
  responses: (header: ResponseHeader) => ResponseOpWire[];
}

export async function executeTxn(kv: KV, txn: ParsedTxn): Promise<TxnOutcome> {
  if (!needsDecision(txn)) {
    const compare: Compare[] = txn.compare.map(({ key, target, result, value }) => ({ key, target, result, value }));
    const flat = (ops: ParsedOp[]): Op[] => ops.map((op) => storeOp(op as Exclude<ParsedOp, { type: 'txn' }>));
    const r = await kv.txn({ compare, success: flat(txn.success), failure: flat(txn.failure) });
    return { succeeded: r.succeeded, revision: r.revision, responses: (header) => responsesFor(r.succeeded ? txn.success : txn.failure, [...r.results], header) };
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await decideAndWrite(kv, txn);
    if (outcome) return outcome;
  }
  throw new EtcdRpcError(status.ABORTED, 'etcdserver: the keys this transaction compares kept changing while it ran; retry it');
}

interface Read {
  key: string;
  end?: string;
}

function collectReads(txn: ParsedTxn, into: Read[]): void {
  for (const c of txn.compare) into.push({ key: c.key, ...(c.end !== undefined ? { end: c.end } : {}) });
  for (const op of [...txn.success, ...txn.failure]) {
    if (op.type === 'txn') collectReads(op.txn, into);
    else if (op.type === 'put' && op.ignoreValue) into.push({ key: op.key });
  }
}

/** One attempt: read, decide, write guarded by the read. Undefined when a guard failed. */
async function decideAndWrite(kv: KV, txn: ParsedTxn): Promise<TxnOutcome | undefined> {
  const reads: Read[] = [];
  collectReads(txn, reads);
  const snapshot = await kv.txn({ compare: [], success: reads.map((r) => ({ type: 'range', ...r })), failure: [] });
  const seen = new Map<string, KeyValue[]>();
  const guards = new Map<string, Compare>();
  const rangeGuards = new Map<string, Compare>();
  reads.forEach((read, i) => {
    const result = snapshot.results[i];
    const kvs = result?.type === 'range' ? result.result.kvs : [];
    seen.set(JSON.stringify([read.key, read.end]), kvs);
    const into = read.end === undefined ? guards : rangeGuards;
    if (read.end === undefined && kvs.length === 0) into.set(read.key, { key: read.key, target: 'mod', result: '=', value: 0 });
    for (const kv of kvs) into.set(kv.key, { key: kv.key, target: 'mod', result: '=', value: kv.modRevision });
  });
  // The store caps compares per txn; beyond that, ranges are compared once, at read time only.
  for (const [key, guard] of rangeGuards) if (guards.size < MAX_TXN_OPS && !guards.has(key)) guards.set(key, guard);

  const holds = (c: ParsedCompare): boolean => {
    const kvs = seen.get(JSON.stringify([c.key, c.end])) ?? [];
    if (kvs.length === 0) return c.target === 'value' ? false : evaluateCompare(c, undefined);
    return kvs.every((kv) => evaluateCompare(c, kv));
  };
  const decided = new Map<ParsedTxn, boolean>();
  const ops: Op[] = [];
  const choose = (t: ParsedTxn): void => {
    const succeeded = t.compare.every(holds);
    decided.set(t, succeeded);
    for (const op of succeeded ? t.success : t.failure) {
      if (op.type === 'txn') choose(op.txn);
      else if (op.type === 'put' && op.ignoreValue) {
        const current = seen.get(JSON.stringify([op.key, undefined]))?.[0];
        if (!current) throw ERRORS.keyNotFound();
        ops.push(storeOp(op, current.value));
      } else ops.push(storeOp(op));
    }
  };
  choose(txn);
  const written = await kv.txn({ compare: [...guards.values()], success: ops, failure: [] });
  if (!written.succeeded) return undefined;
  const succeeded = decided.get(txn) ?? false;
  return {
    succeeded,
    revision: written.revision,
    responses: (header) => responsesFor(succeeded ? txn.success : txn.failure, [...written.results], header, decided),
  };
}
