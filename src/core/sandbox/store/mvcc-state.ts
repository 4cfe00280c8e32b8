// The in-memory multi-version state behind EmbeddedKV: a sorted key index for ranges (sorted-keys.ts),
// a revision list per key for reads in the past, and a log of changes per revision for watch replay.
// Pure data structure: no I/O, no promises, so the WAL can replay into it and tests can reason about it.
import type { KeyValue, RangeResult, WatchEvent } from './kv.js';
import { SortedKeys } from './sorted-keys.js';

/** One key's change in a revision, as stored in the WAL: a put (value set) or a delete. */
export interface Change {
  key: string;
  /** undefined: delete. */
  value?: Uint8Array;
  lease?: number;
}

export interface RevisionChanges {
  revision: number;
  events: WatchEvent[];
}

const EMPTY = new Uint8Array(0);

/** True when `key` lies in [start, end) with etcd's conventions (end undefined: the key itself; "\0": to the end). */
export function inRange(key: string, start: string, end: string | undefined): boolean {
  if (end === undefined || end === '') return key === start;
  if (end === '\0') return key >= start;
  return key >= start && key < end;
}

/** Index of the last entry with modRevision <= revision, or -1. */
function entryAt(entries: KeyValue[], revision: number): number {
  const last = entries.length - 1;
  if (last >= 0 && entries[last].modRevision <= revision) return last;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].modRevision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const isLive = (kv: KeyValue | undefined): kv is KeyValue => kv !== undefined && kv.version > 0;

export class MvccState {
  revision = 1;
  compactRevision = 0;
  liveKeys = 0;
  /** Every key with retained history, sorted (UTF-16 order, which is byte order for BMP text). */
  private keys = new SortedKeys();
  /** Per key: puts and tombstones (version 0), ascending modRevision. */
  private history = new Map<string, KeyValue[]>();
  /** Changes per revision, ascending, for revisions >= compactRevision. */
  private log: RevisionChanges[] = [];

  /** The live value of a key at a revision (current when omitted). */
  get(key: string, revision = this.revision): KeyValue | undefined {
    const entries = this.history.get(key);
    if (!entries) return undefined;
    const kv = entries[entryAt(entries, revision)];
    return isLive(kv) ? kv : undefined;
  }

  /** Live keys in [key, end) at `revision`; the caller has validated the revision. */
  range(
    key: string,
    end: string | undefined,
    revision: number,
    options: { limit?: number; keysOnly?: boolean; countOnly?: boolean } = {},
  ): RangeResult {
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const kvs: KeyValue[] = [];
    let count = 0;
    const take = (kv: KeyValue | undefined): void => {
      if (!isLive(kv)) return;
      count++;
      if (options.countOnly || kvs.length >= limit) return;
      kvs.push(options.keysOnly ? { ...kv, value: EMPTY } : kv);
    };
    if (end === undefined || end === '') {
      take(this.get(key, revision));
    } else if (end === '\0' || key < end) {
      const toEnd = end === '\0';
      this.keys.forEachFrom(key, (k) => {
        if (!toEnd && k >= end) return false;
        const entries = this.history.get(k);
        if (entries) take(entries[entryAt(entries, revision)]);
        return true;
      });
    }
    return { kvs, count, more: count > kvs.length && !options.countOnly, revision: this.revision };
  }

  /** Current keys in [key, end), for expanding a delete range into single-key changes. */
  liveKeysIn(key: string, end: string | undefined): KeyValue[] {
    return this.range(key, end, this.revision).kvs;
  }

  /** Applies one revision's changes (already validated: at most one change per key). */
  apply(revision: number, changes: Change[]): WatchEvent[] {
    const events: WatchEvent[] = [];
    for (const change of changes) {
      let entries = this.history.get(change.key);
      const prev = entries?.[entries.length - 1];
      const prevLive = isLive(prev) ? prev : undefined;
      if (change.value === undefined) {
        if (!prevLive || !entries) continue;
        const tomb: KeyValue = { key: change.key, value: EMPTY, createRevision: 0, modRevision: revision, version: 0, lease: 0 };
        entries.push(tomb);
        this.liveKeys--;
        events.push({ type: 'delete', kv: tomb, prevKv: prevLive });
        continue;
      }
      const kv: KeyValue = {
        key: change.key,
        value: change.value,
        createRevision: prevLive ? prevLive.createRevision : revision,
        modRevision: revision,
        version: prevLive ? prevLive.version + 1 : 1,
        lease: change.lease ?? 0,
      };
      if (!entries) {
        entries = [];
        this.history.set(change.key, entries);
        this.keys.insert(change.key);
      }
      entries.push(kv);
      if (!prevLive) this.liveKeys++;
      events.push(prevLive ? { type: 'put', kv, prevKv: prevLive } : { type: 'put', kv });
    }
    if (events.length > 0) {
      this.revision = revision;
      // A transaction applies its ops one by one at the same revision: merge them into one entry.
      const last = this.log[this.log.length - 1];
      if (last && last.revision === revision) last.events.push(...events);
      else this.log.push({ revision, events });
    }
    return events;
  }

  /** Changes of revisions >= from (and <= to), in order. */
  changesSince(from: number, to = this.revision): RevisionChanges[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid].revision < from) lo = mid + 1;
      else hi = mid;
    }
    const out: RevisionChanges[] = [];
    for (let i = lo; i < this.log.length && this.log[i].revision <= to; i++) out.push(this.log[i]);
    return out;
  }

  /**
   * Forgets history below `revision`: reads at `revision` and later still see the same data. Keeps
   * for each key its latest entry at or below `revision` unless that entry is a tombstone (etcd).
   */
  compact(revision: number): void {
    this.compactRevision = revision;
    this.keys = this.keys.filter((key) => {
      const entries = this.history.get(key);
      if (!entries) return false;
      const at = entryAt(entries, revision);
      let from = at < 0 ? 0 : at;
      // As etcd: a tombstone at or below the compaction point goes, with everything before it.
      if (at >= 0 && entries[at].version === 0) from = at + 1;
      const rest = from === 0 ? entries : entries.slice(from);
      if (rest.length === 0) {
        this.history.delete(key);
        return false;
      }
      if (rest !== entries) this.history.set(key, rest);
      return true;
    });
    this.log = this.changesSince(revision);
    // etcd can replay only what survives in its backend at the compaction revision: its puts,
    // without the previous values (those are compacted), and no deletions.
    const first = this.log[0];
    if (first && first.revision === revision) {
      first.events = first.events.filter((e) => e.type === 'put').map((e) => ({ type: e.type, kv: e.kv }));
      if (first.events.length === 0) this.log.shift();
    }
  }

  /** Every retained entry, grouped by key in key order, for the snapshot. */
  *entries(): Generator<KeyValue> {
    for (const key of this.keys) {
      const entries = this.history.get(key);
      if (entries) yield* entries;
    }
  }

  get entryCount(): number {
    let n = 0;
    for (const entries of this.history.values()) n += entries.length;
    return n;
  }

  /** Rebuilds the state from snapshot entries (grouped by key, keys ascending, revisions ascending). */
  static fromEntries(revision: number, compactRevision: number, all: Iterable<KeyValue>): MvccState {
    const state = new MvccState();
    state.revision = revision;
    state.compactRevision = compactRevision;
    const events: WatchEvent[] = [];
    let prev: KeyValue | undefined;
    let entries: KeyValue[] | undefined;
    for (const kv of all) {
      if (!entries || prev?.key !== kv.key) {
        entries = [];
        state.history.set(kv.key, entries);
        state.keys.insert(kv.key);
        prev = undefined;
      }
      entries.push(kv);
      if (kv.modRevision >= compactRevision) {
        const event: WatchEvent = { type: kv.version === 0 ? 'delete' : 'put', kv };
        if (isLive(prev)) event.prevKv = prev;
        events.push(event);
      }
      prev = kv;
    }
    for (const list of state.history.values()) if (isLive(list[list.length - 1])) state.liveKeys++;
    events.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
    for (const event of events) {
      const last = state.log[state.log.length - 1];
      if (last && last.revision === event.kv.modRevision) last.events.push(event);
      else state.log.push({ revision: event.kv.modRevision, events: [event] });
    }
    return state;
  }
}
