// A real HTTP server playing the kubelet's log endpoint (sinceTime with one-second precision, as the
// API has it) that drops the connection mid-stream: the follower must deliver every line once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerLog, parseTimestampedLine, type LogEntry } from './container-log.js';

const BASE = Date.parse('2026-11-24T20:00:00Z');

function stamp(ms: number, extraNanos: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String(extraNanos).padStart(6, '0')}Z`;
}

/** 300 lines at 20 per second, with bursts of identical lines sharing one timestamp. */
function logLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const ms = BASE + Math.floor(i / 4) * 50;
    lines.push(`${stamp(ms, 0)} ${i % 4 === 0 ? `line ${i}` : 'same text'}`);
  }
  return lines;
}

let server: Server | undefined;
afterEach(() => server?.close());

function kubeconfigFor(port: number): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('ContainerLog', () => {
  it('a stream dropped twice mid-way resumes from the last timestamp without gaps or duplicates', async () => {
    const all = logLines();
    const requests: URL[] = [];
    const dropAfter = [37, 101];
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      requests.push(url);
      const since = url.searchParams.get('sinceTime');
      expect(since === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(since)).toBe(true);
      const lines = since ? all.filter((l) => parseTimestampedLine(l)!.time >= Date.parse(since)) : all;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drop = dropAfter[requests.length - 1];
      let i = 0;
      const tick = setInterval(() => {
        // Several lines per write, and a drop in the middle of a line, as a broken proxy would.
        const chunk = lines.slice(i, i + 7).map((l) => `${l}\n`).join('');
        i += 7;
        if (drop !== undefined && i >= drop) {
          res.write(chunk.slice(0, chunk.length - 5));
          clearInterval(tick);
          res.socket?.destroy();
          return;
        }
        if (chunk) res.write(chunk);
        else clearInterval(tick); // follow: stay open
      }, 2);
      res.on('close', () => clearInterval(tick));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const got: LogEntry[] = [];
    const retries: string[] = [];
    const log = new ContainerLog(kubeconfigFor(port), { namespace: 'ns', pod: 'p', container: 'c', follow: true, tailLines: 1000, retryMs: 10 }, { onEntries: (e) => got.push(...e), onRetry: (r) => retries.push(r) });
    const deadline = Date.now() + 10_000;
    while (got.length < all.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    log.dispose();
    expect(requests).toHaveLength(3);
    expect(retries).toHaveLength(2);
    expect(requests[0].searchParams.get('tailLines')).toBe('1000');
    expect(requests[1].searchParams.get('tailLines')).toBeNull();
    expect(got.map((e) => `${e.timestamp} ${e.text}`)).toEqual(all);
    expect(log.connectionCount).toBe(3);
  });

  it('ends without retrying when the pod is gone', async () => {
    let count = 0;
    server = createServer((_req, res) => {
      count++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', message: 'pods "p" not found' }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const ended = await new Promise<string | undefined>((resolve) => {
      new ContainerLog(kubeconfigFor((server!.address() as AddressInfo).port), { namespace: 'ns', pod: 'p', container: 'c', follow: true, retryMs: 10 }, { onEntries: () => undefined, onEnd: resolve });
    });
    expect(ended).toContain('pods "p" not found');
    expect(count).toBe(1);
  });
});
