// Write-ahead log: append-only files of framed records [u32 length][u32 crc32][payload], written
// with group commit (every record queued while a write+fdatasync is running goes into the next
// one). A record's promise resolves only once its batch is on disk.
import { constants as fsConstants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter } from './binary.js';
import type { Change } from './mvcc-state.js';
import { StoreUnavailableError } from './kv.js';

export type WalRecord = { type: 'changes'; revision: number; changes: Change[] } | { type: 'compact'; revision: number };

const REC_CHANGES = 1;
const REC_COMPACT = 2;
const OP_PUT = 1;
const OP_DELETE = 2;
const HEADER = 8;
/** No legitimate record is this large; a bigger length field is damage, not data. */
const MAX_RECORD = 1 << 30;

/** A record's exact encoded size, so that it is written into one buffer with no regrowth or copy. */
function recordSize(record: WalRecord): number {
  let size = HEADER + 1 + 8;
  if (record.type !== 'changes') return size;
  size += 4;
  for (const c of record.changes) {
    size += 1 + 4 + Buffer.byteLength(c.key);
    if (c.value !== undefined) size += 8 + 4 + c.value.length;
  }
  return size;
}

export function encodeRecord(record: WalRecord): Buffer {
  const w = new ByteWriter(recordSize(record));
  w.u32(0);
  w.u32(0);
  w.u8(record.type === 'changes' ? REC_CHANGES : REC_COMPACT);
  w.f64(record.revision);
  if (record.type === 'changes') {
    w.u32(record.changes.length);
    for (const c of record.changes) {
      w.u8(c.value === undefined ? OP_DELETE : OP_PUT);
      w.string(c.key);
      if (c.value !== undefined) {
        w.f64(c.lease ?? 0);
        w.bytes(c.value);
      }
    }
  }
  const frame = w.finish();
  frame.writeUInt32LE(frame.length - HEADER, 0);
  frame.writeUInt32LE(crc32(frame.subarray(HEADER)), 4);
  return frame;
}

function decodePayload(payload: Buffer): WalRecord {
  const r = new ByteReader(payload);
  const type = r.u8();
  const revision = r.f64();
  if (type === REC_COMPACT) return { type: 'compact', revision };
  if (type !== REC_CHANGES) throw new Error(`unknown record type ${type}`);
  const n = r.u32();
  const changes: Change[] = [];
  for (let i = 0; i < n; i++) {
    const op = r.u8();
    const key = r.string();
    if (op === OP_PUT) {
      const lease = r.f64();
      changes.push({ key, value: r.bytes(), lease });
    } else if (op === OP_DELETE) {
      changes.push({ key });
    } else throw new Error(`unknown op ${op}`);
  }
  if (!r.done) throw new Error('trailing bytes in record');
  return { type: 'changes', revision, changes };
}

/** The record framed at `offset`, or undefined when the bytes there are not a whole valid record. */
function recordAt(data: Buffer, offset: number): { record: WalRecord; next: number } | undefined {
  if (offset + HEADER > data.length) return undefined;
  const length = data.readUInt32LE(offset);
  if (length < 9 || length > MAX_RECORD || offset + HEADER + length > data.length) return undefined;
  const payload = data.subarray(offset + HEADER, offset + HEADER + length);
  if (crc32(payload) !== data.readUInt32LE(offset + 4)) return undefined;
  try {
    return { record: decodePayload(payload), next: offset + HEADER + length };
  } catch {
    return undefined;
  }
}

export interface WalFileContents {
  records: WalRecord[];
  /** Bytes of whole valid records; anything after is a torn tail (only possible in the last file). */
  validLength: number;
}

export class WalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    lastGoodRevision: number,
  ) {
    super(
      `WAL file ${file} is corrupt at byte ${offset} and valid records follow, so this is damage, not an ` +
        `interrupted write. Restore the store directory from a backup; or, to keep what precedes the damage ` +
        `(up to revision ${lastGoodRevision}) and lose later writes, truncate ${file} to ${offset} bytes and open again.`,
    );
    this.name = 'WalCorruptError';
  }
}

/**
 * What an interrupted append leaves: a record cut short (its header, or its declared length, runs
 * past the end of the file) or bytes never written (zeros). A whole record that fails its checksum,
 * or garbage whose length field makes no sense, is damage: refusing it beats opening an empty cluster.
 */
function looksTorn(data: Buffer, offset: number): boolean {
  const tail = data.subarray(offset);
  if (tail.every((b) => b === 0)) return true;
  if (tail.length < HEADER) return true;
  const length = tail.readUInt32LE(0);
  return length >= 9 && length <= MAX_RECORD && HEADER + length > tail.length;
}

/**
 * Parses a WAL file. A damaged record with nothing valid after it is a write interrupted by a crash
 * (those writes were never acknowledged); damage followed by valid records is refused.
 */
export function parseWal(file: string, data: Buffer, allowTornTail: boolean): WalFileContents {
  const records: WalRecord[] = [];
  let offset = 0;
  let lastRevision = 0;
  while (offset < data.length) {
    const at = recordAt(data, offset);
    if (!at) break;
    records.push(at.record);
    lastRevision = at.record.revision;
    offset = at.next;
  }
  if (offset < data.length) {
    for (let probe = offset + 1; probe + HEADER < data.length; probe++) {
      const later = recordAt(data, probe);
      if (later && later.record.revision > lastRevision) throw new WalCorruptError(file, offset, lastRevision);
    }
    if (!allowTornTail || !looksTorn(data, offset)) throw new WalCorruptError(file, offset, lastRevision);
  }
  return { records, validLength: offset };
}

export const walFileName = (seq: number): string => `wal-${String(seq).padStart(16, '0')}.log`;

export async function listWalFiles(dir: string): Promise<{ seq: number; path: string }[]> {
  const names = await fs.readdir(dir);
  return names
    .map((name) => /^wal-(\d{16})\.log$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ seq: Number(m[1]), path: join(dir, m[0]) }))
    .sort((a, b) => a.seq - b.seq);
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Where the platform has O_DSYNC, the WAL is opened with it: each write returns once its data is on
 * disk, as write + fdatasync would, in one system call and one trip through libuv's thread pool
 * instead of two per group commit.
 */
const DSYNC: number | undefined = fsConstants.O_DSYNC;

function openWalFile(dir: string, seq: number, fsync: boolean): Promise<fs.FileHandle> {
  const path = join(dir, walFileName(seq));
  if (!fsync || DSYNC === undefined) return fs.open(path, 'a');
  return fs.open(path, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | DSYNC, 0o666);
}

type QueueItem =
  | { kind: 'data'; frame: Buffer; resolve: () => void; reject: (e: Error) => void }
  | { kind: 'rotate'; seq: number; resolve: () => void; reject: (e: Error) => void };

/** Appends records to the current WAL file with group commit; rotates to a new file on request. */
export class WalWriter {
  private queue: QueueItem[] = [];
  private running = false;
  private failure: Error | undefined;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | undefined;
  bytesWritten = 0;

  private constructor(
    private readonly dir: string,
    private handle: fs.FileHandle,
    public seq: number,
    private readonly fsync: boolean,
  ) {}

  static async open(dir: string, seq: number, fsync: boolean): Promise<WalWriter> {
    const handle = await openWalFile(dir, seq, fsync);
    if (fsync) await fsyncDir(dir);
    return new WalWriter(dir, handle, seq, fsync);
  }

  /** Queues a record; resolves once it is durable. Synchronous enqueue keeps records in call order. */
  append(record: WalRecord): Promise<void> {
    return this.enqueue((resolve, reject) => ({ kind: 'data', frame: encodeRecord(record), resolve, reject }));
  }

  /** Queues a switch to a new file; resolves when every earlier record is durable and the new file exists. */
  rotate(): Promise<number> {
    const seq = this.seq + 1;
    this.seq = seq;
    return this.enqueue((resolve, reject) => ({ kind: 'rotate', seq, resolve, reject })).then(() => seq);
  }

  private enqueue(make: (resolve: () => void, reject: (e: Error) => void) => QueueItem): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed; open it again to write'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push(make(resolve, reject));
      if (!this.running) {
        this.running = true;
        this.idle = new Promise((r) => (this.idleResolve = r));
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      const head = this.queue[0];
      if (head.kind === 'rotate') {
        this.queue.shift();
        try {
          await this.handle.close();
          this.handle = await openWalFile(this.dir, head.seq, this.fsync);
          if (this.fsync) await fsyncDir(this.dir);
          head.resolve();
        } catch (error) {
          this.fail(error, head);
        }
        continue;
      }
      let end = 0;
      while (end < this.queue.length && this.queue[end].kind === 'data') end++;
      const batch = this.queue.splice(0, end) as Extract<QueueItem, { kind: 'data' }>[];
      const data = batch.length === 1 ? batch[0].frame : Buffer.concat(batch.map((b) => b.frame));
      try {
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await this.handle.write(data, written, data.length - written);
          written += bytesWritten;
        }
        if (this.fsync && !DSYNC) await this.handle.datasync();
        this.bytesWritten += data.length;
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) this.fail(error, item);
      }
    }
    if (this.failure) for (const item of this.queue.splice(0)) item.reject(this.failure);
    this.running = false;
    this.idleResolve?.();
  }

  private fail(error: unknown, item: QueueItem): void {
    this.failure ??= new StoreUnavailableError(
      `writing the store's WAL in ${this.dir} failed (${error instanceof Error ? error.message : String(error)}); ` +
        'the store is now read-only: free disk space or fix permissions, then reopen it',
      { cause: error },
    );
    item.reject(this.failure);
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Waits for queued records, then closes the file. Later appends are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
    await this.handle.close().catch(() => undefined);
  }
}
