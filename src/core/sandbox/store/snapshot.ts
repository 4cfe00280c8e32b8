// Snapshot file: every retained history entry of the store at one revision, so that opening reads
// one compact file instead of replaying the whole WAL. Written to a temp file, fsynced, renamed.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter } from './binary.js';
import type { KeyValue } from './kv.js';
import { MvccState } from './mvcc-state.js';
import { fsyncDir } from './wal.js';

const MAGIC = 'KDSNAP01';
export const SNAPSHOT_FILE = 'snapshot.bin';
const HEADERS_CHUNK = 1 << 16;

/**
 * The snapshot file's bytes as parts to write in order: headers in a few buffers and each value
 * as it is in memory, not copied. At 10,000 pods the store holds hundreds of MB of history, which
 * one contiguous buffer copied again on every snapshot.
 */
export function encodeSnapshot(state: MvccState): Buffer[] {
  const parts: Buffer[] = [];
  let crc = 0;
  const add = (part: Buffer): void => {
    parts.push(part);
    crc = crc32(part, crc);
  };
  // Headers go into one 64 KB buffer after another; each part is a view of what was just written.
  let w = new ByteWriter(HEADERS_CHUNK);
  let start = 0;
  const flushHeaders = (): void => {
    if (w.length > start) add(w.finish().subarray(start));
    start = w.length;
  };
  for (let i = 0; i < MAGIC.length; i++) w.u8(MAGIC.charCodeAt(i));
  w.f64(state.revision);
  w.f64(state.compactRevision);
  w.u32(state.entryCount);
  for (const kv of state.entries()) {
    if (w.length > HEADERS_CHUNK - 1024) {
      flushHeaders();
      w = new ByteWriter(HEADERS_CHUNK);
      start = 0;
    }
    w.string(kv.key);
    w.f64(kv.modRevision);
    w.f64(kv.createRevision);
    w.f64(kv.version);
    w.f64(kv.lease);
    w.u32(kv.value.length);
    if (kv.value.length === 0) continue;
    flushHeaders();
    add(Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.length));
  }
  flushHeaders();
  const tail = Buffer.allocUnsafe(4);
  tail.writeUInt32LE(crc, 0);
  parts.push(tail);
  return parts;
}

export function decodeSnapshot(file: string, data: Buffer): MvccState {
  const bad = (why: string): Error =>
    new Error(
      `snapshot ${file} is unreadable (${why}). It is written atomically, so this is disk damage: restore the ` +
        'store directory from a backup, or delete the directory to start an empty store.',
    );
  if (data.length < MAGIC.length + 24 || data.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw bad('bad header');
  const body = data.subarray(0, data.length - 4);
  if (crc32(body) !== data.readUInt32LE(data.length - 4)) throw bad('checksum mismatch');
  const r = new ByteReader(body);
  r.pos = MAGIC.length;
  const revision = r.f64();
  const compactRevision = r.f64();
  const n = r.u32();
  const entries: KeyValue[] = new Array<KeyValue>(n);
  for (let i = 0; i < n; i++) {
    const key = r.string();
    const modRevision = r.f64();
    const createRevision = r.f64();
    const version = r.f64();
    const lease = r.f64();
    entries[i] = { key, value: r.bytesView(), createRevision, modRevision, version, lease };
  }
  return MvccState.fromEntries(revision, compactRevision, entries);
}

export async function readSnapshot(dir: string): Promise<MvccState | undefined> {
  const file = join(dir, SNAPSHOT_FILE);
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeSnapshot(file, data);
}

/** Most buffers one writev takes (IOV_MAX on Linux is 1024). */
const WRITEV_BATCH = 1024;

export async function writeSnapshot(dir: string, parts: Buffer[], fsync: boolean): Promise<void> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    for (let i = 0; i < parts.length; i += WRITEV_BATCH) {
      const batch = parts.slice(i, i + WRITEV_BATCH);
      const expected = batch.reduce((n, b) => n + b.length, 0);
      const { bytesWritten } = await handle.writev(batch);
      if (bytesWritten !== expected) throw new Error(`short write to ${tmp}: ${bytesWritten} of ${expected} bytes; check free disk space`);
    }
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, join(dir, SNAPSHOT_FILE));
  if (fsync) await fsyncDir(dir);
}
