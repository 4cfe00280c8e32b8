// A cluster for the logs bench: an HTTP front that relays every request to the app's sandbox (with
// its admin certificate), except the log of one pod, which it serves itself at a rate the bench
// sets. The app sees an ordinary kubeconfig cluster and a real pod; the log lines come as fast as
// asked, through the real path (API stream → core's LogSession → RPC → renderer).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { adminClient, type AdminClient } from './lib.js';

export const SYNTHETIC_POD = 'synthetic';
const LOG_PATH = `/api/v1/namespaces/default/pods/${SYNTHETIC_POD}/log`;

export const lineText = (i: number) => `2026-11-24 20:00:00 INFO request ${i} GET /api/v1/items?page=${i % 97} 200 ${i % 1000}ms user=alice`;

export class SyntheticFront {
  private upstream?: AdminClient;
  private server?: Server;
  /** Lines per second the followed log produces now; 0 pauses it. */
  rate = 0;
  /** Lines sent so far (all connections). */
  sent = 0;
  /** Lines to send at once, as fast as the connection takes them (the million-line load). */
  private burst = 0;
  private nanos = 0;

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  connect(url: string, kubeconfigPath: string): void {
    this.upstream = adminClient(url, kubeconfigPath, 32);
  }

  sendBurst(lines: number): void {
    this.burst += lines;
  }

  close(): void {
    this.server?.closeAllConnections();
    this.server?.close();
    this.upstream?.agent.destroy();
  }

  private stamp(): string {
    // Nanosecond stamps that always increase, as the kubelet's are.
    const now = Date.now();
    this.nanos = (this.nanos + 1) % 1_000_000;
    return `${new Date(now).toISOString().slice(0, 23)}${String(this.nanos).padStart(6, '0')}Z`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if ((req.url ?? '').startsWith(LOG_PATH)) return this.serveLog(res);
    const up = this.upstream;
    if (!up) {
      res.writeHead(503).end('the sandbox is not ready yet');
      return;
    }
    const base = new URL(up.url);
    const headers = { ...req.headers, host: base.host };
    delete headers.authorization;
    const out = request({ host: base.hostname, port: base.port, path: req.url, method: req.method, agent: up.agent, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(out);
    res.on('close', () => out.destroy());
  }

  private serveLog(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let owed = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      owed += (this.rate * (now - last)) / 1000;
      last = now;
      // A reader that cannot keep up gets the lines later: nothing is dropped, the rate it takes shows.
      if (res.writableNeedDrain) return;
      let n = Math.floor(owed);
      owed -= n;
      const burst = Math.min(this.burst, 20_000);
      this.burst -= burst;
      n += burst;
      if (n === 0) return;
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(`${this.stamp()} ${lineText(this.sent++)}\n`);
      res.write(parts.join(''));
    }, 20);
    res.on('close', () => clearInterval(tick));
  }
}
