// EtcdKV watches survive an etcd restart: they resume from the revision after the last delivered
// event, so the listener sees every change exactly once and no error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EtcdKV } from '../../src/core/sandbox/store/etcd-kv.js';
import { ETCD_BINARY, etcdAvailable, startEtcd } from '../../src/core/sandbox/store/etcd-process.js';
import { bytes, prefixEnd, text, type WatchEvent } from '../../src/core/sandbox/store/kv.js';

const run = etcdAvailable() ? describe : describe.skip;

async function until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

run(`EtcdKV watch across an etcd (${ETCD_BINARY}) restart`, () => {
  it('resumes without gaps, repeats or errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kd-etcd-restart-'));
    let etcd = await startEtcd(dir);
    const kv = await EtcdKV.connect({ endpoints: [etcd.endpoint] });
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    const watcher = kv.watch('/r/', { end: prefixEnd('/r/'), prevKv: true }, {
      onEvents: (batch) => events.push(...batch),
      onError: (e) => errors.push(e),
    });
    try {
      await watcher.ready;
      await kv.put('/r/a', bytes('1'));
      await until('first event', () => events.length === 1);
      await etcd.stop();
      etcd = await startEtcd(dir, { clientPort: etcd.clientPort, peerPort: etcd.peerPort });
      // Writes while the watch is reconnecting must still arrive, in order.
      await kv.put('/r/a', bytes('2'));
      await kv.put('/r/b', bytes('3'));
      await until('events after the restart', () => events.length >= 3);
      await new Promise((r) => setTimeout(r, 200));
      expect(errors).toEqual([]);
      expect(events.map((e) => `${e.kv.key}=${text(e.kv.value)}`)).toEqual(['/r/a=1', '/r/a=2', '/r/b=3']);
      expect(events[1].prevKv && text(events[1].prevKv.value)).toBe('1');
      const revisions = events.map((e) => e.kv.modRevision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    } finally {
      watcher.dispose();
      await kv.close();
      await etcd.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
