import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensurePki, mergeKubeconfig, writeKubeconfig, type Pki } from './pki.js';

const run = promisify(execFile);
const KUBECTL = join(process.cwd(), '.tools/bin/kubectl');

let dir: string;
let pki: Pki;
let firstMs: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-pki-'));
  const started = performance.now();
  pki = await ensurePki(join(dir, 'pki'));
  firstMs = performance.now() - started;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensurePki', () => {
  it('creates a CA, serving, admin and SA material quickly', async () => {
    expect(firstMs).toBeLessThan(300);
    const ca = new X509Certificate(pki.caCert);
    expect(ca.ca).toBe(true);
    const server = new X509Certificate(pki.serverCert);
    expect(server.verify(ca.publicKey)).toBe(true);
    for (const name of ['DNS:localhost', 'DNS:kubernetes.default.svc.cluster.local', 'IP Address:127.0.0.1', 'IP Address:10.96.0.1']) {
      expect(server.subjectAltName).toContain(name);
    }
    const admin = new X509Certificate(pki.adminCert);
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.subject.split('\n').sort()).toEqual(['CN=kubernetes-admin', 'O=system:masters']);
    expect(pki.saPrivateKey).toContain('BEGIN PRIVATE KEY');
    expect(pki.saPublicKey).toContain('BEGIN PUBLIC KEY');
    for (const key of ['ca.key', 'apiserver.key', 'admin.key', 'sa.key']) {
      expect((await stat(join(dir, 'pki', key))).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses what is on disk and re-issues only what is broken', async () => {
    const again = await ensurePki(join(dir, 'pki'));
    expect(again.caCert).toBe(pki.caCert);
    expect(again.serverCert).toBe(pki.serverCert);
    expect(again.adminKey).toBe(pki.adminKey);
    expect(again.saPrivateKey).toBe(pki.saPrivateKey);

    await writeFile(join(dir, 'pki', 'admin.crt'), 'garbage');
    const repaired = await ensurePki(join(dir, 'pki'));
    expect(repaired.caCert).toBe(pki.caCert);
    expect(repaired.adminCert).not.toBe(pki.adminCert);
    expect(new X509Certificate(repaired.adminCert).verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
    pki = repaired;
  });

  it('re-issues the serving certificate when extra names are asked for', async () => {
    const other = await ensurePki(join(dir, 'pki'), { extraDnsNames: ['my-host'] });
    expect(other.serverCert).not.toBe(pki.serverCert);
    expect(new X509Certificate(other.serverCert).subjectAltName).toContain('DNS:my-host');
  });

  it('serializes concurrent calls on one directory (one CA, consistent files)', async () => {
    const fresh = join(dir, 'concurrent');
    const results = await Promise.all([ensurePki(fresh), ensurePki(fresh), ensurePki(fresh)]);
    expect(new Set(results.map((r) => r.caCert)).size).toBe(1);
    expect(new Set(results.map((r) => r.serverCert)).size).toBe(1);
    const onDisk = await ensurePki(fresh);
    expect(onDisk.caCert).toBe(results[0].caCert);
    expect(onDisk.adminCert).toBe(results[0].adminCert);
  });

  it('issues client certificates for other users', async () => {
    const issued = await pki.issueClientCertificate('jane', ['dev', 'qa']);
    const cert = new X509Certificate(issued.cert);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=jane', 'O=dev', 'O=qa']);
    expect(cert.verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
  });
});

describe('TLS with the issued certificates', () => {
  let server: Server;
  let port: number;
  const seen: { cn?: unknown; o?: unknown; authorized?: boolean }[] = [];

  beforeAll(async () => {
    pki = await ensurePki(join(dir, 'pki'));
    server = createServer(
      { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        seen.push({ cn: peer.subject?.CN, o: peer.subject?.O, authorized: socket.authorized });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.3' }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('node:https presents the admin certificate and trusts the CA', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/version', ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey, servername: 'kubernetes' },
        (res) => {
          let data = '';
          res.on('data', (chunk: Buffer) => (data += chunk.toString()));
          res.on('end', () => resolve(data));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ major: '1' });
    expect(seen.at(-1)).toEqual({ cn: 'kubernetes-admin', o: 'system:masters', authorized: true });
  });

  it('accepts anonymous TLS (for bearer tokens)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: 'localhost', port, path: '/version', ca: pki.caCert }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(seen.at(-1)?.authorized).toBe(false);
  });

  it.skipIf(!existsSync(KUBECTL))('kubectl (Go TLS) accepts the chain via a written kubeconfig', async () => {
    const kubeconfig = join(dir, 'kube', 'config');
    await writeKubeconfig(kubeconfig, { server: `https://127.0.0.1:${port}`, pki });
    expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600);
    const { stdout } = await run(KUBECTL, ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], { timeout: 15_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }),
    );
    expect(JSON.parse(stdout).serverVersion).toMatchObject({ gitVersion: 'v1.32.3' });
    expect(seen.at(-1)).toMatchObject({ cn: 'kubernetes-admin', authorized: true });
  });

  it('Python ssl accepts the chain and the client certificate', async () => {
    await writeFile(join(dir, 'ca.crt'), pki.caCert);
    await writeFile(join(dir, 'admin.crt'), pki.adminCert);
    await writeFile(join(dir, 'admin.key'), pki.adminKey, { mode: 0o600 });
    const script = [
      'import ssl, sys, http.client',
      `ctx = ssl.create_default_context(cafile=${JSON.stringify(join(dir, 'ca.crt'))})`,
      `ctx.load_cert_chain(${JSON.stringify(join(dir, 'admin.crt'))}, ${JSON.stringify(join(dir, 'admin.key'))})`,
      `c = http.client.HTTPSConnection("kubernetes.default.svc", ${port}, context=ctx)`,
      'import socket',
      `c.sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${port})), server_hostname="kubernetes.default.svc")`,
      'c.request("GET", "/version")',
      'print(c.getresponse().status)',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], { timeout: 15_000 });
    expect(stdout.trim()).toBe('200');
    expect(seen.at(-1)).toMatchObject({ cn: 'kubernetes-admin', authorized: true });
  });
});

describe('writeKubeconfig', () => {
  it('merges into an existing kubeconfig and sets the current context', async () => {
    const path = join(dir, 'merge', 'config');
    await writeKubeconfig(path, { server: 'https://127.0.0.1:1', pki, contextName: 'other', clusterName: 'other', userName: 'other' });
    await writeKubeconfig(path, { server: 'https://127.0.0.1:2', pki, namespace: 'dev' });
    await writeKubeconfig(path, { server: 'https://127.0.0.1:3', pki, namespace: 'dev' });
    const doc = parse(await readFile(path, 'utf8')) as {
      'current-context': string;
      contexts: { name: string; context: { namespace?: string } }[];
      clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: Record<string, string> }[];
    };
    expect(doc['current-context']).toBe('kubedesk-sandbox');
    expect(doc.contexts.map((c) => c.name).sort()).toEqual(['kubedesk-sandbox', 'other']);
    expect(doc.contexts.find((c) => c.name === 'kubedesk-sandbox')?.context.namespace).toBe('dev');
    const cluster = doc.clusters.find((c) => c.name === 'kubedesk-sandbox');
    expect(cluster?.cluster.server).toBe('https://127.0.0.1:3');
    expect(Buffer.from(cluster?.cluster['certificate-authority-data'] ?? '', 'base64').toString()).toBe(pki.caCert);
    expect(Buffer.from(doc.users.find((u) => u.name === 'kubedesk-sandbox')?.user['client-key-data'] ?? '', 'base64').toString()).toBe(pki.adminKey);
  });

  it('writes through a symlinked kubeconfig', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'link-config');
    await writeFile(real, 'apiVersion: v1\nkind: Config\n');
    await symlink(real, link);
    await writeKubeconfig(link, { server: 'https://x', pki });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toContain('kubedesk-sandbox');
  });

  it('can leave the current context alone, and writes token users', () => {
    const existing = { apiVersion: 'v1', kind: 'Config', 'current-context': 'prod', contexts: [{ name: 'prod', context: { cluster: 'p', user: 'p' } }], clusters: null };
    const doc = mergeKubeconfig(existing, { server: 'https://x', pki, setCurrent: false, userName: 'app', token: 'tok' });
    expect(doc['current-context']).toBe('prod');
    expect(doc.users).toEqual([{ name: 'app', user: { token: 'tok' } }]);
    expect((doc.contexts as unknown[]).length).toBe(2);
  });

  it('refuses to overwrite a file that is not YAML', async () => {
    const path = join(dir, 'broken-config');
    await writeFile(path, 'a: [unclosed');
    await expect(writeKubeconfig(path, { server: 'https://x', pki })).rejects.toThrow(/not valid YAML/);
    expect(await readFile(path, 'utf8')).toBe('a: [unclosed');
  });
});
