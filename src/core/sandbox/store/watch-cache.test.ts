import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { EmbeddedKV } from './memory-kv.js';
import { KvObjectStorage } from './object-storage.js';
import type { StorageWatchEvent } from './storage.js';
import { WatchCache, type CacheWatcher } from './watch-cache.js';

it('keeps exactly its capacity of recent changes and replays them to a watcher starting among them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-wc-'));
  const kv = await EmbeddedKV.open(dir, { fsync: false });
  const storage = new KvObjectStorage(kv);
  const cache = new WatchCache('/registry/cms/', storage, 5, () => undefined);
  await cache.synced;
  const revisions: number[] = [];
  for (let i = 0; i < 23; i++) {
    const obj = await storage.create(`/registry/cms/ns/c${i}`, { metadata: { name: `c${i}`, namespace: 'ns' } });
    revisions.push(Number(obj.metadata.resourceVersion));
  }
  const deadline = Date.now() + 3000;
  while (cache.revision < revisions[22] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const watcher = (after: number, into: StorageWatchEvent[]): CacheWatcher => ({ key: '/registry/cms/', recursive: true, after, emit: (e) => into.push(e), fail: () => undefined });
  expect(cache.historyStart).toBe(revisions[17]);
  const replayed: StorageWatchEvent[] = [];
  expect(cache.addWatcher(watcher(revisions[19], replayed))).toBe(true);
  expect(replayed.map((e) => e.object.metadata.name)).toEqual(['c20', 'c21', 'c22']);
  const all: StorageWatchEvent[] = [];
  expect(cache.addWatcher(watcher(revisions[17], all))).toBe(true);
  expect(all.map((e) => e.object.metadata.name)).toEqual(['c18', 'c19', 'c20', 'c21', 'c22']);
  expect(cache.addWatcher(watcher(revisions[16], []))).toBe(false);
  cache.dispose();
  await kv.close();
  await rm(dir, { recursive: true, force: true });
});
