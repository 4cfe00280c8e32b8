// Errors as etcd's gRPC layer returns them: the same status codes and the same messages, since
// etcd's Go client recognises errors by their exact text (rpctypes) and etcdctl prints them.
import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import { CompactedError, FutureRevisionError, StoreUnavailableError } from '../sandbox/store/kv.js';
import { DuplicateKeyError } from '../sandbox/store/txn-eval.js';

export class EtcdRpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'EtcdRpcError';
  }
}

export const ERRORS = {
  emptyKey: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: key is not provided'),
  compacted: () => new EtcdRpcError(status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted'),
  futureRev: () => new EtcdRpcError(status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'),
  duplicateKey: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: duplicate key given in txn request'),
  tooManyOps: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: too many operations in txn request'),
  keyNotFound: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: key not found'),
  valueProvided: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: value is provided'),
  leaseProvided: () => new EtcdRpcError(status.INVALID_ARGUMENT, 'etcdserver: lease is provided'),
  leaseNotFound: () => new EtcdRpcError(status.NOT_FOUND, 'etcdserver: requested lease not found'),
  leaseExist: () => new EtcdRpcError(status.FAILED_PRECONDITION, 'etcdserver: lease already exists'),
  leaseTtlTooLarge: () => new EtcdRpcError(status.OUT_OF_RANGE, 'etcdserver: too large lease TTL'),
  stopped: () => new EtcdRpcError(status.UNAVAILABLE, 'etcdserver: server stopped'),
  unimplemented: (what: string) => new EtcdRpcError(status.UNIMPLEMENTED, what),
} as const;

/** Store and validation errors to etcd's status; anything unexpected keeps its message. */
export function toEtcdError(error: unknown): EtcdRpcError {
  if (error instanceof EtcdRpcError) return error;
  if (error instanceof CompactedError) return ERRORS.compacted();
  if (error instanceof FutureRevisionError) return ERRORS.futureRev();
  if (error instanceof DuplicateKeyError) return ERRORS.duplicateKey();
  if (error instanceof StoreUnavailableError) return ERRORS.stopped();
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('etcdserver: key is not provided')) return ERRORS.emptyKey();
  if (message.startsWith('etcdserver: too many operations in txn request')) return ERRORS.tooManyOps();
  if (message.startsWith('etcdserver: requested lease not found')) return ERRORS.leaseNotFound();
  return new EtcdRpcError(status.UNKNOWN, message);
}

export function toServiceError(error: unknown): ServerErrorResponse {
  const e = toEtcdError(error);
  return Object.assign(new Error(e.message), { code: e.code, details: e.message, metadata: new Metadata() });
}
