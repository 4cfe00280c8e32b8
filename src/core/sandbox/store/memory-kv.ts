// EmbeddedKV: etcd's MVCC data model in memory, made durable by a write-ahead log with group commit
// and periodic snapshots. Writes are applied in call order; a write resolves, and its watch events
// are delivered, only once it is on disk. Reads that see not-yet-durable writes wait for them.
// KeyValues handed out (reads, watch events) are the store's own: treat them as immutable.
// History grows until compact() is called (see compactor.ts), as with etcd.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  CompactedError,
  FutureRevisionError,
  StoreUnavailableError,
  type DeleteResult,
  type KV,
  type OpResult,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type StoreStatus,
  type TxnRequest,
  type TxnResult,
  type WatchListener,
  type WatchOptions,
  type Watcher,
} from './kv.js';
import { lockDir, type DirLock } from './dir-lock.js';
import { MvccState, type Change } from './mvcc-state.js';
import { encodeSnapshot, readSnapshot, writeSnapshot } from './snapshot.js';
import { evaluateCompare, validateTxn } from './txn-eval.js';
import { listWalFiles, parseWal, WalWriter, type WalRecord } from './wal.js';
import { WatchHub } from './watch-hub.js';

export interface EmbeddedKVOptions {
  /** fdatasync each group commit (default true). Off only for tests and throwaway stores. */
  fsync?: boolean;
  /**
   * Take a snapshot and start a new WAL file after this many WAL records. Default: 20,000 or as many
   * as the last snapshot had entries, whichever is more (each snapshot costs as much as the state is
   * large: a fixed interval made a growing store spend most of its time snapshotting).
   */
  snapshotEvery?: number;
}

export class EmbeddedKV implements KV {
  private durableRevision: number;
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly hub: WatchHub;
  private recordsSinceSnapshot: number;
  private snapshotThreshold: number;
  private snapshotting: Promise<void> | undefined;
  private closed = false;
  private compactedToZero = false;

  private constructor(
    private readonly dir: string,
    private state: MvccState,
    private readonly writer: WalWriter,
    private readonly lock: DirLock,
    private readonly fsync: boolean,
    private readonly snapshotEvery: number,
    replayedRecords: number,
    private readonly adaptiveSnapshots = false,
  ) {
    this.snapshotThreshold = snapshotEvery;
    this.durableRevision = state.revision;
    this.recordsSinceSnapshot = replayedRecords;
    this.hub = new WatchHub(() => this.state, () => this.durableRevision);
  }

  static async open(dir: string, options: EmbeddedKVOptions = {}): Promise<EmbeddedKV> {
    const fsync = options.fsync ?? true;
    await fs.mkdir(dir, { recursive: true });
    const lock = await lockDir(dir);
    try {
      const { state, lastSeq, replayed } = await recover(dir);
      const writer = await WalWriter.open(dir, lastSeq, fsync);
      const kv = new EmbeddedKV(dir, state, writer, lock, fsync, options.snapshotEvery ?? 20_000, replayed, options.snapshotEvery === undefined);
      if (replayed >= kv.snapshotEvery) kv.startSnapshot();
      return kv;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private usable(): void {
    if (this.writer.failed) throw this.writer.failed;
    if (this.closed) throw new StoreUnavailableError(`the store in ${this.dir} is closed; open it again`);
  }

  private checkRevision(revision: number | undefined): void {
    if (!revision || revision <= 0) return;
    if (revision < this.state.compactRevision) throw new CompactedError(revision, this.state.compactRevision);
    if (revision > this.state.revision) throw new FutureRevisionError(revision, this.state.revision);
  }

  /** Resolves when everything applied so far is durable, so no read exposes a write that could be lost. */
  private async settled(): Promise<void> {
    if (this.state.revision <= this.durableRevision) return;
    await this.lastWrite;
    // The writes this read saw failed to reach the disk: do not return them.
    if (this.writer.failed) throw this.writer.failed;
  }

  async range(key: string, options: RangeOptions = {}): Promise<RangeResult> {
    this.usable();
    if (key === '') throw new Error('etcdserver: key is not provided');
    this.checkRevision(options.revision);
    const result = this.state.range(key, options.end, options.revision || this.state.revision, options);
    await this.settled();
    return result;
  }

  async put(key: string, value: Uint8Array, options: { lease?: number; prevKv?: boolean } = {}): Promise<PutResult> {
    const r = await this.txn({ compare: [], success: [{ type: 'put', key, value, ...options }], failure: [] });
    const op = r.results[0];
    return op.type === 'put' && op.prevKv ? { revision: r.revision, prevKv: op.prevKv } : { revision: r.revision };
  }

  async deleteRange(key: string, options: { end?: string; prevKv?: boolean } = {}): Promise<DeleteResult> {
    const r = await this.txn({ compare: [], success: [{ type: 'delete', key, ...options }], failure: [] });
    const op = r.results[0];
    if (op.type !== 'delete') throw new Error('internal: delete op produced no delete result');
    return op.prevKvs ? { revision: r.revision, deleted: op.deleted, prevKvs: op.prevKvs } : { revision: r.revision, deleted: op.deleted };
  }

  /** Evaluated and applied synchronously (so calls are serialized), acknowledged once durable. */
  async txn(request: TxnRequest): Promise<TxnResult> {
    this.usable();
    validateTxn(request);
    const succeeded = request.compare.every((c) => evaluateCompare(c, this.state.get(c.key)));
    const ops = succeeded ? request.success : request.failure;
    for (const op of ops) {
      if (op.type === 'range') this.checkRevision(op.revision);
      // No lease API here: like etcd, a lease that was never granted is refused.
      if (op.type === 'put' && op.lease) throw new Error(`etcdserver: requested lease not found (lease ${op.lease})`);
    }
    const revision = this.state.revision + 1;
    const changes: Change[] = [];
    const results: OpResult[] = [];
    for (const op of ops) {
      if (op.type === 'range') {
        results.push({ type: 'range', result: this.state.range(op.key, op.end, op.revision || this.state.revision, op) });
      } else if (op.type === 'put') {
        // A copy: the caller may reuse its buffer, and etcd would not see later changes to it either.
        const change: Change = { key: op.key, value: new Uint8Array(op.value), lease: op.lease ?? 0 };
        const [event] = this.state.apply(revision, [change]);
        changes.push(change);
        results.push(op.prevKv && event.prevKv ? { type: 'put', prevKv: event.prevKv } : { type: 'put' });
      } else {
        const victims = this.state.liveKeysIn(op.key, op.end);
        const dels: Change[] = victims.map((kv) => ({ key: kv.key }));
        this.state.apply(revision, dels);
        changes.push(...dels);
        results.push(op.prevKv ? { type: 'delete', deleted: victims.length, prevKvs: victims } : { type: 'delete', deleted: victims.length });
      }
    }
    const after = this.state.revision;
    if (changes.length > 0) await this.commit({ type: 'changes', revision, changes });
    else await this.settled();
    return { succeeded, revision: after, results };
  }

  private commit(record: WalRecord): Promise<void> {
    const durable = this.writer.append(record).then(() => {
      if (record.type === 'changes' && record.revision > this.durableRevision) {
        this.durableRevision = record.revision;
        this.hub.deliver();
      }
    });
    this.lastWrite = durable.catch(() => undefined);
    if (++this.recordsSinceSnapshot >= this.snapshotThreshold && !this.snapshotting) this.startSnapshot();
    return durable;
  }

  watch(key: string, options: WatchOptions, listener: WatchListener): Watcher {
    this.usable();
    return this.hub.add(key, options, listener);
  }

  async compact(revision: number): Promise<void> {
    this.usable();
    try {
      this.checkCompact(revision);
    } catch (error) {
      if (error instanceof NothingToCompact) return;
      throw error;
    }
    // Watchers must have received every event below the compaction point before it is forgotten.
    await this.settled();
    this.usable();
    this.checkCompact(revision);
    this.state.compact(revision);
    this.hub.deliver();
    await this.commit({ type: 'compact', revision });
    if (!this.snapshotting) this.startSnapshot();
  }

  private checkCompact(revision: number): void {
    // etcd starts with compact revision -1, so one compaction to 0 succeeds (and changes nothing).
    if (revision === 0 && this.state.compactRevision === 0 && !this.compactedToZero) {
      this.compactedToZero = true;
      throw new NothingToCompact();
    }
    if (revision <= this.state.compactRevision) throw new CompactedError(revision, this.state.compactRevision);
    if (revision > this.state.revision) throw new FutureRevisionError(revision, this.state.revision);
  }

  async status(): Promise<StoreStatus> {
    this.usable();
    let dbSize = 0;
    for (const name of await fs.readdir(this.dir)) {
      const stat = await fs.stat(join(this.dir, name)).catch(() => undefined);
      if (stat?.isFile()) dbSize += stat.size;
    }
    return { revision: this.state.revision, compactRevision: this.state.compactRevision, dbSize, keys: this.state.liveKeys };
  }

  /**
   * Serializes the state now (at the current revision), switches to a new WAL file, and once the
   * older files are durable writes the snapshot and deletes them. A crash at any step leaves a
   * snapshot plus WAL files that replay to the same state.
   */
  private startSnapshot(): void {
    const data = encodeSnapshot(this.state);
    this.recordsSinceSnapshot = 0;
    // Amortized: the WAL since a snapshot may grow as large as the snapshot before a new one is taken.
    if (this.adaptiveSnapshots) this.snapshotThreshold = Math.max(this.snapshotEvery, this.state.entryCount);
    const rotated = this.writer.rotate();
    this.snapshotting = (async () => {
      const seq = await rotated;
      await writeSnapshot(this.dir, data, this.fsync);
      for (const file of await listWalFiles(this.dir)) if (file.seq < seq) await fs.rm(file.path, { force: true });
    })()
      // A failed snapshot loses nothing: the WAL files it would replace are still there.
      .catch(() => undefined)
      .finally(() => (this.snapshotting = undefined));
  }

  /** Waits for pending writes and any snapshot in progress, then releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lastWrite;
    await this.snapshotting;
    // Leave a fresh snapshot so that the next open reads one file instead of replaying the WAL.
    if (!this.writer.failed && this.recordsSinceSnapshot >= 1000) {
      this.startSnapshot();
      await this.snapshotting;
    }
    await this.writer.close();
    this.hub.closeAll(new StoreUnavailableError(`the store in ${this.dir} was closed`));
    await this.lock.release();
  }
}

class NothingToCompact extends Error {}

async function recover(dir: string): Promise<{ state: MvccState; lastSeq: number; replayed: number }> {
  const state = (await readSnapshot(dir)) ?? new MvccState();
  const files = await listWalFiles(dir);
  let replayed = 0;
  for (let i = 0; i < files.length; i++) {
    const { path } = files[i];
    const data = await fs.readFile(path);
    const isLast = i === files.length - 1;
    const parsed = parseWal(path, data, isLast);
    for (const record of parsed.records) {
      if (record.type === 'compact') {
        if (record.revision > state.compactRevision && record.revision <= state.revision) state.compact(record.revision);
        continue;
      }
      if (record.revision <= state.revision) continue;
      if (record.revision !== state.revision + 1) {
        throw new Error(
          `WAL file ${path} continues at revision ${record.revision} but the store is at ${state.revision}: ` +
            'a WAL file or the snapshot is missing. Restore the store directory from a backup.',
        );
      }
      state.apply(record.revision, record.changes);
      state.revision = record.revision;
      replayed++;
    }
    // Drop a torn tail so that new records are not appended after garbage.
    if (isLast && parsed.validLength < data.length) await fs.truncate(path, parsed.validLength);
  }
  return { state, lastSeq: files.length > 0 ? files[files.length - 1].seq : 1, replayed };
}
