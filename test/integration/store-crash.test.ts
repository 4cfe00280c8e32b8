// SIGKILLs a process writing to an EmbeddedKV at random moments and checks that the store opens
// and holds every write the process had acknowledged (printed after its promise resolved).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { text } from '../../src/core/sandbox/store/kv.js';
import { EmbeddedKV } from '../../src/core/sandbox/store/memory-kv.js';

const writer = fileURLToPath(new URL('../../src/core/sandbox/store/crash-writer.ts', import.meta.url));
const ROUNDS = 20;

interface Ack {
  key: string;
  /** undefined: an acknowledged deletion. */
  value: string | undefined;
  revision: number;
}

/** Runs the writer until it has acknowledged some writes, then SIGKILLs it after a random delay. */
function runAndKill(dir: string, round: number): Promise<{ acks: Ack[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.includes('ACK ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 250));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    // 'close', not 'exit': at 'exit' the last lines the writer printed may still be unread in the
    // pipe, and a write acknowledged in them would look unacknowledged (its later deletion, a loss).
    child.on('close', () => {
      clearTimeout(guard);
      // Only whole lines: a line cut by the kill was never fully acknowledged to us.
      const lines = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
      const acks = lines
        .filter((l) => l.startsWith('ACK ') || l.startsWith('DEL '))
        .map((l) => {
          const [op, key, value, revision] = l.split(' ');
          return { key, value: op === 'DEL' ? undefined : value, revision: Number(revision) };
        });
      resolve({ acks, stderr });
    });
  });
}

it(`keeps every acknowledged write across ${ROUNDS} SIGKILLs`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-crash-'));
  const started = Date.now();
  let total = 0;
  let deletions = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { acks, stderr } = await runAndKill(dir, round);
      expect(stderr, `writer stderr in round ${round}`).not.toMatch(/crash-writer failed/);
      expect(acks.length, `round ${round} acknowledged nothing`).toBeGreaterThan(0);
      total += acks.length;
      const kv = await EmbeddedKV.open(dir);
      try {
        const status = await kv.status();
        expect(status.revision).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.revision)));
        deletions += acks.filter((a) => a.value === undefined).length;
        const lastCounter = new Map<string, string>();
        // Per key, the last acknowledged operation decides what must be there.
        const last = new Map<string, Ack>();
        for (const ack of acks) {
          if (ack.key.startsWith('/crash/counter/')) {
            const prev = lastCounter.get(ack.key);
            if (ack.value && (!prev || ack.value > prev)) lastCounter.set(ack.key, ack.value);
          } else last.set(ack.key, ack);
        }
        for (const ack of last.values()) {
          const got = (await kv.range(ack.key)).kvs[0];
          if (ack.value === undefined) {
            expect(got, `acknowledged deletion of ${ack.key} (revision ${ack.revision}) undone in round ${round}`).toBeUndefined();
            continue;
          }
          // The writer deletes key k after acknowledging its put of key k+2: if that ack is out, the
          // deletion may have happened without being acknowledged yet.
          const slash = ack.key.lastIndexOf('/');
          const later = `${ack.key.slice(0, slash + 1)}${Number(ack.key.slice(slash + 1)) + 2}`;
          if (!got && last.has(later)) continue;
          expect(got && text(got.value), `acknowledged ${ack.key} (revision ${ack.revision}) lost in round ${round}`).toBe(ack.value);
          expect(got.modRevision).toBe(ack.revision);
        }
        for (const [key, value] of lastCounter) {
          const got = (await kv.range(key)).kvs[0];
          expect(got && text(got.value) >= value, `${key} went back before ${value} in round ${round}`).toBe(true);
        }
      } finally {
        await kv.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(total).toBeGreaterThan(ROUNDS);
  expect(deletions).toBeGreaterThan(0);
  expect(Date.now() - started).toBeLessThan(90_000);
}, 120_000);
