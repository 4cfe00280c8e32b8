// Kubernetes' storage.Interface over any KV (k8s.io/apiserver/pkg/storage/etcd3 semantics): objects
// as JSON, resourceVersion = the KV mod revision, optimistic concurrency through txn compares.
import type { KubeObject } from '../../../shared/kube.js';
import { prefixEnd, type KV } from './kv.js';
import {
  asPrefix,
  checkPreconditions,
  decodeContinue,
  decodeObject,
  encodeContinue,
  encodeObject,
  parseResourceVersion,
  storedResult,
  toStorageError,
} from './object-codec.js';
import { StorageError, type CreateOptions, type GetOptions, type GuaranteedUpdateOptions, type ListOptions, type ListResult, type ObjectStorage, type Preconditions, type StorageWatch, type StorageWatchEvent, type StorageWatchOptions } from './storage.js';
import { startKvWatch } from './storage-watch.js';
import { cloneJson } from './json-clone.js';
import { WrittenObjects } from './written-objects.js';

/** Largest read when a predicate makes a page need several (kube-apiserver's maxLimit). */
const MAX_READ_LIMIT = 10_000;

export class KvObjectStorage implements ObjectStorage {
  /** What is being written, for this storage's watches to reuse instead of decoding (written-objects.ts). */
  readonly written = new WrittenObjects();

  constructor(readonly kv: KV) {}

  private async guard<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toStorageError(error, key);
    }
  }

  create(key: string, obj: KubeObject, options: CreateOptions = {}): Promise<KubeObject> {
    return this.guard(key, async () => {
      const value = encodeObject(obj);
      const release = this.written.hold(key, value, obj);
      let r;
      try {
        r = await this.kv.txn({
          compare: [{ key, target: 'mod', result: '=', value: 0 }],
          success: [{ type: 'put', key, value }],
          failure: [],
        });
      } finally {
        release();
      }
      if (!r.succeeded) throw new StorageError('KeyExists', key, `key ${key} already exists`);
      // What was written, not a parse of its bytes: several times cheaper, same result.
      return storedResult(obj, r.revision, options.owned === true);
    });
  }

  get(key: string, options: GetOptions = {}): Promise<KubeObject | undefined> {
    return this.guard(key, async () => {
      const minimum = parseResourceVersion(options.resourceVersion, key);
      const r = await this.kv.range(key);
      if (minimum > r.revision) {
        throw new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${minimum}, current: ${r.revision}`);
      }
      const kv = r.kvs[0];
      if (!kv) {
        if (options.ignoreNotFound) return undefined;
        throw new StorageError('KeyNotFound', key, `key ${key} not found`);
      }
      // The cache's object at the stored revision: a copy of it is what decoding would give, cheaper.
      const cached = options.cachedExisting?.(kv.modRevision);
      return cached ? cloneJson(cached) : decodeObject(key, kv.value, kv.modRevision);
    });
  }

  list(options: ListOptions): Promise<ListResult> {
    const prefix = asPrefix(options.prefix);
    return this.guard(prefix, async () => {
      const requested = parseResourceVersion(options.resourceVersion, prefix);
      let start = prefix;
      let revision = 0;
      if (options.continue) {
        const token = decodeContinue(options.continue, prefix);
        start = token.startKey;
        revision = token.revision;
      } else if (options.resourceVersionMatch === 'Exact' && requested > 0) {
        revision = requested;
      }
      const end = prefixEnd(prefix);
      const limit = options.limit && options.limit > 0 ? options.limit : 0;
      const predicate = options.predicate;
      const items: KubeObject[] = [];
      let hasMore = false;
      let lastKey = '';
      let remaining: number | undefined;
      let readLimit = limit;
      // With a predicate a page may need several reads: keep reading until it is full, as kube does.
      for (;;) {
        const r = await this.kv.range(start, { end, revision: revision || undefined, limit: readLimit });
        if (revision === 0) {
          revision = r.revision;
          if (requested > revision && options.resourceVersionMatch !== 'Exact') {
            throw new StorageError('TooLargeResourceVersion', prefix, `Too large resource version: ${requested}, current: ${revision}`);
          }
        }
        let filled = false;
        for (let i = 0; i < r.kvs.length; i++) {
          const kv = r.kvs[i];
          lastKey = kv.key;
          const obj = decodeObject(kv.key, kv.value, kv.modRevision);
          if (predicate && !predicate(obj)) continue;
          items.push(obj);
          if (limit && items.length >= limit) {
            filled = true;
            hasMore = i < r.kvs.length - 1 || r.more;
            if (hasMore && !predicate) remaining = r.count - (i + 1);
            break;
          }
        }
        if (filled || !r.more || r.kvs.length === 0) break;
        start = lastKey + '\0';
        // The predicate rejected much of this read: read more at once next time (kube does too).
        readLimit = Math.min(readLimit * 2, MAX_READ_LIMIT);
      }
      const result: ListResult = {
        items,
        resourceVersion: String(revision),
        continue: hasMore ? encodeContinue(lastKey + '\0', prefix, revision) : '',
      };
      if (remaining !== undefined && remaining > 0) result.remainingItemCount = remaining;
      return result;
    });
  }

  guaranteedUpdate(key: string, tryUpdate: (current: KubeObject | undefined) => Promise<KubeObject> | KubeObject, options: GuaranteedUpdateOptions = {}): Promise<KubeObject> {
    return this.guard(key, async () => {
      for (;;) {
        const r = await this.kv.range(key);
        const kv = r.kvs[0];
        // The cache's object at this very revision is what decoding would give, without the parse.
        const cached = kv ? options.cachedExisting?.(kv.modRevision) : undefined;
        const current = kv ? (cached ?? decodeObject(key, kv.value, kv.modRevision)) : undefined;
        if (!current && !options.ignoreNotFound) throw new StorageError('KeyNotFound', key, `key ${key} not found`);
        if (current) checkPreconditions(key, current, options.preconditions);
        // A decoded `current` is for this attempt alone and a cached one is frozen: no copy either way.
        const updated = await tryUpdate(current);
        const value = encodeObject(updated);
        // An update that changes no byte is not written (kube skips it too): no new revision, no event.
        if (kv && value.length === kv.value.length && Buffer.compare(value, kv.value) === 0) {
          return cached ? cloneJson(cached) : decodeObject(key, kv.value, kv.modRevision);
        }
        const release = this.written.hold(key, value, updated);
        let txn;
        try {
          txn = await this.kv.txn({
            compare: [{ key, target: 'mod', result: '=', value: kv ? kv.modRevision : 0 }],
            success: [{ type: 'put', key, value }],
            failure: [],
          });
        } finally {
          release();
        }
        if (txn.succeeded) return storedResult(updated, txn.revision, options.owned === true);
      }
    });
  }

  delete(
    key: string,
    options: { preconditions?: Preconditions; validateDeletion?: (current: KubeObject) => void } = {},
  ): Promise<KubeObject> {
    return this.guard(key, async () => {
      for (;;) {
        const r = await this.kv.range(key);
        const kv = r.kvs[0];
        if (!kv) throw new StorageError('KeyNotFound', key, `key ${key} not found`);
        const current = decodeObject(key, kv.value, kv.modRevision);
        checkPreconditions(key, current, options.preconditions);
        options.validateDeletion?.(cloneJson(current));
        const txn = await this.kv.txn({
          compare: [{ key, target: 'mod', result: '=', value: kv.modRevision }],
          success: [{ type: 'delete', key }],
          failure: [],
        });
        if (txn.succeeded) return decodeObject(key, kv.value, txn.revision);
      }
    });
  }

  watch(options: StorageWatchOptions, onEvent: (event: StorageWatchEvent) => void): StorageWatch {
    return startKvWatch(this, options, onEvent);
  }

  currentResourceVersion(): Promise<string> {
    // A read's header carries the store revision; cheaper than status() on etcd.
    return this.guard('', async () => String((await this.kv.range('/', { countOnly: true })).revision));
  }

  count(key: string): Promise<number> {
    const prefix = asPrefix(key);
    return this.guard(prefix, async () => (await this.kv.range(prefix, { end: prefixEnd(prefix), countOnly: true })).count);
  }
}

