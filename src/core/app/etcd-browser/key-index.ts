// A sorted in-memory index of every key, built once with keys-only pages and kept current by a
// watch, so opening a prefix at the current revision costs binary searches instead of etcd ranges
// (etcd counts the whole remaining range on every limited read: O(keys) per request).
import type { Disposable } from '../../../shared/disposable.js';
import { prefixEnd, type KV } from '../../sandbox/store/kv.js';
import { lowerBound } from '../../sandbox/store/sorted-keys.js';

const PAGE = 20_000;

export class KeyIndex implements Disposable {
  private keys: string[] = [];
  revision = 0;
  private watch: Disposable | undefined;
  private failed = false;

  private constructor() {}

  /** Reads every key at one revision, then follows changes from the next one. */
  static async build(kv: KV): Promise<KeyIndex> {
    const index = new KeyIndex();
    let cursor = '\0';
    let revision: number | undefined;
    for (;;) {
      const page = await kv.range(cursor, { end: '\0', keysOnly: true, limit: PAGE, revision });
      revision ??= page.revision;
      for (const item of page.kvs) index.keys.push(item.key);
      if (!page.more || page.kvs.length === 0) break;
      cursor = page.kvs[page.kvs.length - 1].key + '\0';
    }
    index.revision = revision ?? 0;
    const watcher = kv.watch('\0', { end: '\0', startRevision: index.revision + 1 }, {
      onEvents: (events, rev) => {
        for (const e of events) index.apply(e.type, e.kv.key);
        index.revision = Math.max(index.revision, rev);
      },
      // A broken watch makes the index stale: callers fall back to etcd ranges.
      onError: () => (index.failed = true),
    });
    index.watch = watcher;
    await watcher.ready;
    return index;
  }

  get usable(): boolean {
    return !this.failed;
  }

  private apply(type: 'put' | 'delete', key: string): void {
    const at = lowerBound(this.keys, key);
    const present = this.keys[at] === key;
    if (type === 'put' && !present) this.keys.splice(at, 0, key);
    else if (type === 'delete' && present) this.keys.splice(at, 1);
  }

  count(prefix: string): number {
    if (prefix === '') return this.keys.length;
    return lowerBound(this.keys, prefixEnd(prefix)) - lowerBound(this.keys, prefix);
  }

  /** Children of `prefix` after `after` (exclusive), at most `limit`, as the browser lists them. */
  children(prefix: string, after: string | undefined, limit: number): { name: string; key: string; leaf: boolean; count: number }[] {
    const out: { name: string; key: string; leaf: boolean; count: number }[] = [];
    const end = prefix === '' ? this.keys.length : lowerBound(this.keys, prefixEnd(prefix));
    let i = after === undefined ? lowerBound(this.keys, prefix) : lowerBound(this.keys, after.endsWith('/') ? prefixEnd(after) : after + '\0');
    while (i < end && out.length < limit) {
      const key = this.keys[i];
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        out.push({ name: rest, key, leaf: true, count: 1 });
        i++;
        continue;
      }
      const childPrefix = prefix + rest.slice(0, slash + 1);
      const next = lowerBound(this.keys, prefixEnd(childPrefix));
      out.push({ name: rest.slice(0, slash + 1), key: childPrefix, leaf: false, count: next - i });
      i = next;
    }
    return out;
  }

  dispose(): void {
    this.watch?.dispose();
  }
}
