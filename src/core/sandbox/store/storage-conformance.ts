// One conformance suite for ObjectStorage implementations (KvObjectStorage, the cacher above it),
// following k8s.io/apiserver's storage tests: resourceVersions, paging, conflicts, watch semantics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { text, type KV } from './kv.js';
import { StorageError, type ObjectStorage, type StorageWatchEvent, type StorageWatchOptions } from './storage.js';

export interface StorageUnderTest {
  storage: ObjectStorage;
  kv: KV;
  cleanup(): Promise<void>;
}

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'a' } },
  ...extra,
});

async function storageError(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StorageError)) throw new Error(`expected a StorageError, got ${String(error)}`);
  return error;
}

function collect(storage: ObjectStorage, options: StorageWatchOptions) {
  const events: StorageWatchEvent[] = [];
  const watch = storage.watch(options, (e) => events.push(e));
  const until = async (what: string, done: () => boolean, timeoutMs = 5000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.type))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const summary = () => events.map((e) => `${e.type}:${e.object.metadata.name ?? ''}:${e.object.metadata.resourceVersion ?? ''}`);
  return { events, watch, until, summary };
}

export function runStorageConformance(name: string, make: () => Promise<StorageUnderTest>): void {
  describe(`ObjectStorage conformance: ${name}`, () => {
    let s: ObjectStorage;
    let kv: KV;
    let under: StorageUnderTest;
    let n = 0;
    const fresh = (): string => `/registry/pods${++n}/ns/`;
    beforeAll(async () => {
      under = await make();
      s = under.storage;
      kv = under.kv;
    });
    afterAll(async () => under?.cleanup());

    it('creates with resourceVersion = mod revision, stores no resourceVersion, refuses duplicates', async () => {
      const p = fresh();
      const created = await s.create(`${p}a`, { ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '77' } });
      const raw = (await kv.range(`${p}a`)).kvs[0];
      expect(created.metadata.resourceVersion).toBe(String(raw.modRevision));
      expect(JSON.parse(text(raw.value)).metadata.resourceVersion).toBeUndefined();
      expect(await s.get(`${p}a`)).toEqual(created);
      expect((await storageError(s.create(`${p}a`, pod('a')))).code).toBe('KeyExists');
      expect(await s.currentResourceVersion()).toBe(created.metadata.resourceVersion);
    });

    it('gets: not found, ignoreNotFound, too large resourceVersion', async () => {
      const p = fresh();
      expect((await storageError(s.get(`${p}nope`))).code).toBe('KeyNotFound');
      expect(await s.get(`${p}nope`, { ignoreNotFound: true })).toBeUndefined();
      const created = await s.create(`${p}a`, pod('a'));
      expect(await s.get(`${p}a`, { resourceVersion: created.metadata.resourceVersion })).toEqual(created);
      expect(await s.get(`${p}a`, { resourceVersion: '0' })).toEqual(created);
      const far = String(Number(created.metadata.resourceVersion) + 1000);
      expect((await storageError(s.get(`${p}a`, { resourceVersion: far }))).code).toBe('TooLargeResourceVersion');
    });

    it('lists sorted, pages with continue at one revision, counts what remains', async () => {
      const p = fresh();
      for (const x of ['c', 'a', 'e', 'b', 'd']) await s.create(`${p}${x}`, pod(x));
      const all = await s.list({ prefix: p });
      expect(all.items.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(all.continue).toBe('');
      const first = await s.list({ prefix: p, limit: 2 });
      expect(first.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect(first.remainingItemCount).toBe(3);
      expect(first.continue).not.toBe('');
      await s.delete(`${p}c`);
      await s.create(`${p}bb`, pod('bb'));
      const second = await s.list({ prefix: p, limit: 2, continue: first.continue });
      expect(second.items.map((o) => o.metadata.name)).toEqual(['c', 'd']);
      expect(second.resourceVersion).toBe(first.resourceVersion);
      const third = await s.list({ prefix: p, limit: 2, continue: second.continue });
      expect(third.items.map((o) => o.metadata.name)).toEqual(['e']);
      expect(third.continue).toBe('');
      expect(await s.count(p)).toBe(5);
      const fresher = await s.list({ prefix: p, resourceVersion: '0' });
      expect(Number(fresher.resourceVersion)).toBeGreaterThanOrEqual(Number(first.resourceVersion));
    });

    it('fills pages through a predicate, and reads at an exact revision', async () => {
      const p = fresh();
      let rv = '';
      for (let i = 0; i < 10; i++) {
        const o = await s.create(`${p}p${i}`, { ...pod(`p${i}`), metadata: { ...pod(`p${i}`).metadata, labels: { even: String(i % 2 === 0) } } });
        if (i === 5) rv = o.metadata.resourceVersion ?? '';
      }
      const predicate = (o: KubeObject) => o.metadata.labels?.even === 'true';
      const page = await s.list({ prefix: p, limit: 3, predicate });
      expect(page.items.map((o) => o.metadata.name)).toEqual(['p0', 'p2', 'p4']);
      const rest = await s.list({ prefix: p, limit: 3, predicate, continue: page.continue });
      expect(rest.items.map((o) => o.metadata.name)).toEqual(['p6', 'p8']);
      const exact = await s.list({ prefix: p, resourceVersion: rv, resourceVersionMatch: 'Exact' });
      expect(exact.items.map((o) => o.metadata.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
      expect(exact.resourceVersion).toBe(rv);
      const notOlder = await s.list({ prefix: p, resourceVersion: rv });
      expect(notOlder.items).toHaveLength(10);
      const far = String(Number(rv) + 1000);
      expect((await storageError(s.list({ prefix: p, resourceVersion: far }))).code).toBe('TooLargeResourceVersion');
    });

    it('guaranteedUpdate: retries on conflict, checks preconditions, skips no-op writes', async () => {
      const p = fresh();
      const created = await s.create(`${p}c`, { ...pod('c'), count: 0 });
      await Promise.all(
        Array.from({ length: 10 }, () => s.guaranteedUpdate(`${p}c`, (cur) => ({ ...cur!, count: (cur!.count as number) + 1 }))),
      );
      const after = await s.get(`${p}c`);
      expect(after?.count).toBe(10);
      const same = await s.guaranteedUpdate(`${p}c`, (cur) => cur!);
      expect(same.metadata.resourceVersion).toBe(after?.metadata.resourceVersion);
      const stale = { resourceVersion: created.metadata.resourceVersion };
      expect((await storageError(s.guaranteedUpdate(`${p}c`, (cur) => cur!, { preconditions: stale }))).code).toBe('ResourceVersionConflict');
      expect((await storageError(s.guaranteedUpdate(`${p}c`, (cur) => cur!, { preconditions: { uid: 'other' } }))).code).toBe('ResourceVersionConflict');
      expect((await storageError(s.guaranteedUpdate(`${p}missing`, (cur) => cur!))).code).toBe('KeyNotFound');
      const made = await s.guaranteedUpdate(`${p}new`, (cur) => cur ?? pod('new'), { ignoreNotFound: true });
      expect(made.metadata.resourceVersion).toBe(await s.currentResourceVersion());
      await expect(s.guaranteedUpdate(`${p}c`, () => Promise.reject(new Error('abort')))).rejects.toThrow('abort');
    });

    it('deletes with preconditions and returns the last state at the deleting revision', async () => {
      const p = fresh();
      await s.create(`${p}d`, pod('d', { spec: { x: 1 } }));
      expect((await storageError(s.delete(`${p}d`, { preconditions: { uid: 'wrong' } }))).code).toBe('ResourceVersionConflict');
      await expect(s.delete(`${p}d`, { validateDeletion: () => { throw new Error('not allowed'); } })).rejects.toThrow('not allowed');
      const deleted = await s.delete(`${p}d`, { preconditions: { uid: 'uid-d' } });
      expect(deleted.spec).toEqual({ x: 1 });
      expect(deleted.metadata.resourceVersion).toBe(await s.currentResourceVersion());
      expect((await storageError(s.delete(`${p}d`))).code).toBe('KeyNotFound');
    });

    it('watches from a resourceVersion: ADDED, MODIFIED, DELETED with the right revisions', async () => {
      const p = fresh();
      const start = await s.currentResourceVersion();
      const a = await s.create(`${p}a`, pod('a'));
      const w = collect(s, { key: p, recursive: true, resourceVersion: start });
      await w.watch.ready;
      const a2 = await s.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, spec: { v: 2 } }));
      const gone = await s.delete(`${p}a`);
      await w.until('3 events', () => w.events.length >= 3);
      w.watch.dispose();
      expect(w.summary()).toEqual([
        `ADDED:a:${a.metadata.resourceVersion}`,
        `MODIFIED:a:${a2.metadata.resourceVersion}`,
        `DELETED:a:${gone.metadata.resourceVersion}`,
      ]);
      expect(w.events[2].object.spec).toEqual({ v: 2 });
    });

    it('watch "0" starts with the current state; sendInitialEvents ends it with a bookmark', async () => {
      const p = fresh();
      await s.create(`${p}x`, pod('x'));
      await s.create(`${p}y`, pod('y'));
      // sendInitialEvents false (what the API passes when the query lacks it) does not cancel "0".
      const legacy = collect(s, { key: p, recursive: true, resourceVersion: '0', sendInitialEvents: false });
      await legacy.watch.ready;
      await legacy.until('2 ADDED', () => legacy.events.length >= 2);
      const streamed = collect(s, { key: p, recursive: true, sendInitialEvents: true, resourceVersion: '' });
      await streamed.watch.ready;
      await streamed.until('bookmark', () => streamed.events.some((e) => e.type === 'BOOKMARK'));
      await s.create(`${p}z`, pod('z'));
      await legacy.until('live ADDED', () => legacy.events.length >= 3);
      await streamed.until('live ADDED', () => streamed.events.length >= 4);
      legacy.watch.dispose();
      streamed.watch.dispose();
      expect(legacy.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:x', 'ADDED:y', 'ADDED:z']);
      expect(streamed.events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK', 'ADDED']);
      const bookmark = streamed.events[2].object;
      expect(bookmark.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(Number(bookmark.metadata.resourceVersion)).toBeLessThan(Number(streamed.events[3].object.metadata.resourceVersion));
    });

    it('filters watches by predicate: leaving the selection is DELETED, entering it ADDED', async () => {
      const p = fresh();
      const start = await s.currentResourceVersion();
      const w = collect(s, { key: p, recursive: true, resourceVersion: start, predicate: (o) => o.metadata.labels?.app === 'yes' });
      await w.watch.ready;
      const label = (app: string) => (cur: KubeObject | undefined) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { app } } });
      await s.create(`${p}o`, pod('o'));
      await s.guaranteedUpdate(`${p}o`, label('yes'));
      await s.guaranteedUpdate(`${p}o`, (cur) => ({ ...cur!, spec: { changed: true } }));
      const left = await s.guaranteedUpdate(`${p}o`, label('no'));
      await s.delete(`${p}o`);
      await w.until('3 events', () => w.events.length >= 3);
      await new Promise((r) => setTimeout(r, 50));
      w.watch.dispose();
      expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(w.events[2].object.metadata.labels).toEqual({ app: 'yes' });
      expect(w.events[2].object.metadata.resourceVersion).toBe(left.metadata.resourceVersion);
    });

    it('watches a single key, sends periodic bookmarks, and expires compacted revisions', async () => {
      const p = fresh();
      const one = collect(s, { key: `${p}k`, recursive: false, bookmarkIntervalMs: 20 });
      await one.watch.ready;
      await s.create(`${p}k2`, pod('k2'));
      await s.create(`${p}k`, pod('k'));
      await one.until('ADDED and a bookmark', () => one.events.some((e) => e.type === 'ADDED') && one.events.some((e) => e.type === 'BOOKMARK'));
      one.watch.dispose();
      expect(one.events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.object.metadata.name)).toEqual(['k']);
      const old = await s.currentResourceVersion();
      await s.guaranteedUpdate(`${p}k`, (cur) => ({ ...cur!, spec: { n: 1 } }));
      await s.guaranteedUpdate(`${p}k`, (cur) => ({ ...cur!, spec: { n: 2 } }));
      await kv.compact(Number(await s.currentResourceVersion()));
      const expired = s.watch({ key: p, recursive: true, resourceVersion: String(Number(old) - 1) }, () => undefined);
      const error = await storageError(expired.ready);
      expired.dispose();
      expect(error.code).toBe('Expired');
      const listed = await storageError(s.list({ prefix: p, resourceVersion: old, resourceVersionMatch: 'Exact' }));
      expect(listed.code).toBe('Expired');
    });

    it('expires a continue token whose revision was compacted; a predicate matching nothing ends the list', async () => {
      const p = fresh();
      for (const x of ['a', 'b', 'c']) await s.create(`${p}${x}`, pod(x));
      const none = await s.list({ prefix: p, limit: 1, predicate: () => false });
      expect(none).toMatchObject({ items: [], continue: '' });
      const first = await s.list({ prefix: p, limit: 1 });
      await s.guaranteedUpdate(`${p}b`, (cur) => ({ ...cur!, spec: { touched: true } }));
      await kv.compact(Number(await s.currentResourceVersion()));
      const error = await storageError(s.list({ prefix: p, limit: 1, continue: first.continue }));
      expect(error.code).toBe('Expired');
    });

    it('treats a list or recursive watch key as a directory, as kube does ("/pods" never matches "/pods-x/...")', async () => {
      const p = fresh();
      const dirKey = p.slice(0, -1);
      await s.create(`${p}in`, pod('in'));
      await s.create(`${dirKey}-sibling/out`, pod('out'));
      expect((await s.list({ prefix: dirKey })).items.map((o) => o.metadata.name)).toEqual(['in']);
      expect((await s.list({ prefix: dirKey, resourceVersion: '0' })).items.map((o) => o.metadata.name)).toEqual(['in']);
      expect(await s.count(dirKey)).toBe(1);
      const w = collect(s, { key: dirKey, recursive: true, resourceVersion: '0' });
      await w.watch.ready;
      await s.create(`${dirKey}-sibling/later`, pod('later'));
      await s.create(`${p}later`, pod('later-in'));
      await w.until('2 events', () => w.events.length >= 2);
      await new Promise((r) => setTimeout(r, 50));
      w.watch.dispose();
      expect(w.events.map((e) => e.object.metadata.name)).toEqual(['in', 'later-in']);
    });
  });
}
