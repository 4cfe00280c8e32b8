import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startCompactor } from './compactor.js';
import { bytes, CompactedError } from './kv.js';
import { EmbeddedKV } from './memory-kv.js';

it('compacts to the revision seen one tick earlier', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-compactor-'));
  const kv = await EmbeddedKV.open(dir, { fsync: false });
  const errors: unknown[] = [];
  const compactor = startCompactor(kv, { intervalMs: 3_600_000, onError: (e) => errors.push(e) });
  try {
    await kv.put('/k', bytes('1'));
    const seen = (await kv.put('/k', bytes('2'))).revision;
    await compactor.tick();
    expect((await kv.status()).compactRevision).toBe(0);
    await kv.put('/k', bytes('3'));
    await compactor.tick();
    expect((await kv.status()).compactRevision).toBe(seen);
    await expect(kv.range('/k', { revision: seen - 1 })).rejects.toBeInstanceOf(CompactedError);
    await kv.compact((await kv.status()).revision);
    await compactor.tick();
    expect(errors).toEqual([]);
  } finally {
    compactor.dispose();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
});
