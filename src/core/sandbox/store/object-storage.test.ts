import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachedObjectStorage } from './cacher.js';
import { EmbeddedKV } from './memory-kv.js';
import { decodeContinue, decodeObject, encodeContinue } from './object-codec.js';
import type { KubeObject } from '../../../shared/kube.js';
import { KvObjectStorage } from './object-storage.js';
import { runStorageConformance } from './storage-conformance.js';
import { StorageError } from './storage.js';

async function embedded() {
  const dir = await mkdtemp(join(tmpdir(), 'kd-os-'));
  const kv = await EmbeddedKV.open(dir, { fsync: false });
  return { kv, dir };
}

runStorageConformance('KvObjectStorage over EmbeddedKV', async () => {
  const { kv, dir } = await embedded();
  return {
    storage: new KvObjectStorage(kv),
    kv,
    cleanup: async () => {
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

runStorageConformance('CachedObjectStorage over KvObjectStorage', async () => {
  const { kv, dir } = await embedded();
  const cached = new CachedObjectStorage(new KvObjectStorage(kv));
  return {
    storage: cached,
    kv,
    cleanup: async () => {
      cached.dispose();
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('continue tokens', () => {
  it('round-trip kube-apiserver\'s format and refuse tampering', () => {
    const token = encodeContinue('/registry/pods/ns/b\0', '/registry/pods/', 42);
    expect(JSON.parse(Buffer.from(token, 'base64').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'ns/b\0' });
    expect(decodeContinue(token, '/registry/pods/')).toEqual({ startKey: '/registry/pods/ns/b\0', revision: 42 });
    const evil = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1, start: '../secrets/x' })).toString('base64');
    expect(() => decodeContinue(evil, '/registry/pods/')).toThrow(StorageError);
    expect(() => decodeContinue('%%%', '/registry/pods/')).toThrow(/continue key is not valid/);
  });
});

describe('CachedObjectStorage', () => {
  it('serves resourceVersion "0" from memory without reading the KV, and one watch feeds many', async () => {
    const { kv, dir } = await embedded();
    const inner = new KvObjectStorage(kv);
    const cached = new CachedObjectStorage(inner, { prefixes: ['/registry/cms/'] });
    for (let i = 0; i < 20; i++) await cached.create(`/registry/cms/ns/c${i}`, { metadata: { name: `c${i}`, namespace: 'ns' } });
    const first = await cached.list({ prefix: '/registry/cms/ns/', resourceVersion: '0' });
    expect(first.items).toHaveLength(20);
    let kvWatches = 0;
    const realWatch = kv.watch.bind(kv);
    kv.watch = (...args) => {
      kvWatches++;
      return realWatch(...args);
    };
    const seen: string[][] = [[], [], []];
    const watches = seen.map((out) => cached.watch({ key: '/registry/cms/', recursive: true }, (e) => out.push(e.type)));
    await Promise.all(watches.map((w) => w.ready));
    const created = await cached.create('/registry/cms/ns/new', { metadata: { name: 'new', namespace: 'ns' } });
    const deadline = Date.now() + 3000;
    while (seen.some((s) => s.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([['ADDED'], ['ADDED'], ['ADDED']]);
    expect(kvWatches).toBe(0);
    const listed = await cached.list({ prefix: '/registry/cms/', resourceVersion: created.metadata.resourceVersion });
    expect(listed.items).toHaveLength(21);
    // Copies: mutating what the cache returned does not change it.
    listed.items[0].metadata.name = 'mutated';
    expect((await cached.list({ prefix: '/registry/cms/', resourceVersion: '0' })).items[0].metadata.name).toBe('c0');
    for (const w of watches) w.dispose();
    cached.dispose();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('CachedObjectStorage history', () => {
  it('a watch from before the cache\'s history gets the same events from the storage', async () => {
    const { kv, dir } = await embedded();
    const cached = new CachedObjectStorage(new KvObjectStorage(kv), { prefixes: ['/registry/cms/'], historySize: 3 });
    await cached.list({ prefix: '/registry/cms/', resourceVersion: '0' });
    const start = await cached.create('/registry/cms/ns/a', { metadata: { name: 'a', namespace: 'ns' } });
    for (let i = 0; i < 6; i++) await cached.create(`/registry/cms/ns/c${i}`, { metadata: { name: `c${i}`, namespace: 'ns' } });
    await cached.delete('/registry/cms/ns/a');
    const end = await cached.currentResourceVersion();
    const seen = async (resourceVersion: string): Promise<string[]> => {
      const out: string[] = [];
      const w = cached.watch({ key: '/registry/cms/', recursive: true, resourceVersion }, (e) => out.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`));
      await w.ready;
      const deadline = Date.now() + 5000;
      while (!out.some((line) => line.endsWith(` ${end}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      w.dispose();
      return out;
    };
    const old = await seen(start.metadata.resourceVersion ?? '');
    expect(old.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([...Array.from({ length: 6 }, (_, i) => `ADDED c${i}`), 'DELETED a']);
    // Within the history: the cache's own replay, the same tail.
    expect(await seen(String(Number(end) - 2))).toEqual(old.slice(-2));
    cached.dispose();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('CachedObjectStorage updates', () => {
  it('and consistent reads start from the watch cache\'s object when it is the stored revision, and from the stored bytes when not', async () => {
    const { kv, dir } = await embedded();
    const inner = new KvObjectStorage(kv);
    const cached = new CachedObjectStorage(inner);
    const key = '/registry/cms/ns/a';
    await cached.create(key, { metadata: { name: 'a', namespace: 'ns' }, data: { n: '0' } });
    // A list with resourceVersion "0" creates the prefix's cache, as an informer's first list does.
    await cached.list({ prefix: '/registry/cms/', resourceVersion: '0' });
    const seen: KubeObject[] = [];
    const bump = (cur: KubeObject | undefined) => {
      seen.push(cur!);
      return { ...cur!, data: { n: String(Number((cur!.data as { n: string }).n) + 1) } };
    };
    const first = await cached.guaranteedUpdate(key, bump);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(first.data).toEqual({ n: '1' });
    expect(Object.isFrozen(first)).toBe(false);
    // A write the cache has not seen yet (it went around it): the stored bytes are decoded instead.
    await inner.guaranteedUpdate(key, (cur) => ({ ...cur!, data: { n: '10' } }));
    const cache = (cached as unknown as { caches: Map<string, { objects: Map<string, KubeObject> }> }).caches.get('/registry/cms/')!;
    cache.objects.set(key, Object.freeze({ ...first }));
    // A consistent read of a revision the cache does not hold decodes the stored bytes too.
    expect((await cached.get(key))!.data).toEqual({ n: '10' });
    const second = await cached.guaranteedUpdate(key, bump);
    expect(Object.isFrozen(seen[1])).toBe(false);
    expect(second.data).toEqual({ n: '11' });
    expect(await inner.get(key)).toEqual(second);
    // Once the cache has the stored revision, a consistent read answers with a mutable copy of it.
    const deadline = Date.now() + 3000;
    while (cache.objects.get(key)?.metadata.resourceVersion !== second.metadata.resourceVersion && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const read = (await cached.get(key))!;
    expect(read).toEqual(second);
    expect(read).not.toBe(cache.objects.get(key));
    expect(Object.isFrozen(read)).toBe(false);
    cached.dispose();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('KvObjectStorage writes', () => {
  it('answer a create or update with what a read of the stored bytes gives, not the caller\'s object', async () => {
    const { kv, dir } = await embedded();
    const storage = new KvObjectStorage(kv);
    // What JSON drops or changes must be dropped or changed in the answer too.
    const input = { metadata: { name: 'a', namespace: 'ns', labels: undefined }, spec: { list: [1, undefined, Number.NaN], when: new Date(0), gone: undefined } };
    const created = await storage.create('/registry/x/ns/a', input as never);
    expect(created).toEqual(await storage.get('/registry/x/ns/a'));
    expect(Object.keys(created.metadata)).toEqual(Object.keys((await storage.get('/registry/x/ns/a'))!.metadata));
    expect(created.spec).toEqual({ list: [1, null, null], when: '1970-01-01T00:00:00.000Z' });
    input.spec.list.push(4);
    expect(created.spec).toEqual({ list: [1, null, null], when: '1970-01-01T00:00:00.000Z' });
    // resourceVersion first in the caller's metadata: the answer still has it last, as a read does.
    const updated = await storage.guaranteedUpdate('/registry/x/ns/a', (current) => ({
      ...current!,
      metadata: { resourceVersion: current!.metadata.resourceVersion, ...current!.metadata },
      spec: { n: 1, skip: undefined },
    }));
    const read = (await storage.get('/registry/x/ns/a'))!;
    expect(updated).toEqual(read);
    expect(Object.keys(updated.metadata)).toEqual(Object.keys(read.metadata));
    expect(Object.keys(updated.metadata).at(-1)).toBe('resourceVersion');
    expect(Object.keys(updated.spec as object)).toEqual(['n']);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('KvObjectStorage writes of objects their caller gives up', () => {
  it('answer with the object itself, changed as JSON would change it: what a read gives', async () => {
    const { kv, dir } = await embedded();
    const storage = new KvObjectStorage(kv);
    const plain = { metadata: { name: 'a', namespace: 'ns' }, spec: { list: [1, 'x', null, { b: true }] } };
    const created = await storage.create('/registry/x/ns/a', plain, { owned: true });
    expect(created).toBe(plain);
    expect(created).toEqual(await storage.get('/registry/x/ns/a'));
    expect(Object.keys(created.metadata).at(-1)).toBe('resourceVersion');
    const lossy = { metadata: { name: 'b', namespace: 'ns' }, spec: { gone: undefined, nan: Number.NaN, zero: -0 } };
    const second = await storage.create('/registry/x/ns/b', lossy as never, { owned: true });
    expect(second).toEqual(await storage.get('/registry/x/ns/b'));
    expect(Object.keys(second.spec as object)).toEqual(['nan', 'zero']);
    expect(second.spec).toEqual({ nan: null, zero: 0 });
    const updated = await storage.guaranteedUpdate('/registry/x/ns/a', (cur) => ({ ...cur!, spec: { n: 2 } }), { owned: true });
    expect(updated).toEqual(await storage.get('/registry/x/ns/a'));
    expect(Object.keys(updated.metadata).at(-1)).toBe('resourceVersion');
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('KvObjectStorage watches of its own writes', () => {
  it('deliver what decoding the stored bytes gives, an object of their own per watch', async () => {
    const { kv, dir } = await embedded();
    const storage = new KvObjectStorage(kv);
    const events: KubeObject[][] = [[], []];
    const watches = events.map((out) => storage.watch({ key: '/registry/x/', recursive: true }, (e) => out.push(e.object)));
    await Promise.all(watches.map((w) => w.ready));
    const created = await storage.create('/registry/x/ns/a', { metadata: { name: 'a', namespace: 'ns' }, spec: { list: [1, undefined], nested: { v: 1 } } } as never);
    const updated = await storage.guaranteedUpdate('/registry/x/ns/a', (cur) => ({ ...cur!, spec: { nested: { v: 2 } } }));
    const deadline = Date.now() + 3000;
    while (events.some((e) => e.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const raw = (rev: string) => kv.range('/registry/x/ns/a', { revision: Number(rev) }).then((r) => decodeObject('/registry/x/ns/a', r.kvs[0].value, r.kvs[0].modRevision));
    for (const out of events) {
      expect(out).toEqual([await raw(created.metadata.resourceVersion!), await raw(updated.metadata.resourceVersion!)]);
      expect(Object.keys(out[0].metadata).at(-1)).toBe('resourceVersion');
    }
    expect(events[0][0]).not.toBe(created);
    expect(events[0][0].spec).not.toBe(events[1][0].spec);
    (events[0][1].spec as { nested: { v: number } }).nested.v = 99;
    expect(events[1][1].spec).toEqual({ nested: { v: 2 } });
    expect(updated.spec).toEqual({ nested: { v: 2 } });
    for (const w of watches) w.dispose();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });
});
