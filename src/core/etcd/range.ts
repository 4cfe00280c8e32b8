// A RangeRequest in etcd's terms (sorting, revision filters, limit) over the store's plain range:
// what to ask the store, then how etcd post-processes the answer (apply.go's Range, v3.4).
import type { KeyValue, RangeOptions, RangeResult } from '../sandbox/store/kv.js';
import { ERRORS } from './grpc-errors.js';
import { SortOrder, SortTarget, type RangeRequestWire } from './proto.js';
import { bytesOf, numberOf, rangeEndOf } from './wire.js';

export interface PlannedRange {
  key: string;
  options: RangeOptions;
  keysOnly: boolean;
  /** etcd's post-processing of what the store returned. */
  finish(result: RangeResult): { kvs: KeyValue[]; more: boolean; count: number };
}

type Order = (a: KeyValue, b: KeyValue) => number;

const ORDERS: Record<number, Order> = {
  [SortTarget.Key]: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  [SortTarget.Version]: (a, b) => a.version - b.version,
  [SortTarget.Create]: (a, b) => a.createRevision - b.createRevision,
  [SortTarget.Mod]: (a, b) => a.modRevision - b.modRevision,
  [SortTarget.Value]: (a, b) => Buffer.compare(Buffer.from(a.value), Buffer.from(b.value)),
};

export function planRange(request: RangeRequestWire): PlannedRange {
  const keyBytes = bytesOf(request.key);
  if (keyBytes.length === 0) throw ERRORS.emptyKey();
  const key = keyBytes.toString('utf8');
  const limit = Math.max(0, numberOf(request.limit));
  const rawOrder = numberOf(request.sort_order);
  const target = numberOf(request.sort_target);
  const minMod = numberOf(request.min_mod_revision);
  const maxMod = numberOf(request.max_mod_revision);
  const minCreate = numberOf(request.min_create_revision);
  const maxCreate = numberOf(request.max_create_revision);
  const filtered = minMod !== 0 || maxMod !== 0 || minCreate !== 0 || maxCreate !== 0;
  // As etcd: sorting or filtering needs every key, truncated to the limit afterwards.
  const fetchAll = rawOrder !== SortOrder.None || filtered;
  const end = rangeEndOf(keyBytes, request.range_end);
  const revision = numberOf(request.revision);
  const options: RangeOptions = {
    ...(end !== undefined ? { end } : {}),
    ...(revision > 0 ? { revision } : {}),
    limit: fetchAll ? 0 : limit,
    countOnly: request.count_only === true,
  };
  // etcd sorts ascending when a target other than the key is named without an order.
  const order = target !== SortTarget.Key && rawOrder === SortOrder.None ? SortOrder.Ascend : rawOrder;
  return {
    key,
    options,
    keysOnly: request.keys_only === true,
    finish(result) {
      let kvs = result.kvs;
      if (filtered) {
        kvs = kvs.filter(
          (kv) =>
            (minMod === 0 || kv.modRevision >= minMod) &&
            (maxMod === 0 || kv.modRevision <= maxMod) &&
            (minCreate === 0 || kv.createRevision >= minCreate) &&
            (maxCreate === 0 || kv.createRevision <= maxCreate),
        );
      }
      const alreadySorted = order === SortOrder.None || (order === SortOrder.Ascend && target === SortTarget.Key);
      if (!alreadySorted) {
        const compare = ORDERS[target] ?? ORDERS[SortTarget.Key];
        kvs = [...kvs].sort(order === SortOrder.Descend ? (a, b) => compare(b, a) : compare);
      }
      let more = result.more;
      if (limit > 0 && kvs.length > limit) {
        kvs = kvs.slice(0, limit);
        more = true;
      }
      return { kvs, more, count: result.count };
    },
  };
}
