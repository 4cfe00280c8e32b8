// Durable write throughput of EmbeddedKV vs a real etcd (Debian's etcd-server, started here on
// loopback, driven through EtcdKV so both go through the same KV interface), and the time to open
// an embedded store of 50,000 keys. Prints figures only.   Run: npx tsx bench/store-bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdKV } from '../src/core/sandbox/store/etcd-kv.js';
import { ETCD_BINARY, etcdAvailable, startEtcd } from '../src/core/sandbox/store/etcd-process.js';
import { prefixEnd, type KV } from '../src/core/sandbox/store/kv.js';
import { EmbeddedKV } from '../src/core/sandbox/store/memory-kv.js';

const VALUE = new Uint8Array(512).fill(120);
const SEQUENTIAL_MS = 3000;
const CONCURRENT_WRITES = 6000;
const IN_FLIGHT = 64;

async function sequential(kv: KV): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < SEQUENTIAL_MS) await kv.put(`/bench/seq/${n++}`, VALUE);
  return n / ((performance.now() - started) / 1000);
}

async function concurrent(kv: KV): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < CONCURRENT_WRITES) await kv.put(`/bench/conc/${next++}`, VALUE);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return CONCURRENT_WRITES / ((performance.now() - started) / 1000);
}

async function measure(kv: KV): Promise<{ seq: number; conc: number }> {
  return { seq: await sequential(kv), conc: await concurrent(kv) };
}

async function openTime(): Promise<{ ms: number; keys: number; snapshotMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-bench-open-'));
  try {
    const kv = await EmbeddedKV.open(dir, { fsync: false });
    const value = new TextEncoder().encode(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v'.repeat(300) } }));
    for (let i = 0; i < 50_000; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, j) => kv.put(`/registry/configmaps/ns${(i + j) % 50}/cm-${i + j}`, value)));
    }
    const closeStarted = performance.now();
    await kv.close();
    const snapshotMs = performance.now() - closeStarted;
    const started = performance.now();
    const again = await EmbeddedKV.open(dir);
    const ms = performance.now() - started;
    const keys = (await again.range('/registry/', { end: prefixEnd('/registry/'), countOnly: true })).count;
    await again.close();
    return { ms, keys, snapshotMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => n.toFixed(0).padStart(12);

async function main(): Promise<void> {
  const rows: { name: string; seq: number; conc: number }[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'kd-bench-'));
  try {
    const embedded = await EmbeddedKV.open(join(dir, 'embedded'));
    rows.push({ name: 'EmbeddedKV (WAL + fdatasync)', ...(await measure(embedded)) });
    await embedded.close();
    if (etcdAvailable()) {
      const etcd = await startEtcd(join(dir, 'etcd'));
      try {
        const kv = await EtcdKV.connect({ endpoints: [etcd.endpoint] });
        rows.push({ name: `etcd ${ETCD_BINARY} via EtcdKV`, ...(await measure(kv)) });
        await kv.close();
      } finally {
        await etcd.stop();
      }
    } else {
      console.log(`(no etcd binary at ${ETCD_BINARY}: etcd row skipped)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\ndurable puts of ${VALUE.length}-byte values, writes/s`);
  console.log(`${'store'.padEnd(40)}${'sequential'.padStart(12)}${`${IN_FLIGHT} in flight`.padStart(14)}`);
  for (const r of rows) console.log(`${r.name.padEnd(40)}${fmt(r.seq)}${fmt(r.conc).padStart(14)}`);
  if (rows.length === 2) {
    const [e, c] = rows;
    console.log(`${'ratio embedded / etcd'.padEnd(40)}${(e.seq / c.seq).toFixed(2).padStart(12)}${(e.conc / c.conc).toFixed(2).padStart(14)}`);
  }
  const open = await openTime();
  console.log(`\nEmbeddedKV with ${open.keys} keys: open ${open.ms.toFixed(0)} ms (snapshot written at close in ${open.snapshotMs.toFixed(0)} ms)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
