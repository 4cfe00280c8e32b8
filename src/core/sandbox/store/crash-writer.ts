// Child process for the crash test (test/integration/store-crash.test.ts): writes to an EmbeddedKV
// from many concurrent loops and prints "ACK <key> <value> <revision>" (or "DEL <key> - <revision>")
// once each write is durable.
// The test SIGKILLs it at a random moment and checks every acknowledged write survived.
import { bytes } from './kv.js';
import { EmbeddedKV } from './memory-kv.js';

async function main(): Promise<void> {
  const [dir, round] = process.argv.slice(2);
  if (!dir || !round) throw new Error('usage: crash-writer.ts <store dir> <round>');
  // A small snapshot interval so that kills also land during snapshots and WAL rotations.
  const kv = await EmbeddedKV.open(dir, { snapshotEvery: 150 });
  process.stdout.write('OPEN\n');
  const loop = async (worker: number): Promise<never> => {
    for (let seq = 0; ; seq++) {
      const unique = `/crash/${round}/w${worker}/${seq}`;
      const value = `${round}-${worker}-${seq}-${'x'.repeat(seq % 50)}`;
      const put = await kv.put(unique, bytes(value));
      process.stdout.write(`ACK ${unique} ${value} ${put.revision}\n`);
      // A counter overwritten in place: after recovery it holds at least the last acknowledged value.
      const counter = `/crash/counter/w${worker}`;
      const r = await kv.put(counter, bytes(`${round.padStart(4, '0')}:${String(seq).padStart(9, '0')}`));
      process.stdout.write(`ACK ${counter} ${round.padStart(4, '0')}:${String(seq).padStart(9, '0')} ${r.revision}\n`);
      if (seq % 3 === 2) {
        const victim = `/crash/${round}/w${worker}/${seq - 2}`;
        const d = await kv.deleteRange(victim);
        process.stdout.write(`DEL ${victim} - ${d.revision}\n`);
      }
      if (worker === 0 && seq % 100 === 99) await kv.compact(r.revision - 50);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, i) => loop(i)));
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-writer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
