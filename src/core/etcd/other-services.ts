// etcd's Lease, Maintenance and Cluster services for a one-member cluster.
import { status, type ServerDuplexStream, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { currentRevision, header, unary, type EtcdContext } from './context.js';
import { ERRORS, EtcdRpcError, toServiceError } from './grpc-errors.js';
import type { ResponseHeader } from './proto.js';
import { numberOf } from './wire.js';

/** What Maintenance.Status reports as the server's version (etcdctl shows it in endpoint status). */
export const ETCD_VERSION = '3.4.23';

interface KeepAliveResponse {
  header: ResponseHeader;
  ID: number;
  TTL: number;
}

export function leaseService(ctx: EtcdContext): UntypedServiceImplementation {
  const now = async () => header(ctx, await currentRevision(ctx.kv));
  return {
    LeaseGrant: unary<{ TTL?: number; ID?: number }, object>(async (request) => {
      const { id, ttl } = ctx.leases.grant(numberOf(request.TTL), numberOf(request.ID));
      return { header: await now(), ID: id, TTL: ttl, error: '' };
    }),
    LeaseRevoke: unary<{ ID?: number }, object>(async (request) => {
      ctx.leases.revoke(numberOf(request.ID));
      return { header: await now() };
    }),
    LeaseKeepAlive: (call: ServerDuplexStream<{ ID?: number }, KeepAliveResponse>) => {
      let queue = Promise.resolve();
      call.on('data', (request: { ID?: number }) => {
        queue = queue
          .then(async () => {
            const id = numberOf(request.ID);
            const ttl = ctx.leases.keepAlive(id);
            call.write({ header: await now(), ID: id, TTL: ttl });
          })
          .catch((error: unknown) => void call.emit('error', toServiceError(error)));
      });
      call.on('end', () => void queue.then(() => call.end()));
    },
    LeaseTimeToLive: unary<{ ID?: number; keys?: boolean }, object>(async (request) => {
      const id = numberOf(request.ID);
      const ttl = ctx.leases.timeToLive(id);
      // etcd answers -1 for a lease that does not exist (expired or never granted).
      if (!ttl) return { header: await now(), ID: id, TTL: -1, grantedTTL: 0, keys: [] };
      return { header: await now(), ID: id, TTL: ttl.remaining, grantedTTL: ttl.granted, keys: [] };
    }),
    LeaseLeases: unary<object, object>(async () => ({ header: await now(), leases: ctx.leases.ids().map((ID) => ({ ID })) })),
  };
}

export function maintenanceService(ctx: EtcdContext): UntypedServiceImplementation {
  return {
    Status: unary<object, object>(async () => {
      const s = await ctx.kv.status();
      return {
        header: header(ctx, s.revision),
        version: ETCD_VERSION,
        dbSize: s.dbSize,
        leader: ctx.identity.memberId,
        // Every write is one raft entry in etcd; the store's revision is the closest equivalent.
        raftIndex: s.revision,
        raftTerm: ctx.identity.raftTerm,
        raftAppliedIndex: s.revision,
        errors: [],
        dbSizeInUse: s.dbSize,
        isLearner: false,
      };
    }),
    // No alarm is ever raised (no disk quota, no corruption check): an empty list.
    Alarm: unary<object, object>(async () => ({ header: header(ctx, await currentRevision(ctx.kv)), alarms: [] })),
    // The store compacts its own files when it snapshots: nothing to do.
    Defragment: unary<object, object>(async () => ({ header: header(ctx, await currentRevision(ctx.kv)) })),
    Snapshot: (call: ServerWritableStream<object, object>) => {
      call.emit(
        'error',
        toServiceError(
          ERRORS.unimplemented("the sandbox's etcd endpoint cannot stream a bbolt snapshot (its store is not bbolt); to back the sandbox up, stop it and copy its data directory"),
        ),
      );
    },
  };
}

export function clusterService(ctx: EtcdContext): UntypedServiceImplementation {
  const fixed = () =>
    unary<object, object>(() =>
      Promise.reject(new EtcdRpcError(status.FAILED_PRECONDITION, "etcdserver: the sandbox's etcd is a single member; its membership cannot change")),
    );
  return {
    MemberList: unary<object, object>(async () => ({
      header: header(ctx, await currentRevision(ctx.kv)),
      members: [{ ID: ctx.identity.memberId, name: ctx.identity.name, peerURLs: [], clientURLs: [ctx.clientUrl()], isLearner: false }],
    })),
    MemberAdd: fixed(),
    MemberRemove: fixed(),
    MemberUpdate: fixed(),
    MemberPromote: fixed(),
  };
}
