// etcd's wire key-values (Buffers, int64 as strings) to the KV contract's shape.
import type { IKeyValue } from 'etcd3';
import type { KeyValue } from './kv.js';

export function fromEtcdKv(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: new Uint8Array(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
    lease: Number(kv.lease),
  };
}
