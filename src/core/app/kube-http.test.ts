// Connections to a cluster: requests share keep-alive TLS connections while the kubeconfig's
// connection settings stay the same, and move to new ones when they change. Against real HTTPS
// servers verifying a client certificate, as the sandbox's API server does.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type Pki } from '../sandbox/apiserver/auth/pki.js';
import { kubeAnswer, kubeGet } from './kube-http.js';

let dir: string;
let pki: Pki;
const servers: { server: Server; url: string; handshakes: number; clients: string[] }[] = [];

async function startServer(): Promise<(typeof servers)[number]> {
  const entry = { server: undefined as unknown as Server, url: '', handshakes: 0, clients: [] as string[] };
  entry.server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    entry.clients.push(String(peer.subject?.CN ?? ''));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'NamespaceList', items: [], path: req.url }));
  });
  entry.server.on('secureConnection', () => entry.handshakes++);
  await new Promise<void>((resolve) => entry.server.listen(0, '127.0.0.1', resolve));
  entry.url = `https://127.0.0.1:${(entry.server.address() as AddressInfo).port}`;
  servers.push(entry);
  return entry;
}

function configFor(server: string, cert: string, key: string): KubeConfig {
  const config = new KubeConfig();
  load(config, server, cert, key);
  return config;
}

function load(config: KubeConfig, server: string, cert: string, key: string): void {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  config.loadFromString(JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'k', cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
    users: [{ name: 'u', user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) } }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
  }));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-kube-http-'));
  pki = await ensurePki(join(dir, 'pki'));
});

afterAll(async () => {
  for (const s of servers) {
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('kube-http connections', () => {
  it('reuses one TLS connection for sequential requests to a cluster', async () => {
    const s = await startServer();
    const config = configFor(s.url, pki.adminCert, pki.adminKey);
    for (let i = 0; i < 9; i++) expect(await kubeGet(config, `/api/v1/namespaces?i=${i}`)).toMatchObject({ kind: 'NamespaceList' });
    expect((await kubeAnswer(config, '/api/v1/pods')).status).toBe(200);
    expect(s.clients).toHaveLength(10);
    // One handshake per request before; undici may open a second connection while the first
    // response's socket is being released.
    expect(s.handshakes).toBeLessThanOrEqual(2);
  });

  it('opens new connections when the cluster or the client certificate changes', async () => {
    const first = await startServer();
    const second = await startServer();
    const config = configFor(first.url, pki.adminCert, pki.adminKey);
    await kubeGet(config, '/api/v1/namespaces');
    // The sandbox restarted elsewhere: the same KubeConfig reloaded in place.
    load(config, second.url, pki.adminCert, pki.adminKey);
    await kubeGet(config, '/api/v1/namespaces');
    expect(second.clients).toHaveLength(1);
    // A rotated client certificate is presented at once, on a new connection.
    const other = await pki.issueClientCertificate('someone-else');
    load(config, second.url, other.cert, other.key);
    await kubeGet(config, '/api/v1/namespaces');
    expect(second.clients).toHaveLength(2);
    expect(second.clients[0]).not.toBe('someone-else');
    expect(second.clients[1]).toBe('someone-else');
    expect(second.handshakes).toBeLessThanOrEqual(2);
  });
});
