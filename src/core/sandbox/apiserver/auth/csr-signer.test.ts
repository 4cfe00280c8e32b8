import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from './authenticator.js';
import { KUBE_APISERVER_CLIENT_SIGNER, parseCertificateRequest, signCertificateRequest, SigningError } from './csr-signer.js';
import { ensurePki, type Pki } from './pki.js';
import { ServiceAccountTokens } from './tokens.js';

const run = promisify(execFile);
let dir: string;
let pki: Pki;
let csrPem: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-csr-'));
  pki = await ensurePki(join(dir, 'pki'));
  // The course's flow: an RSA key and a CSR made with openssl.
  await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'jane.key'), '-subj', '/CN=jane/O=devs/O=qa', '-out', join(dir, 'jane.csr')]);
  csrPem = await readFile(join(dir, 'jane.csr'), 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('signCertificateRequest', () => {
  it('parses an openssl CSR, also base64-encoded as in spec.request', async () => {
    const { parsed } = await parseCertificateRequest(Buffer.from(csrPem).toString('base64'));
    expect(parsed).toEqual({ commonName: 'jane', organizations: ['devs', 'qa'], dnsNames: [], ips: [] });
    await expect(parseCertificateRequest('nope')).rejects.toThrow(/CERTIFICATE REQUEST/);
  });

  it('issues a client certificate the authenticator accepts', async () => {
    const now = new Date();
    const pem = await signCertificateRequest(pki, {
      request: Buffer.from(csrPem).toString('base64'),
      signerName: KUBE_APISERVER_CLIENT_SIGNER,
      usages: ['client auth', 'digital signature', 'key encipherment'],
      expirationSeconds: 86400,
      now,
    });
    const cert = new X509Certificate(pem);
    expect(cert.verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(Math.round((new Date(cert.validTo).getTime() - now.getTime()) / 1000)).toBeLessThanOrEqual(86400);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    const authn = new Authenticator({
      caCert: pki.caCert,
      tokens: new ServiceAccountTokens({ privateKey: pki.saPrivateKey, publicKey: pki.saPublicKey }),
      lookupServiceAccount: async () => undefined,
    });
    expect(await authn.authenticate({ peerCertificate: pem })).toEqual({ username: 'jane', groups: ['devs', 'qa', 'system:authenticated'] });
    // The certificate carries the key openssl generated.
    const key = await readFile(join(dir, 'jane.key'), 'utf8');
    expect(cert.checkPrivateKey(createPrivateKey(key))).toBe(true);
  });

  it('keeps DNS and IP names for kubelet serving certificates', async () => {
    await run('openssl', [
      'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'node.key'),
      '-subj', '/CN=system:node:node1/O=system:nodes', '-addext', 'subjectAltName=DNS:node1,IP:10.0.0.5', '-out', join(dir, 'node.csr'),
    ]);
    const request = await readFile(join(dir, 'node.csr'), 'utf8');
    expect((await parseCertificateRequest(request)).parsed).toMatchObject({ dnsNames: ['node1'], ips: ['10.0.0.5'] });
    const pem = await signCertificateRequest(pki, { request, signerName: 'kubernetes.io/kubelet-serving', usages: ['server auth', 'digital signature'] });
    expect(new X509Certificate(pem).subjectAltName).toBe('DNS:node1, IP Address:10.0.0.5');
  });

  it('refuses wrong usages, unknown signers and garbage', async () => {
    const base = { request: csrPem, signerName: KUBE_APISERVER_CLIENT_SIGNER, usages: ['client auth'] };
    await expect(signCertificateRequest(pki, { ...base, usages: ['server auth'] })).rejects.toBeInstanceOf(SigningError);
    await expect(signCertificateRequest(pki, { ...base, signerName: 'example.com/custom' })).rejects.toThrow(/not handled/);
    await expect(signCertificateRequest(pki, { ...base, request: 'garbage' })).rejects.toBeInstanceOf(SigningError);
  });
});
