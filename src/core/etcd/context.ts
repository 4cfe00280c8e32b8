// What every etcd service handler needs: the store, who we are, the leases, and a way to turn a
// handler's promise into a gRPC answer with etcd's errors.
import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { KV } from '../sandbox/store/kv.js';
import { toServiceError } from './grpc-errors.js';
import type { LeaseTable } from './lease-table.js';
import type { ResponseHeader } from './proto.js';
import { headerFor, type EtcdIdentity } from './wire.js';

export interface EtcdContext {
  kv: KV;
  identity: EtcdIdentity;
  leases: LeaseTable;
  /** https://127.0.0.1:<port>, once listening. */
  clientUrl(): string;
  /** How often watchers that asked for progress_notify get one (etcd: 10 minutes). */
  progressIntervalMs: number;
}

export function header(ctx: EtcdContext, revision: number): ResponseHeader {
  return headerFor(ctx.identity, revision);
}

/** The store's current revision: a single-key read answers it without scanning. */
export async function currentRevision(kv: KV): Promise<number> {
  return (await kv.range('\0')).revision;
}

export function unary<Req, Res>(fn: (request: Req) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    fn(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error)),
    );
  };
}
