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

/** The encoded size (without the trailing crc): one exact buffer, not a doubling one copied again. */
function snapshotSize(state: MvccState): number {
  let size = MAGIC.length + 8 + 8 + 4;
  for (const kv of state.entries()) size += 4 + Buffer.byteLength(kv.key) + 8 * 4 + 4 + kv.value.length;
  return size;
}

export function encodeSnapshot(state: MvccState): Buffer {
  // Room for the crc after the body, so the body is never copied.
  const size = snapshotSize(state);
  const w = new ByteWriter(size + 4);
  for (let i = 0; i < MAGIC.length; i++) w.u8(MAGIC.charCodeAt(i));
  w.f64(state.revision);
  w.f64(state.compactRevision);
  w.u32(state.entryCount);
  for (const kv of state.entries()) {
    w.string(kv.key);
    w.f64(kv.modRevision);
    w.f64(kv.createRevision);
    w.f64(kv.version);
    w.f64(kv.lease);
    w.bytes(kv.value);
  }
  const body = w.finish();
  w.u32(crc32(body));
  return w.finish();
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

export async function writeSnapshot(dir: string, data: Buffer, fsync: boolean): Promise<void> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, join(dir, SNAPSHOT_FILE));
  if (fsync) await fsyncDir(dir);
}
