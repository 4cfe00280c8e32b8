// Web mode: the built renderer and the WebSocket RPC on 127.0.0.1, both behind the access token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRpcMessage } from '../../shared/rpc/contract.js';
import { stringifyWithJsonTexts } from '../watch/raw-json.js';
import type { AppService } from './app-service.js';
import { hostAllowed, requestToken, tokenMatches, TOKEN_COOKIE } from './access-token.js';

export interface WebServerOptions {
  staticDir: string;
  token: string;
  app: AppService;
  port?: number;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Monaco (the YAML editor) writes <style> elements and style attributes as it renders; scripts
    // stay 'self' only, and with default-src 'none' injected CSS can load nothing from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { staticDir, token, app } = options;
  let port = 0;

  function authorized(req: IncomingMessage): { ok: boolean; url: URL; viaQuery: boolean } {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { fromQuery, fromCookie } = requestToken(url, req.headers.cookie);
    const viaQuery = tokenMatches(token, fromQuery);
    return { ok: hostAllowed(req.headers.host, port) && (viaQuery || tokenMatches(token, fromCookie)), url, viaQuery };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { ok, url, viaQuery } = authorized(req);
    const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
    if (!ok) {
      res.writeHead(401, { ...common, 'content-type': 'text/plain; charset=utf-8' });
      res.end('Kubedesk: this address needs its access token. Open the URL Kubedesk printed when it started (it ends with ?token=...).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, allow: 'GET, HEAD' }).end();
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const path = normalize(join(staticDir, relative));
    if (!path.startsWith(staticDir + sep)) {
      res.writeHead(404, common).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      res.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${url.pathname}\n`);
      return;
    }
    const headers: Record<string, string> = { ...common, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy(port) };
    // The page's own assets load without ?token=: the first authorized load leaves the token in a
    // cookie only this origin sends back.
    if (viaQuery) headers['set-cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Kubedesk failed to serve ${req.url}: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { ok, url } = authorized(req);
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!ok || !originOk || url.pathname !== '/rpc') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = app.connect((message) => {
        // Watch batches carry their objects' JSON text: 50,000 pods are not serialized again here.
        if (ws.readyState === ws.OPEN) ws.send(stringifyWithJsonTexts(message));
      });
      ws.on('message', (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          ws.close(1003, 'messages must be JSON');
          return;
        }
        const message = parseRpcMessage(parsed);
        if (message) void connection.receive(message);
      });
      ws.on('close', () => connection.dispose());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
