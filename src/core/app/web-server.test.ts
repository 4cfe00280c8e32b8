import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppService } from './app-service.js';
import { ClusterManager } from './cluster-manager.js';
import { WatchService } from './watch-service.js';
import { startWebServer, type WebServer } from './web-server.js';
import { hostAllowed, tokenMatches } from './access-token.js';

let dir: string;
let server: WebServer;
const token = 'test-token-0123456789';

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; refused?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    ws.on('error', () => resolve({ refused: -1 }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Kubedesk</title>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'kubedesk-secret.txt'), 'secret');
  const clusters = new ClusterManager([], false);
  const app = new AppService(clusters, new WatchService((id) => clusters.configFor(id)));
  server = await startWebServer({ staticDir: dir, token, app });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web mode access token', () => {
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
    expect(hostAllowed('127.0.0.1:8080', 8080)).toBe(true);
    expect(hostAllowed('evil.example:8080', 8080)).toBe(false);
  });

  it('refuses every HTTP request without the token', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong', '/nothing']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.body).not.toContain('Kubedesk</title>');
    }
  });

  it('serves the page with the token, sets a cookie for its assets, and a strict CSP', async () => {
    const page = await get(`/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Kubedesk</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    // Styles may be inline (Monaco renders with them); scripts never.
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`kubedesk_token=${token}`);
    expect((await get('/assets/app.js', { cookie })).status).toBe(200);
    expect((await get('/assets/app.js', { cookie: 'kubedesk_token=nope' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    expect((await get(`/?token=${token}`, { host: `evil.example:${server.port}` })).status).toBe(401);
  });

  it('does not serve files outside the UI folder', async () => {
    const res = await get(`/..%2Fkubedesk-secret.txt?token=${token}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('secret');
  });

  it('refuses WebSockets without the token or from another origin, and answers RPC with it', async () => {
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    expect((await openSocket(base)).refused).toBe(401);
    expect((await openSocket(`${base}?token=wrong`)).refused).toBe(401);
    expect((await openSocket(`${base}?token=${token}`, { origin: 'http://evil.example' })).refused).toBe(401);
    const { ws } = await openSocket(`${base}?token=${token}`, { origin: `http://127.0.0.1:${server.port}` });
    expect(ws).toBeDefined();
    const answer = new Promise<unknown>((resolve) => ws!.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
    ws!.send(JSON.stringify({ type: 'request', id: 1, method: 'clusters.list', params: {} }));
    expect(await answer).toEqual({ type: 'response', id: 1, result: [] });
    ws!.close();
  });
});
