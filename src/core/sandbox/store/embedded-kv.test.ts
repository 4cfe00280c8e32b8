import { mkdtemp, readdir, readFile, rm, stat, writeFile, appendFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKvConformance } from './kv-conformance.js';
import { bytes, CompactedError, prefixEnd, text } from './kv.js';
import { EmbeddedKV } from './memory-kv.js';
import { listWalFiles } from './wal.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-kv-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

runKvConformance('EmbeddedKV', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-kvc-'));
  const kv = await EmbeddedKV.open(dir, { fsync: false });
  return {
    kv,
    cleanup: async () => {
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedKV durability', () => {
  it('starts at revision 1 like etcd: the first write gets revision 2', async () => {
    const kv = await EmbeddedKV.open(await tempDir());
    expect(await kv.status()).toMatchObject({ revision: 1, compactRevision: 0, keys: 0 });
    expect((await kv.put('/a', bytes('x'))).revision).toBe(2);
    await kv.close();
  });

  it('keeps its own copy of a written value, as a remote etcd would', async () => {
    const kv = await EmbeddedKV.open(await tempDir(), { fsync: false });
    const buffer = bytes('before');
    await kv.put('/k', buffer);
    buffer.set(bytes('AFTER!'));
    expect(text((await kv.range('/k')).kvs[0].value)).toBe('before');
    await kv.close();
  });

  it('reopens with the same data, history, versions and compaction', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    await kv.put('/k', bytes('1'));
    await kv.put('/k', bytes('2'));
    await kv.put('/gone', bytes('x'));
    await kv.deleteRange('/gone');
    await kv.compact(3);
    const last = await kv.put('/k', bytes('3'));
    await kv.close();
    const again = await EmbeddedKV.open(dir);
    expect(await again.status()).toMatchObject({ revision: last.revision, compactRevision: 3, keys: 1 });
    expect((await again.range('/k')).kvs[0]).toMatchObject({ version: 3, createRevision: 2, modRevision: last.revision });
    expect(text((await again.range('/k', { revision: 3 })).kvs[0].value)).toBe('2');
    await expect(again.range('/k', { revision: 2 })).rejects.toBeInstanceOf(CompactedError);
    expect((await again.put('/k', bytes('4'))).revision).toBe(last.revision + 1);
    await again.close();
  });

  it('refuses a second open of the same directory with a clear error, and takes over a dead owner', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    await expect(EmbeddedKV.open(dir)).rejects.toThrow(/already open in process \d+/);
    await kv.close();
    await writeFile(join(dir, 'LOCK'), '999999999');
    const reopened = await EmbeddedKV.open(dir);
    await reopened.close();
  });

  it('drops a torn last record and keeps appending after it', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    await kv.put('/a', bytes('1'));
    await kv.put('/b', bytes('2'));
    await kv.close();
    const [wal] = await listWalFiles(dir);
    const size = (await stat(wal.path)).size;
    await truncate(wal.path, size - 3);
    const again = await EmbeddedKV.open(dir);
    expect((await again.range('/', { end: prefixEnd('/') })).kvs.map((x) => x.key)).toEqual(['/a']);
    await again.put('/c', bytes('3'));
    await again.close();
    const third = await EmbeddedKV.open(dir);
    expect((await third.range('/', { end: prefixEnd('/') })).kvs.map((x) => x.key)).toEqual(['/a', '/c']);
    await third.close();
  });

  it('ignores zeroed garbage after the last record', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    await kv.put('/a', bytes('1'));
    await kv.close();
    const [wal] = await listWalFiles(dir);
    await appendFile(wal.path, Buffer.alloc(4096));
    const again = await EmbeddedKV.open(dir);
    expect((await again.status()).revision).toBe(2);
    await again.close();
  });

  it('refuses to open when a record in the middle is corrupt, naming the file', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    for (let i = 0; i < 5; i++) await kv.put(`/k${i}`, bytes(`value-${i}`));
    await kv.close();
    const [wal] = await listWalFiles(dir);
    const data = await readFile(wal.path);
    data[30] ^= 0xff;
    await writeFile(wal.path, data);
    const error = await EmbeddedKV.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(wal.path);
    expect((error as Error).message).toMatch(/backup|truncate/);
    // The failed open must not leave the directory locked.
    await writeFile(wal.path, Buffer.alloc(0));
    await (await EmbeddedKV.open(dir)).close();
  });

  it('refuses a WAL garbled from its first byte instead of opening an empty store', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    for (let i = 0; i < 20; i++) await kv.put(`/k${i}`, bytes('value'));
    await kv.close();
    const [wal] = await listWalFiles(dir);
    const size = (await stat(wal.path)).size;
    // Deterministic non-zero garbage over the whole file: no valid record remains anywhere.
    await writeFile(wal.path, Buffer.from(Array.from({ length: size }, (_, i) => ((i * 131 + 7) % 251) + 1)));
    await expect(EmbeddedKV.open(dir)).rejects.toThrow(/is corrupt at byte 0/);
  });

  it('snapshots, rotates the WAL and reopens from the snapshot plus the newer WAL', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir, { snapshotEvery: 50 });
    for (let i = 0; i < 220; i++) await kv.put(`/k/${i % 30}`, bytes(String(i)));
    await kv.compact(100);
    await kv.deleteRange('/k/1');
    await kv.close();
    const files = await readdir(dir);
    expect(files).toContain('snapshot.bin');
    expect(files.filter((f) => f.startsWith('wal-')).length).toBeLessThanOrEqual(2);
    const again = await EmbeddedKV.open(dir);
    const status = await again.status();
    expect(status).toMatchObject({ revision: 222, compactRevision: 100, keys: 29 });
    expect((await again.range('/k/2')).kvs[0]).toMatchObject({ version: 8, modRevision: 214 });
    expect(text((await again.range('/k/2', { revision: 150 })).kvs[0].value)).toBe('122');
    await expect(again.range('/k/2', { revision: 99 })).rejects.toBeInstanceOf(CompactedError);
    await again.close();
  });

  it('acknowledges concurrent writes through group commit, all durable after reopen', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => kv.put(`/c/${i}`, bytes(String(i)))));
    expect(new Set(results.map((r) => r.revision)).size).toBe(200);
    await kv.close();
    const again = await EmbeddedKV.open(dir);
    expect((await again.range('/c/', { end: prefixEnd('/c/'), countOnly: true })).count).toBe(200);
    await again.close();
  });

  it('opens 50,000 keys quickly', async () => {
    const dir = await tempDir();
    const kv = await EmbeddedKV.open(dir, { fsync: false });
    const value = bytes(JSON.stringify({ kind: 'ConfigMap', data: { some: 'x'.repeat(200) } }));
    for (let i = 0; i < 50_000; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, j) => kv.put(`/registry/configmaps/ns/cm-${i + j}`, value)));
    }
    await kv.close();
    const started = performance.now();
    const again = await EmbeddedKV.open(dir);
    const elapsed = performance.now() - started;
    expect((await again.status()).keys).toBe(50_000);
    const page = await again.range('/registry/configmaps/', { end: prefixEnd('/registry/configmaps/'), limit: 500 });
    expect(page).toMatchObject({ count: 50_000, more: true });
    await again.close();
    expect(elapsed).toBeLessThan(2000);
  });
});
