// Conversions between etcd's wire shapes (byte keys, snake_case) and the store's KV contract
// (UTF-8 string keys), plus the identity every response header carries.
import { createHash } from 'node:crypto';
import { prefixEnd, type KeyValue } from '../sandbox/store/kv.js';
import type { KeyValueWire, ResponseHeader, Uint64 } from './proto.js';

export function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.alloc(0);
}

export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

export const keyOf = (value: unknown): string => bytesOf(value).toString('utf8');

/** Byte-wise prefix end, as etcdctl computes it for --prefix. */
function bytePrefixEnd(key: Buffer): Buffer {
  const end = Buffer.from(key);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * A range end as the store understands it: undefined for a single key, "\0" for "to the end".
 * A prefix end computed on bytes can split a UTF-8 character; it is mapped to the same prefix on
 * the string side so that `--prefix` on non-ASCII keys selects the same keys.
 */
export function rangeEndOf(key: Buffer, rangeEnd: unknown): string | undefined {
  const end = bytesOf(rangeEnd);
  if (end.length === 0) return undefined;
  if (end.length === 1 && end[0] === 0) return '\0';
  const asText = end.toString('utf8');
  if (Buffer.from(asText, 'utf8').equals(end)) return asText;
  if (bytePrefixEnd(key).equals(end)) return prefixEnd(key.toString('utf8'));
  return asText;
}

const EMPTY = Buffer.alloc(0);

export function kvToWire(kv: KeyValue, keysOnly = false): KeyValueWire {
  return {
    key: Buffer.from(kv.key, 'utf8'),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: keysOnly ? EMPTY : Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength),
    lease: kv.lease,
  };
}

/** Who this etcd says it is: one member of a one-member cluster. */
export interface EtcdIdentity {
  name: string;
  clusterId: Uint64;
  memberId: Uint64;
  /** etcd's raft term after a single member elects itself. */
  raftTerm: number;
}

/** Stable ids derived from the member's name, so that restarts report the same cluster. */
export function identityFor(name: string): EtcdIdentity {
  const id = (salt: string): Uint64 => {
    const digest = createHash('sha256').update(`${salt}:${name}`).digest();
    // Non-zero: etcd treats member id 0 as "no leader".
    return (digest.readBigUInt64BE(0) | 1n).toString();
  };
  return { name, clusterId: id('cluster'), memberId: id('member'), raftTerm: 2 };
}

export function headerFor(identity: EtcdIdentity, revision: number): ResponseHeader {
  return { cluster_id: identity.clusterId, member_id: identity.memberId, revision, raft_term: identity.raftTerm };
}
