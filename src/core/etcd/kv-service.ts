// etcd's KV service (Range, Put, DeleteRange, Txn, Compact) over the store.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { currentRevision, header, unary, type EtcdContext } from './context.js';
import type {
  DeleteRangeRequestWire,
  DeleteRangeResponseWire,
  PutRequestWire,
  PutResponseWire,
  RangeRequestWire,
  RangeResponseWire,
  TxnRequestWire,
  TxnResponseWire,
} from './proto.js';
import { planRange } from './range.js';
import { executeTxn, parseDelete, parsePut, parseTxn, type ParsedOp } from './txn.js';
import { kvToWire, numberOf } from './wire.js';

export function kvService(ctx: EtcdContext): UntypedServiceImplementation {
  const single = async (op: ParsedOp) => {
    const outcome = await executeTxn(ctx.kv, { compare: [], success: [op], failure: [] });
    const h = header(ctx, outcome.revision);
    return { header: h, response: outcome.responses(h)[0] };
  };
  return {
    Range: unary<RangeRequestWire, RangeResponseWire>(async (request) => {
      const plan = planRange(request);
      const result = await ctx.kv.range(plan.key, plan.options);
      const r = plan.finish(result);
      return { header: header(ctx, result.revision), kvs: r.kvs.map((kv) => kvToWire(kv, plan.keysOnly)), more: r.more, count: r.count };
    }),
    Put: unary<PutRequestWire, PutResponseWire>(async (request) => {
      const { header: h, response } = await single(parsePut(request, ctx.leases));
      return response && 'response_put' in response ? { ...response.response_put, header: h } : { header: h };
    }),
    DeleteRange: unary<DeleteRangeRequestWire, DeleteRangeResponseWire>(async (request) => {
      const { header: h, response } = await single(parseDelete(request));
      return response && 'response_delete_range' in response ? { ...response.response_delete_range, header: h } : { header: h, deleted: 0, prev_kvs: [] };
    }),
    Txn: unary<TxnRequestWire, TxnResponseWire>(async (request) => {
      const outcome = await executeTxn(ctx.kv, parseTxn(request, ctx.leases));
      const h = header(ctx, outcome.revision);
      return { header: h, succeeded: outcome.succeeded, responses: outcome.responses(h) };
    }),
    Compact: unary<{ revision?: number; physical?: boolean }, { header: ReturnType<typeof header> }>(async (request) => {
      await ctx.kv.compact(numberOf(request.revision));
      return { header: header(ctx, await currentRevision(ctx.kv)) };
    }),
  };
}
