// etcd's transaction rules, independent of storage: how a compare is evaluated (a missing key has
// version/create/mod/lease 0 and never matches a value compare) and which op lists are refused.
import type { Compare, KeyValue, Op, TxnRequest } from './kv.js';
import { inRange } from './mvcc-state.js';

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function evaluateCompare(compare: Compare, kv: KeyValue | undefined): boolean {
  let order: number;
  if (compare.target === 'value') {
    if (!kv) return false;
    if (!(compare.value instanceof Uint8Array)) throw new TypeError(`compare on the value of ${compare.key} needs bytes, got a number`);
    order = compareBytes(kv.value, compare.value);
  } else {
    if (typeof compare.value !== 'number') throw new TypeError(`compare on the ${compare.target} of ${compare.key} needs a number, got bytes`);
    const actual =
      compare.target === 'version'
        ? (kv?.version ?? 0)
        : compare.target === 'create'
          ? (kv?.createRevision ?? 0)
          : compare.target === 'mod'
            ? (kv?.modRevision ?? 0)
            : (kv?.lease ?? 0);
    order = compareNumbers(actual, compare.value);
  }
  switch (compare.result) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}

/** etcd refuses a txn branch that writes one key twice (two puts, or a put inside a deleted range). */
export class DuplicateKeyError extends Error {
  constructor(key: string) {
    super(`etcdserver: duplicate key given in txn request (key ${JSON.stringify(key)}); split the transaction`);
    this.name = 'DuplicateKeyError';
  }
}

function checkIntervals(ops: Op[]): void {
  const puts = new Set<string>();
  const deletes: { key: string; end?: string }[] = [];
  for (const op of ops) {
    if (op.type === 'put') {
      if (puts.has(op.key)) throw new DuplicateKeyError(op.key);
      puts.add(op.key);
    } else if (op.type === 'delete') deletes.push(op);
  }
  for (const key of puts) for (const d of deletes) if (inRange(key, d.key, d.end)) throw new DuplicateKeyError(key);
}

/** etcd's default --max-txn-ops. */
export const MAX_TXN_OPS = 128;

/** The request checks etcd makes before evaluating a txn (both branches, whichever runs). */
export function validateTxn(request: TxnRequest): void {
  const ops = Math.max(request.compare.length, request.success.length, request.failure.length);
  if (ops > MAX_TXN_OPS) throw new Error(`etcdserver: too many operations in txn request (${ops} > ${MAX_TXN_OPS}); split the transaction`);
  for (const c of request.compare) if (c.key === '') throw new Error('etcdserver: key is not provided');
  for (const op of [...request.success, ...request.failure]) if (op.key === '') throw new Error('etcdserver: key is not provided');
  checkIntervals(request.success);
  checkIntervals(request.failure);
}
