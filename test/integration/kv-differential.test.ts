// Differential test: the same random operations against a fresh EmbeddedKV and a fresh real etcd
// must give identical results (revisions included, since both start at revision 1), the same
// errors, and the same watch history, also across reopening the embedded store. etcd is the reference.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdKV } from '../../src/core/sandbox/store/etcd-kv.js';
import { ETCD_BINARY, etcdAvailable, startEtcd, type EtcdProcess } from '../../src/core/sandbox/store/etcd-process.js';
import { bytes, prefixEnd, text, type KV, type KeyValue, type WatchEvent } from '../../src/core/sandbox/store/kv.js';
import { EmbeddedKV } from '../../src/core/sandbox/store/memory-kv.js';

/** Deterministic PRNG (mulberry32) so that a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const show = (kv: KeyValue): string => `${kv.key}=${text(kv.value)}@c${kv.createRevision}m${kv.modRevision}v${kv.version}`;
const showEvent = (e: WatchEvent): string => `${e.type}:${show(e.kv)}${e.prevKv ? ` prev ${show(e.prevKv)}` : ''}`;

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    const value = await fn();
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? text(v) : v));
  } catch (error) {
    return `error ${error instanceof Error ? error.name : 'unknown'}`;
  }
}

function watchAll(kv: KV, startRevision: number) {
  const events: string[] = [];
  let error = '';
  const watcher = kv.watch('/', { end: prefixEnd('/'), startRevision, prevKv: true }, {
    onEvents: (batch) => events.push(...batch.map(showEvent)),
    onError: (e) => (error = e.name),
  });
  return { events, watcher, error: () => error };
}

const run = etcdAvailable() ? describe : describe.skip;

run(`EmbeddedKV and etcd (${ETCD_BINARY}) agree on random operations`, () => {
  let dir: string;
  let etcd: EtcdProcess;
  let reference: EtcdKV;
  let embedded: EmbeddedKV;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kd-diff-'));
    etcd = await startEtcd(join(dir, 'etcd'));
    reference = await EtcdKV.connect({ endpoints: [etcd.endpoint] });
    embedded = await EmbeddedKV.open(join(dir, 'embedded'), { fsync: false, snapshotEvery: 30 });
  });
  afterAll(async () => {
    await reference?.close();
    await embedded?.close();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives identical results for 400 random operations', async () => {
    const random = rng(Number(process.env.KV_DIFF_SEED ?? 20261124));
    const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)];
    const keys = ['/a', '/a/1', '/a/2', '/b', '/b/x', '/c', '/d/1', '/d/2'];
    let compacted = 0;
    for (let step = 0; step < 400; step++) {
      // Reopening (snapshot + WAL replay) must not change any answer.
      if (step % 100 === 99) {
        await embedded.close();
        embedded = await EmbeddedKV.open(join(dir, 'embedded'), { fsync: false, snapshotEvery: 30 });
      }
      const current = (await reference.status()).revision;
      const rev = Math.floor(random() * (current + 3));
      const key = pick(keys);
      const end = pick([undefined, prefixEnd(key), '/c', '\0']);
      const kind = random();
      let op: (kv: KV) => Promise<unknown>;
      let label: string;
      if (kind < 0.35) {
        const value = bytes(`v${step}`);
        const prevKv = random() < 0.5;
        label = `put ${key} prevKv=${prevKv}`;
        op = (kv) => kv.put(key, value, { prevKv });
      } else if (kind < 0.45) {
        label = `delete ${key}..${String(end)}`;
        op = (kv) => kv.deleteRange(key, { end, prevKv: true });
      } else if (kind < 0.7) {
        const options = { end, revision: random() < 0.5 ? rev : 0, limit: pick([0, 1, 2]), keysOnly: random() < 0.2, countOnly: random() < 0.1 };
        label = `range ${key} ${JSON.stringify(options)}`;
        op = (kv) => kv.range(key, options);
      } else if (kind < 0.95) {
        const target = pick(['version', 'create', 'mod', 'value'] as const);
        const value = target === 'value' ? bytes(`v${Math.floor(random() * step)}`) : Math.floor(random() * (current + 1));
        const result = pick(['=', '!=', '<', '>'] as const);
        const victim = pick(keys);
        label = `txn ${key} ${target} ${result} ${String(value)}`;
        op = (kv) =>
          kv.txn({
            compare: [{ key, target, result, value }],
            success: [{ type: 'put', key, value: bytes(`t${step}`), prevKv: true }, { type: 'range', key: '/', end: prefixEnd('/') }],
            failure: [{ type: 'delete', key: victim, end, prevKv: true }, { type: 'range', key, revision: rev }],
          });
      } else {
        label = `compact ${rev}`;
        op = (kv) => kv.compact(rev);
        if (rev > compacted && rev <= current) compacted = rev;
      }
      const expected = await outcome(() => op(reference));
      const actual = await outcome(() => op(embedded));
      expect(actual, `step ${step}: ${label}`).toBe(expected);
    }
    const [refStatus, embStatus] = [await reference.status(), await embedded.status()];
    expect(embStatus.revision).toBe(refStatus.revision);
    expect(embStatus.compactRevision).toBe(refStatus.compactRevision);
    expect(embStatus.keys).toBe(refStatus.keys);

    for (const start of [compacted, compacted + 1, Math.max(1, compacted - 1)]) {
      const a = watchAll(reference, start);
      const b = watchAll(embedded, start);
      const deadline = Date.now() + 5000;
      const target = refStatus.revision;
      const reached = (events: string[], error: () => string) => error() !== '' || events.some((e) => e.includes(`m${target}v`));
      while (Date.now() < deadline && !(reached(a.events, a.error) && reached(b.events, b.error))) await new Promise((r) => setTimeout(r, 10));
      a.watcher.dispose();
      b.watcher.dispose();
      expect(b.error(), `watch error from revision ${start}`).toBe(a.error());
      expect(b.events, `watch history from revision ${start}`).toEqual(a.events);
    }
  });
});
