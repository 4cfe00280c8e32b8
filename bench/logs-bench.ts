// Logs: how many lines per second a followed log carries from the HTTP stream to the view's buffer
// (ContainerLog parsing + LogBuffer), and the memory a million buffered lines take.
// Targets (issue 5): 20,000 lines/s followed, under 300 MB with a million lines loaded.
// Not measured here: frames dropped by the renderer in Chromium (the view renders only the ~60 rows
// in sight, so its cost does not grow with the buffer).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ContainerLog } from '../src/core/logs/container-log.js';
import { LogBuffer } from '../src/renderer/shell/log-buffer.js';
import type { LogLine } from '../src/shared/rpc/terminal-contract.js';

const LINES = 1_000_000;
const text = (i: number) => `2026-11-24 20:00:00 INFO request ${i} GET /api/v1/items?page=${i % 97} 200 ${i % 1000}ms user=alice`;

async function followThroughput(): Promise<number> {
  const base = Date.parse('2026-11-24T20:00:00Z');
  const total = 300_000;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let i = 0;
    const pump = () => {
      while (i < total) {
        const chunk: string[] = [];
        for (let k = 0; k < 500 && i < total; k++, i++) chunk.push(`${new Date(base + i).toISOString()} ${text(i)}\n`);
        if (!res.write(chunk.join(''))) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const buffer = new LogBuffer();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const log = new ContainerLog(kc, { namespace: 'ns', pod: 'p', container: 'c', follow: true }, {
      onEntries: (entries) => {
        buffer.append(entries.map((e): LogLine => [e.time, e.timestamp, e.pod, e.container, 0, e.text]));
        if (buffer.size >= total) {
          log.dispose();
          resolve();
        }
      },
    });
  });
  const seconds = (performance.now() - started) / 1000;
  server.close();
  return total / seconds;
}

function memoryForMillion(): { heapMb: number; rssMb: number } {
  globalThis.gc?.();
  const before = process.memoryUsage();
  const buffer = new LogBuffer(LINES);
  const base = Date.parse('2026-11-24T20:00:00Z');
  for (let b = 0; b < LINES; b += 10_000) {
    const batch: LogLine[] = [];
    for (let i = b; i < b + 10_000; i++) batch.push([base + i, new Date(base + i).toISOString(), `web-7d4b9c-${i % 3}`, 'app', i % 3, text(i)]);
    buffer.append(batch);
  }
  globalThis.gc?.();
  const after = process.memoryUsage();
  if (buffer.size !== LINES) throw new Error('the buffer lost lines');
  return { heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMb: after.rss / 2 ** 20 };
}

// Memory first, in a fresh heap: the throughput run leaves garbage the resident size would count.
const memory = memoryForMillion();
console.log(`1,000,000 lines buffered: +${memory.heapMb.toFixed(0)} MB heap for the lines (target < 300 MB) ${memory.heapMb < 300 ? 'OK' : 'ABOVE TARGET'}; process resident ${memory.rssMb.toFixed(0)} MB`);
const rate = await followThroughput();
console.log(`followed log, stream → parse → buffer: ${Math.round(rate).toLocaleString('en')} lines/s (target 20,000) ${rate >= 20_000 ? 'OK' : 'BELOW TARGET'}`);
