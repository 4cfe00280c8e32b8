// Reads one etcd for the registry browser through the KV contract (EtcdKV: the etcd3 client), so
// the sandbox's endpoint and a real cluster's etcd are browsed the same way. Listing walks keys by
// path segment: a keys-only page finds the next child, a count-only range counts everything under
// it, and the walk jumps past it, so a prefix of 100,000 keys costs a few round trips per child.
import type { Disposable } from '../../../shared/disposable.js';
import type { RegistryChild, RegistryHistory, RegistryListing, RegistryValue, RegistryWatchEvent } from '../../../shared/rpc/registry-contract.js';
import { CompactedError, bytes, prefixEnd, type KV, type KeyValue } from '../../sandbox/store/kv.js';
import { etcdctl } from './etcdctl-commands.js';
import { KeyIndex } from './key-index.js';
import { decodeRegistryValue } from './value-decoder.js';

const PAGE = 500;
const DEFAULT_CHILDREN = 1000;
/** Below etcd's default --max-txn-ops (128). */
const TXN_OPS = 100;

export class RegistryWriteRefused extends Error {}

export class RegistryBrowser {
  private index: KeyIndex | undefined;
  private disposed = false;

  constructor(
    readonly kv: KV,
    /** `ETCDCTL_API=3 etcdctl --cacert ... --endpoints ...`, for the commands shown next to views. */
    readonly etcdctlBase: string,
  ) {}

  /**
   * Builds the key index that serves listings at the current revision (one keys-only scan, then a
   * watch). Without it every listing reads etcd, which is fine for small registries and past revisions.
   */
  async indexKeys(): Promise<void> {
    if (this.index || this.disposed) return;
    const index = await KeyIndex.build(this.kv);
    // Closed while building (it takes seconds on a big registry): drop it rather than leak its watch.
    if (this.disposed || this.index) index.dispose();
    else this.index = index;
  }

  dispose(): void {
    this.disposed = true;
    this.index?.dispose();
    this.index = undefined;
  }

  async status(): Promise<{ revision: number; compactRevision: number }> {
    const s = await this.kv.status();
    return { revision: s.revision, compactRevision: s.compactRevision };
  }

  /**
   * The children of `prefix` (which should end in `/`, or be '' for the root), sorted, at one
   * revision (the current one unless given). `after`: continue a listing past that child key.
   */
  async list(prefix: string, options: { revision?: number; after?: string; limit?: number } = {}): Promise<RegistryListing> {
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_CHILDREN, 10_000));
    const index = this.index;
    if (!options.revision && index?.usable) {
      const all = index.children(prefix, options.after, limit + 1);
      const children = all.slice(0, limit);
      return {
        prefix,
        revision: index.revision,
        total: index.count(prefix),
        children,
        next: all.length > limit ? children[children.length - 1].key : undefined,
        command: etcdctl.list(this.etcdctlBase, prefix || '/'),
      };
    }
    const end = prefix === '' ? '\0' : prefixEnd(prefix);
    const totalResult = await this.kv.range(prefix === '' ? '\0' : prefix, { end, countOnly: true, revision: options.revision });
    // Every following read at the same revision: a consistent picture even while others write.
    const revision = options.revision || totalResult.revision;
    const children: RegistryChild[] = [];
    let cursor = options.after ? options.after + '\0' : prefix === '' ? '\0' : prefix;
    if (options.after?.endsWith('/')) cursor = prefixEnd(options.after);
    let next: string | undefined;
    // After jumping past a prefix the next key often opens another prefix: read one key, not a page.
    let afterJump = false;
    outer: while (cursor < end || end === '\0') {
      const page = await this.kv.range(cursor, { end, keysOnly: true, limit: afterJump ? 1 : PAGE, revision });
      afterJump = false;
      if (page.kvs.length === 0) break;
      for (const kv of page.kvs) {
        if (children.length >= limit) {
          next = children[children.length - 1].key;
          break outer;
        }
        const rest = kv.key.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash < 0) {
          children.push({ name: rest, key: kv.key, leaf: true, count: 1 });
          cursor = kv.key + '\0';
          continue;
        }
        const childPrefix = prefix + rest.slice(0, slash + 1);
        children.push({ name: rest.slice(0, slash + 1), key: childPrefix, leaf: false, count: 0 });
        cursor = prefixEnd(childPrefix);
        afterJump = true;
        continue outer;
      }
      if (!page.more) break;
    }
    await this.countPrefixes(children.filter((c) => !c.leaf), revision);
    return { prefix, revision, total: totalResult.count, children, next, command: etcdctl.list(this.etcdctlBase, prefix || '/', options.revision) };
  }

  /** Counts under many prefixes in few round trips: count-only ranges batched in transactions. */
  private async countPrefixes(prefixes: RegistryChild[], revision: number): Promise<void> {
    const batches: RegistryChild[][] = [];
    for (let i = 0; i < prefixes.length; i += TXN_OPS) batches.push(prefixes.slice(i, i + TXN_OPS));
    await Promise.all(
      batches.map(async (batch) => {
        const result = await this.kv.txn({
          compare: [],
          success: batch.map((c) => ({ type: 'range' as const, key: c.key, end: prefixEnd(c.key), countOnly: true, revision })),
          failure: [],
        });
        result.results.forEach((r, i) => {
          if (r.type === 'range') batch[i].count = r.result.count;
        });
      }),
    );
  }

  /** Keys containing `query` (case-insensitive), first `limit` of them. */
  async search(query: string, options: { revision?: number; limit?: number } = {}): Promise<{ keys: string[]; command: string }> {
    const limit = options.limit ?? 200;
    const needle = query.toLowerCase();
    const keys: string[] = [];
    let cursor = '\0';
    let revision = options.revision;
    for (;;) {
      const page = await this.kv.range(cursor, { end: '\0', keysOnly: true, limit: 5000, revision });
      revision ??= page.revision;
      for (const kv of page.kvs) {
        if (kv.key.toLowerCase().includes(needle)) keys.push(kv.key);
        if (keys.length >= limit) return { keys, command: etcdctl.search(this.etcdctlBase, query, options.revision) };
      }
      if (!page.more || page.kvs.length === 0) break;
      cursor = page.kvs[page.kvs.length - 1].key + '\0';
    }
    return { keys, command: etcdctl.search(this.etcdctlBase, query, options.revision) };
  }

  async get(key: string, revision?: number): Promise<RegistryValue | null> {
    const result = await this.kv.range(key, { revision });
    const kv = result.kvs[0];
    return kv ? this.describe(kv, revision) : null;
  }

  private describe(kv: KeyValue, revision?: number): RegistryValue {
    return {
      key: kv.key,
      createRevision: kv.createRevision,
      modRevision: kv.modRevision,
      version: kv.version,
      lease: kv.lease,
      size: kv.value.length,
      value: decodeRegistryValue(kv.value),
      command: etcdctl.get(this.etcdctlBase, kv.key, revision),
    };
  }

  /**
   * Every revision of the key's current life still kept, newest first: each version is read at
   * (its mod revision - 1) to find the one before, back to the create revision or the compaction.
   */
  async history(key: string): Promise<RegistryHistory> {
    const entries: RegistryValue[] = [];
    let truncated = false;
    let current: KeyValue | undefined = (await this.kv.range(key)).kvs[0];
    const createRevision = current?.createRevision ?? 0;
    while (current) {
      entries.push(this.describe(current, current.modRevision));
      if (current.modRevision <= current.createRevision) break;
      try {
        const previous: KeyValue | undefined = (await this.kv.range(key, { revision: current.modRevision - 1 })).kvs[0];
        current = previous && previous.createRevision === createRevision ? previous : undefined;
      } catch (error) {
        if (!(error instanceof CompactedError)) throw error;
        truncated = true;
        current = undefined;
      }
    }
    return { key, entries, truncated, command: etcdctl.history(this.etcdctlBase, key, createRevision || 1) };
  }

  /** Events under `prefix` from now on, batched per revision. */
  watch(prefix: string, watchId: string, listener: (event: RegistryWatchEvent) => void): Disposable & { ready: Promise<void>; command: string } {
    const watcher = this.kv.watch(prefix, { end: prefixEnd(prefix) }, {
      onEvents: (events, revision) =>
        listener({
          watchId,
          revision,
          events: events.map((e) => ({ type: e.type, key: e.kv.key, modRevision: e.kv.modRevision, version: e.kv.version })),
        }),
      onError: (error) => listener({ watchId, revision: 0, events: [], error: error.message }),
    });
    return { ready: watcher.ready, dispose: () => watcher.dispose(), command: etcdctl.watch(this.etcdctlBase, prefix) };
  }

  /**
   * Writes `value` only if the key's mod revision is still `expectedModRevision` (0: the key must
   * not exist). This bypasses the API server's validation and admission: the caller warns first.
   */
  async put(key: string, value: string, expectedModRevision: number): Promise<{ ok: boolean; modRevision: number }> {
    if (!key.startsWith('/')) throw new RegistryWriteRefused(`refusing to write ${JSON.stringify(key)}: registry keys start with "/"`);
    const result = await this.kv.txn({
      compare: [{ key, target: 'mod', result: '=', value: expectedModRevision }],
      success: [{ type: 'put', key, value: bytes(value) }],
      failure: [{ type: 'range', key }],
    });
    if (result.succeeded) return { ok: true, modRevision: result.revision };
    const now = result.results[0];
    const kv = now && now.type === 'range' ? now.result.kvs[0] : undefined;
    return { ok: false, modRevision: kv?.modRevision ?? 0 };
  }
}
