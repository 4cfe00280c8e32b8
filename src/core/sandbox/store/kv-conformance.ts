// One conformance suite for every KV backend (EmbeddedKV, EtcdKV over a real etcd). Tests use a
// fresh key prefix each and only revisions relative to what they wrote, so a backend may be shared
// between tests. Where the embedded store and etcd disagree, etcd is right: fix the embedded store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytes,
  CompactedError,
  FutureRevisionError,
  prefixEnd,
  text,
  type KV,
  type WatchEvent,
  type WatchOptions,
} from './kv.js';

export interface KvUnderTest {
  kv: KV;
  cleanup(): Promise<void>;
}

/** Collects a watch's events; `until` waits for a condition on everything received so far. */
export function collectWatch(kv: KV, key: string, options: WatchOptions) {
  const events: WatchEvent[] = [];
  const batches: WatchEvent[][] = [];
  let error: Error | undefined;
  const watcher = kv.watch(key, options, {
    onEvents(batch) {
      batches.push(batch);
      events.push(...batch);
    },
    onError(e) {
      error = e;
    },
  });
  const until = async (what: string, done: () => boolean, timeoutMs = 5000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${events.length} events, error ${String(error)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { events, batches, watcher, until, error: () => error };
}

export function runKvConformance(name: string, makeKv: () => Promise<KvUnderTest>): void {
  describe(`KV conformance: ${name}`, () => {
    let under: KvUnderTest;
    let kv: KV;
    let n = 0;
    const run = `${process.pid}-${Date.now()}`;
    const fresh = (): string => `/conf/${run}/${++n}/`;

    beforeAll(async () => {
      under = await makeKv();
      kv = under.kv;
    });
    afterAll(async () => {
      await under?.cleanup();
    });

    it('assigns increasing revisions, create/mod revisions and versions', async () => {
      const p = fresh();
      const before = (await kv.status()).revision;
      const r1 = await kv.put(`${p}a`, bytes('1'));
      expect(r1.revision).toBe(before + 1);
      const r2 = await kv.put(`${p}a`, bytes('2'));
      expect(r2.revision).toBe(r1.revision + 1);
      const [a] = (await kv.range(`${p}a`)).kvs;
      expect(a).toMatchObject({ key: `${p}a`, createRevision: r1.revision, modRevision: r2.revision, version: 2, lease: 0 });
      expect(text(a.value)).toBe('2');
      const del = await kv.deleteRange(`${p}a`);
      expect(del).toMatchObject({ revision: r2.revision + 1, deleted: 1 });
      expect((await kv.range(`${p}a`)).kvs).toEqual([]);
      const r4 = await kv.put(`${p}a`, bytes('3'));
      const [again] = (await kv.range(`${p}a`)).kvs;
      expect(again).toMatchObject({ createRevision: r4.revision, modRevision: r4.revision, version: 1 });
      expect((await kv.status()).revision).toBe(r4.revision);
    });

    it('keeps values as bytes, including non-UTF-8 and empty ones', async () => {
      const p = fresh();
      const raw = new Uint8Array([0, 255, 128, 10, 0]);
      await kv.put(`${p}bin`, raw);
      await kv.put(`${p}empty`, new Uint8Array(0));
      const r = await kv.range(p, { end: prefixEnd(p) });
      expect(r.kvs.map((x) => [x.key, Array.from(x.value)])).toEqual([
        [`${p}bin`, [0, 255, 128, 10, 0]],
        [`${p}empty`, []],
      ]);
    });

    it('returns prevKv on put and delete when asked', async () => {
      const p = fresh();
      const first = await kv.put(`${p}k`, bytes('v1'), { prevKv: true });
      expect(first.prevKv).toBeUndefined();
      const second = await kv.put(`${p}k`, bytes('v2'), { prevKv: true });
      expect(second.prevKv).toMatchObject({ key: `${p}k`, modRevision: first.revision, version: 1 });
      expect(text(second.prevKv?.value ?? new Uint8Array())).toBe('v1');
      const del = await kv.deleteRange(`${p}k`, { prevKv: true });
      expect(del.prevKvs?.map((x) => text(x.value))).toEqual(['v2']);
      expect((await kv.deleteRange(`${p}k`, { prevKv: true })).deleted).toBe(0);
    });

    it('ranges: single key, [key, end), prefixes, and "\\0" to the end', async () => {
      const p = fresh();
      for (const k of ['a', 'b', 'ba', 'c', 'd']) await kv.put(`${p}${k}`, bytes(k));
      const keys = async (key: string, end?: string) => (await kv.range(key, { end })).kvs.map((x) => x.key.slice(p.length));
      expect(await keys(`${p}b`)).toEqual(['b']);
      expect(await keys(`${p}b`, `${p}d`)).toEqual(['b', 'ba', 'c']);
      expect(await keys(`${p}b`, prefixEnd(`${p}b`))).toEqual(['b', 'ba']);
      expect(await keys(p, prefixEnd(p))).toEqual(['a', 'b', 'ba', 'c', 'd']);
      expect(await keys(`${p}d`, `${p}b`)).toEqual([]);
      expect(await keys(`${p}zz`)).toEqual([]);
      const last = `~~~~${run}-${n}/`;
      await kv.put(`${last}x`, bytes('x'));
      await kv.put(`${last}y`, bytes('y'));
      expect((await kv.range(`${last}y`, { end: '\0' })).kvs.map((x) => x.key)).toEqual([`${last}y`]);
      expect((await kv.range(last, { end: '\0' })).kvs.map((x) => x.key)).toEqual([`${last}x`, `${last}y`]);
    });

    it('reads at past revisions and refuses future ones; the header is the current revision', async () => {
      const p = fresh();
      const r1 = await kv.put(`${p}k`, bytes('one'));
      const r2 = await kv.put(`${p}k`, bytes('two'));
      const r3 = await kv.deleteRange(`${p}k`);
      await kv.put(`${p}other`, bytes('x'));
      const at = async (revision: number) => (await kv.range(p, { end: prefixEnd(p), revision })).kvs.map((x) => `${x.key.slice(p.length)}=${text(x.value)}`);
      expect(await at(r1.revision - 1)).toEqual([]);
      expect(await at(r1.revision)).toEqual(['k=one']);
      expect(await at(r2.revision)).toEqual(['k=two']);
      expect(await at(r3.revision)).toEqual([]);
      const past = await kv.range(`${p}k`, { revision: r2.revision });
      expect(past.kvs[0]).toMatchObject({ modRevision: r2.revision, createRevision: r1.revision, version: 2 });
      const current = (await kv.status()).revision;
      expect(past.revision).toBe(current);
      await expect(kv.range(`${p}k`, { revision: current + 10 })).rejects.toBeInstanceOf(FutureRevisionError);
    });

    it('limits, counts, keysOnly and countOnly', async () => {
      const p = fresh();
      for (let i = 0; i < 5; i++) await kv.put(`${p}${i}`, bytes(`v${i}`));
      const end = prefixEnd(p);
      const limited = await kv.range(p, { end, limit: 2 });
      expect(limited.kvs.map((x) => x.key.slice(p.length))).toEqual(['0', '1']);
      expect(limited).toMatchObject({ count: 5, more: true });
      expect(await kv.range(p, { end, limit: 5 })).toMatchObject({ count: 5, more: false });
      expect(await kv.range(p, { end, limit: 0 })).toMatchObject({ count: 5, more: false });
      const keysOnly = await kv.range(p, { end, keysOnly: true });
      expect(keysOnly.kvs).toHaveLength(5);
      expect(keysOnly.kvs.every((x) => x.value.length === 0 && x.version === 1)).toBe(true);
      const countOnly = await kv.range(p, { end, countOnly: true });
      expect(countOnly).toMatchObject({ kvs: [], count: 5, more: false });
    });

    it('txn: compare-and-swap on mod revision, create-if-absent, both branches', async () => {
      const p = fresh();
      const create = (value: string) =>
        kv.txn({
          compare: [{ key: `${p}k`, target: 'create', result: '=', value: 0 }],
          success: [{ type: 'put', key: `${p}k`, value: bytes(value) }],
          failure: [{ type: 'range', key: `${p}k` }],
        });
      const created = await create('first');
      expect(created.succeeded).toBe(true);
      const exists = await create('second');
      expect(exists.succeeded).toBe(false);
      expect(exists.revision).toBe(created.revision);
      const got = exists.results[0];
      expect(got.type === 'range' && text(got.result.kvs[0].value)).toBe('first');

      const cas = (mod: number, value: string) =>
        kv.txn({
          compare: [{ key: `${p}k`, target: 'mod', result: '=', value: mod }],
          success: [{ type: 'put', key: `${p}k`, value: bytes(value), prevKv: true }],
          failure: [],
        });
      const swapped = await cas(created.revision, 'second');
      expect(swapped.succeeded).toBe(true);
      expect(swapped.revision).toBe(created.revision + 1);
      const r = swapped.results[0];
      expect(r.type === 'put' && r.prevKv && text(r.prevKv.value)).toBe('first');
      const stale = await cas(created.revision, 'third');
      expect(stale).toMatchObject({ succeeded: false, revision: swapped.revision, results: [] });
      expect(text((await kv.range(`${p}k`)).kvs[0].value)).toBe('second');
    });

    it('txn: compares on version, value, lease and missing keys, as etcd evaluates them', async () => {
      const p = fresh();
      await kv.put(`${p}k`, bytes('b'));
      await kv.put(`${p}k`, bytes('b'));
      const check = async (compare: Parameters<KV['txn']>[0]['compare'][number]) => (await kv.txn({ compare: [compare], success: [], failure: [] })).succeeded;
      const k = `${p}k`;
      const missing = `${p}missing`;
      expect(await check({ key: k, target: 'version', result: '=', value: 2 })).toBe(true);
      expect(await check({ key: k, target: 'version', result: '>', value: 1 })).toBe(true);
      expect(await check({ key: k, target: 'version', result: '<', value: 2 })).toBe(false);
      expect(await check({ key: k, target: 'version', result: '!=', value: 2 })).toBe(false);
      expect(await check({ key: k, target: 'value', result: '=', value: bytes('b') })).toBe(true);
      expect(await check({ key: k, target: 'value', result: '>', value: bytes('a') })).toBe(true);
      expect(await check({ key: k, target: 'value', result: '<', value: bytes('a') })).toBe(false);
      expect(await check({ key: k, target: 'lease', result: '=', value: 0 })).toBe(true);
      expect(await check({ key: missing, target: 'version', result: '=', value: 0 })).toBe(true);
      expect(await check({ key: missing, target: 'mod', result: '=', value: 0 })).toBe(true);
      expect(await check({ key: missing, target: 'create', result: '<', value: 1 })).toBe(true);
      expect(await check({ key: missing, target: 'lease', result: '=', value: 0 })).toBe(true);
      expect(await check({ key: missing, target: 'value', result: '=', value: new Uint8Array(0) })).toBe(false);
      expect(await check({ key: missing, target: 'value', result: '!=', value: bytes('x') })).toBe(false);
    });

    it('txn: all writes share one revision; reads in the txn see earlier writes', async () => {
      const p = fresh();
      await kv.put(`${p}gone`, bytes('x'));
      const r = await kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}a`, value: bytes('1') },
          { type: 'put', key: `${p}b`, value: bytes('2') },
          { type: 'delete', key: `${p}gone`, prevKv: true },
          { type: 'range', key: p, end: prefixEnd(p) },
        ],
        failure: [],
      });
      expect(r.succeeded).toBe(true);
      const listed = r.results[3];
      expect(listed.type === 'range' && listed.result.kvs.map((x) => x.key.slice(p.length))).toEqual(['a', 'b']);
      const del = r.results[2];
      expect(del.type === 'delete' && del.deleted).toBe(1);
      const kvs = (await kv.range(p, { end: prefixEnd(p) })).kvs;
      expect(kvs.map((x) => x.modRevision)).toEqual([r.revision, r.revision]);
      expect((await kv.status()).revision).toBe(r.revision);
      await expect(
        kv.txn({ compare: [], success: [{ type: 'put', key: `${p}a`, value: bytes('x') }, { type: 'put', key: `${p}a`, value: bytes('y') }], failure: [] }),
      ).rejects.toThrow(/duplicate key/);
    });

    it('deletes ranges and prefixes; deleting nothing does not create a revision', async () => {
      const p = fresh();
      for (const k of ['a', 'b', 'c', 'd']) await kv.put(`${p}${k}`, bytes(k));
      const r = await kv.deleteRange(`${p}b`, { end: `${p}d`, prevKv: true });
      expect(r.deleted).toBe(2);
      expect(r.prevKvs?.map((x) => x.key.slice(p.length))).toEqual(['b', 'c']);
      expect((await kv.range(p, { end: prefixEnd(p) })).kvs.map((x) => x.key.slice(p.length))).toEqual(['a', 'd']);
      const none = await kv.deleteRange(`${p}zzz`);
      expect(none).toMatchObject({ deleted: 0, revision: r.revision });
      expect((await kv.status()).revision).toBe(r.revision);
      expect((await kv.deleteRange(p, { end: prefixEnd(p) })).deleted).toBe(2);
    });

    it('watch: replays history from a revision with prevKv, then delivers live events', async () => {
      const p = fresh();
      const r1 = await kv.put(`${p}a`, bytes('1'));
      await kv.put(`${p}a`, bytes('2'));
      const r3 = await kv.deleteRange(`${p}a`);
      await kv.put(`${p.slice(0, -1)}-outside`, bytes('no'));
      const w = collectWatch(kv, p, { end: prefixEnd(p), startRevision: r1.revision, prevKv: true });
      await w.watcher.ready;
      await w.until('3 replayed events', () => w.events.length >= 3);
      const r4 = await kv.put(`${p}b`, bytes('live'));
      await w.until('live event', () => w.events.length >= 4);
      w.watcher.dispose();
      expect(w.events.map((e) => `${e.type}:${e.kv.key.slice(p.length)}:${e.kv.modRevision}`)).toEqual([
        `put:a:${r1.revision}`,
        `put:a:${r1.revision + 1}`,
        `delete:a:${r3.revision}`,
        `put:b:${r4.revision}`,
      ]);
      const [first, second, deletion, live] = w.events;
      expect(first.prevKv).toBeUndefined();
      expect(second.prevKv && text(second.prevKv.value)).toBe('1');
      expect(deletion.kv).toMatchObject({ version: 0, createRevision: 0, modRevision: r3.revision });
      expect(deletion.kv.value.length).toBe(0);
      expect(deletion.prevKv && text(deletion.prevKv.value)).toBe('2');
      expect(live.kv).toMatchObject({ version: 1, createRevision: r4.revision });
      expect(w.error()).toBeUndefined();
    });

    it('watch: without a start revision only future events; a txn arrives as one batch', async () => {
      const p = fresh();
      await kv.put(`${p}old`, bytes('x'));
      const w = collectWatch(kv, p, { end: prefixEnd(p) });
      await w.watcher.ready;
      const t = await kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}x`, value: bytes('1') },
          { type: 'put', key: `${p}y`, value: bytes('2') },
          { type: 'delete', key: `${p}old` },
        ],
        failure: [],
      });
      await w.until('txn events', () => w.events.length >= 3);
      w.watcher.dispose();
      expect(w.events.every((e) => e.kv.modRevision === t.revision)).toBe(true);
      expect(w.events.map((e) => e.type).sort()).toEqual(['delete', 'put', 'put']);
      expect(w.events.some((e) => e.prevKv !== undefined)).toBe(false);
      const batch = w.batches.find((b) => b.some((e) => e.kv.key === `${p}x`));
      expect(batch?.filter((e) => e.kv.modRevision === t.revision)).toHaveLength(3);
    });

    it('watch: a single key, and no events after dispose', async () => {
      const p = fresh();
      const w = collectWatch(kv, `${p}k`, {});
      await w.watcher.ready;
      await kv.put(`${p}k2`, bytes('not me'));
      await kv.put(`${p}k`, bytes('me'));
      await w.until('event', () => w.events.length >= 1);
      w.watcher.dispose();
      await kv.put(`${p}k`, bytes('after'));
      await new Promise((r) => setTimeout(r, 100));
      expect(w.events.map((e) => text(e.kv.value))).toEqual(['me']);
    });

    it('keeps concurrent writes ordered: distinct revisions, watched in order', async () => {
      const p = fresh();
      const w = collectWatch(kv, p, { end: prefixEnd(p) });
      await w.watcher.ready;
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => kv.put(`${p}${i % 7}`, bytes(String(i)))));
      const revs = results.map((r) => r.revision);
      expect(new Set(revs).size).toBe(40);
      await w.until('40 events', () => w.events.length >= 40);
      w.watcher.dispose();
      const seen = w.events.map((e) => e.kv.modRevision);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(new Set(seen)).toEqual(new Set(revs));
    });

    it('compaction: old revisions and watches fail with CompactedError, later ones work', async () => {
      const p = fresh();
      const r1 = await kv.put(`${p}k`, bytes('1'));
      const r2 = await kv.put(`${p}k`, bytes('2'));
      await kv.put(`${p}gone`, bytes('g'));
      const r4 = await kv.deleteRange(`${p}gone`);
      const r5 = await kv.put(`${p}k`, bytes('3'));
      await kv.compact(r4.revision);
      const status = await kv.status();
      expect(status.compactRevision).toBe(r4.revision);
      await expect(kv.range(`${p}k`, { revision: r2.revision })).rejects.toBeInstanceOf(CompactedError);
      const atCompact = await kv.range(p, { end: prefixEnd(p), revision: r4.revision });
      expect(atCompact.kvs.map((x) => `${x.key.slice(p.length)}=${text(x.value)}`)).toEqual(['k=2']);
      expect(atCompact.kvs[0]).toMatchObject({ createRevision: r1.revision, version: 2 });
      expect((await kv.range(`${p}k`)).kvs[0]).toMatchObject({ version: 3, modRevision: r5.revision });
      await expect(kv.compact(r4.revision)).rejects.toBeInstanceOf(CompactedError);
      await expect(kv.compact(r2.revision)).rejects.toBeInstanceOf(CompactedError);
      await expect(kv.compact(status.revision + 100)).rejects.toBeInstanceOf(FutureRevisionError);

      const old = collectWatch(kv, p, { end: prefixEnd(p), startRevision: r2.revision });
      await old.until('compaction error', () => old.error() !== undefined);
      expect(old.error()).toBeInstanceOf(CompactedError);
      expect((old.error() as CompactedError).compactRevision).toBe(r4.revision);
      old.watcher.dispose();

      // etcd drops a deletion at the compaction revision itself: the watch starts with what follows.
      const ok = collectWatch(kv, p, { end: prefixEnd(p), startRevision: r4.revision, prevKv: true });
      await ok.until('events from the compact revision', () => ok.events.length >= 1);
      await new Promise((r) => setTimeout(r, 50));
      ok.watcher.dispose();
      expect(ok.events.map((e) => `${e.type}:${e.kv.modRevision}`)).toEqual([`put:${r5.revision}`]);
      expect(ok.events[0].prevKv && text(ok.events[0].prevKv.value)).toBe('2');
    });

    it('compaction at a put: the watch from there has no prevKv; txn reads below it fail; future watches wait', async () => {
      const p = fresh();
      await kv.put(`${p}k`, bytes('1'));
      const r2 = await kv.put(`${p}k`, bytes('2'));
      await kv.compact(r2.revision);
      const w = collectWatch(kv, p, { end: prefixEnd(p), startRevision: r2.revision, prevKv: true });
      await w.until('the put at the compaction revision', () => w.events.length >= 1);
      expect(w.events[0].kv.modRevision).toBe(r2.revision);
      expect(w.events[0].prevKv).toBeUndefined();
      w.watcher.dispose();
      await expect(kv.txn({ compare: [], success: [{ type: 'range', key: `${p}k`, revision: r2.revision - 1 }], failure: [] })).rejects.toBeInstanceOf(CompactedError);
      const future = collectWatch(kv, p, { end: prefixEnd(p), startRevision: r2.revision + 2 });
      await future.watcher.ready;
      await kv.put(`${p}a`, bytes('skipped'));
      const r4 = await kv.put(`${p}b`, bytes('seen'));
      await future.until('the event at the future revision', () => future.events.length >= 1);
      future.watcher.dispose();
      expect(future.events.map((e) => e.kv.modRevision)).toEqual([r4.revision]);
    });

    it('refuses what etcd refuses: empty keys, unknown leases, a key written twice in a branch, too many ops', async () => {
      const p = fresh();
      await expect(kv.put('', bytes('x'))).rejects.toThrow(/key is not provided/);
      await expect(kv.range('')).rejects.toThrow(/key is not provided/);
      await expect(kv.put(`${p}l`, bytes('x'), { lease: 12345 })).rejects.toThrow(/lease not found/);
      const overlapping = { compare: [], success: [{ type: 'delete' as const, key: p, end: prefixEnd(p) }, { type: 'put' as const, key: `${p}a`, value: bytes('x') }], failure: [] };
      await expect(kv.txn(overlapping)).rejects.toThrow(/duplicate key/);
      // Both branches are checked, whichever would run.
      await expect(kv.txn({ compare: [], success: [], failure: overlapping.success })).rejects.toThrow(/duplicate key/);
      const many = Array.from({ length: 129 }, (_, i) => ({ type: 'put' as const, key: `${p}m${i}`, value: bytes('x') }));
      await expect(kv.txn({ compare: [], success: many, failure: [] })).rejects.toThrow(/too many operations/);
      expect((await kv.range(p, { end: prefixEnd(p), countOnly: true })).count).toBe(0);
      const okMany = many.slice(0, 128);
      const r = await kv.txn({ compare: [], success: okMany, failure: [] });
      expect((await kv.range(p, { end: prefixEnd(p), countOnly: true })).count).toBe(128);
      expect((await kv.range(`${p}m0`)).kvs[0].modRevision).toBe(r.revision);
    });
  });
}
