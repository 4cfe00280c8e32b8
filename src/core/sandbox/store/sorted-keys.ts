// The store's sorted key index: chunks of sorted keys instead of one array, so that inserting a key
// in the middle moves at most a chunk, not every key after it. With one array, each new Event or
// Pod (their names sort anywhere) moved tens of thousands of entries once the store was large.
// Keys compare as JS strings (UTF-16 order, which is byte order for BMP text), as before.

/** A chunk splits in two past this size; lookups stay a binary search over chunks, then within one. */
const MAX_CHUNK = 512;

/** The index of the first key not below `key` in a sorted array. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedKeys {
  /** Non-empty chunks, each sorted, every key of a chunk below every key of the next. */
  private chunks: string[][] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** The chunk that holds `key` or would: the first whose last key is >= key (the last one if none). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid];
      if (chunk[chunk.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `key` (absent: the caller knows). */
  insert(key: string): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const last = this.chunks[this.chunks.length - 1];
    // Keys mostly arrive in order (snapshot loads, names that grow): append without a search.
    if (last[last.length - 1] < key) {
      if (last.length < MAX_CHUNK) last.push(key);
      else this.chunks.push([key]);
      return;
    }
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK >>> 1));
  }

  /**
   * Calls `visit` with each key >= `start` in order until it returns false. Keys inserted meanwhile
   * are not allowed (callers read, then write).
   */
  forEachFrom(start: string, visit: (key: string) => boolean): void {
    if (this.chunks.length === 0) return;
    let c = this.chunkFor(start);
    let i = lowerBound(this.chunks[c], start);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) if (!visit(chunk[i])) return;
    }
  }

  *[Symbol.iterator](): Generator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** A new index of the keys `keep` accepts, in order. */
  filter(keep: (key: string) => boolean): SortedKeys {
    const out = new SortedKeys();
    for (const chunk of this.chunks) for (const key of chunk) if (keep(key)) out.insert(key);
    return out;
  }
}
