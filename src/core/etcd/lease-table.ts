// etcd's leases, kept by the endpoint itself: grant, keep alive, expire, revoke. The sandbox's store
// attaches no keys to leases (it refuses non-zero lease ids), so a lease here owns no keys and a put
// on a granted lease is refused as unimplemented (see txn.ts).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import type { Disposable } from '../../shared/disposable.js';
import { ERRORS } from './grpc-errors.js';
import type { LeaseLookup } from './txn.js';

/** etcd's MaxLeaseTTL. */
export const MAX_LEASE_TTL = 9_000_000_000;
/** etcd's minimum TTL with default heartbeat (100 ms) and election (1 s) settings, rounded up. */
export const MIN_LEASE_TTL = 2;

interface Lease {
  id: number;
  grantedTtl: number;
  ttl: number;
  expiresAt: number;
  timer: Disposable;
}

export class LeaseTable implements LeaseLookup {
  private readonly leases = new Map<number, Lease>();

  constructor(private readonly clock: Clock) {}

  exists(id: number): boolean {
    return this.leases.has(id);
  }

  grant(ttlSeconds: number, requestedId: number): { id: number; ttl: number } {
    if (ttlSeconds > MAX_LEASE_TTL) throw ERRORS.leaseTtlTooLarge();
    if (requestedId !== 0 && this.leases.has(requestedId)) throw ERRORS.leaseExist();
    let id = requestedId;
    // 48 random bits: unique enough, and exact as a JavaScript number.
    while (id === 0 || this.leases.has(id)) id = randomBytes(6).readUIntBE(0, 6);
    const ttl = Math.max(ttlSeconds, MIN_LEASE_TTL);
    const lease: Lease = { id, grantedTtl: ttl, ttl, expiresAt: 0, timer: { dispose: () => undefined } };
    this.leases.set(id, lease);
    this.arm(lease);
    return { id, ttl };
  }

  private arm(lease: Lease): void {
    lease.timer.dispose();
    lease.expiresAt = this.clock.now().getTime() + lease.ttl * 1000;
    lease.timer = this.clock.setTimeout(() => this.leases.delete(lease.id), lease.ttl * 1000);
  }

  revoke(id: number): void {
    const lease = this.leases.get(id);
    if (!lease) throw ERRORS.leaseNotFound();
    lease.timer.dispose();
    this.leases.delete(id);
  }

  /** The renewed TTL, or 0 when the lease does not exist (etcd answers so, without an error). */
  keepAlive(id: number): number {
    const lease = this.leases.get(id);
    if (!lease) return 0;
    this.arm(lease);
    return lease.ttl;
  }

  /** Remaining and granted TTL in seconds; undefined when the lease does not exist. */
  timeToLive(id: number): { remaining: number; granted: number } | undefined {
    const lease = this.leases.get(id);
    if (!lease) return undefined;
    const remaining = Math.max(0, Math.floor((lease.expiresAt - this.clock.now().getTime()) / 1000));
    return { remaining, granted: lease.grantedTtl };
  }

  ids(): number[] {
    return [...this.leases.keys()];
  }

  dispose(): void {
    for (const lease of this.leases.values()) lease.timer.dispose();
    this.leases.clear();
  }
}
