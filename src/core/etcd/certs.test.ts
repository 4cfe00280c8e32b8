import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureEtcdCerts } from './certs.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-etcd-certs-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('ensureEtcdCerts', () => {
  it('creates an etcd CA and a server certificate that is also a client certificate', async () => {
    const dir = await tempDir();
    const certs = await ensureEtcdCerts(dir, 'member-1');
    const ca = new X509Certificate(await readFile(join(dir, 'ca.crt')));
    const server = new X509Certificate(await readFile(join(dir, 'server.crt')));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=etcd-ca');
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(server.subjectAltName?.split(', ').sort()).toEqual(['DNS:localhost', 'DNS:member-1', 'IP Address:127.0.0.1']);
    expect((await stat(join(dir, 'server.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect(certs.cert).toBe(await readFile(certs.certFile, 'utf8'));
  });

  it('reuses valid certificates and re-issues a broken server key under the same CA', async () => {
    const dir = await tempDir();
    const first = await ensureEtcdCerts(dir, 'member-1');
    const again = await ensureEtcdCerts(dir, 'member-1');
    expect(again.cert).toBe(first.cert);
    expect(again.ca).toBe(first.ca);
    await writeFile(join(dir, 'server.key'), 'garbage');
    const healed = await ensureEtcdCerts(dir, 'member-1');
    expect(healed.ca).toBe(first.ca);
    expect(healed.cert).not.toBe(first.cert);
    expect(new X509Certificate(healed.cert).checkPrivateKey(createPrivateKey(healed.key))).toBe(true);
  });

  it('replaces the CA, and so the server certificate, when the CA is unusable', async () => {
    const dir = await tempDir();
    const first = await ensureEtcdCerts(dir, 'member-1');
    await writeFile(join(dir, 'ca.key'), 'garbage');
    const next = await ensureEtcdCerts(dir, 'member-1');
    expect(next.ca).not.toBe(first.ca);
    expect(new X509Certificate(next.cert).checkIssued(new X509Certificate(next.ca))).toBe(true);
  });
});
