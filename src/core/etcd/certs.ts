// The etcd endpoint's PKI, laid out as kubeadm does in /etc/kubernetes/pki/etcd: its own CA
// (distinct from the cluster CA) and one serving certificate. The course passes that serving
// certificate to etcdctl as the client certificate too, so it carries both serverAuth and
// clientAuth. Created once per directory, reused while valid, re-issued when broken or expiring.
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLeafCertificate, loadSigner } from '../sandbox/apiserver/auth/pki.js';
import { x509 } from '../sandbox/apiserver/auth/x509.js';

export interface EtcdCerts {
  dir: string;
  /** PEM CA certificate: clients must present a certificate it signed. */
  ca: string;
  caFile: string;
  /** PEM serving (and client) certificate and its PKCS#8 key. */
  cert: string;
  certFile: string;
  key: string;
  keyFile: string;
}

const DAY_MS = 24 * 3600 * 1000;
const RENEW_BEFORE_MS = 30 * DAY_MS;
const BACKDATE_MS = 5 * 60 * 1000;
const EC_KEY: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const subtle = webcrypto.subtle;

export const ETCD_SERVER_DNS_NAMES = ['localhost'];
export const ETCD_SERVER_IPS = ['127.0.0.1'];

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function createEtcdCa(now: Date): Promise<{ cert: string; key: string }> {
  const keys = await generateKeyPair();
  const serial = randomBytes(16);
  serial[0] = serial[0] & 0x7f || 0x01;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: [{ CN: ['etcd-ca'] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}; check the data directory's permissions`, { cause: error });
  }
}

async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

function caUsable(cert: string | undefined, key: string | undefined, now: Date): boolean {
  if (!cert || !key) return false;
  try {
    const c = new X509Certificate(cert);
    return c.ca && c.checkPrivateKey(createPrivateKey(key)) && new Date(c.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

function serverUsable(cert: string | undefined, key: string | undefined, ca: X509Certificate, names: string[], now: Date): boolean {
  if (!cert || !key) return false;
  try {
    const c = new X509Certificate(cert);
    if (!c.checkIssued(ca) || !c.verify(ca.publicKey) || !c.checkPrivateKey(createPrivateKey(key))) return false;
    if (new Date(c.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
    const sans = (c.subjectAltName ?? '').split(', ');
    return names.every((n) => sans.includes(n));
  } catch {
    return false;
  }
}

/**
 * Loads or creates `dir`/ca.crt, ca.key, server.crt, server.key. `memberName` goes into the
 * serving certificate's names, as kubeadm puts the node name there.
 */
export async function ensureEtcdCerts(dir: string, memberName: string, now = new Date()): Promise<EtcdCerts> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.crt');
  const caKeyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  let [ca, caKey, cert, key] = await Promise.all([caFile, caKeyFile, certFile, keyFile].map(readOptional));
  let caChanged = false;
  if (!caUsable(ca, caKey, now)) {
    const created = await createEtcdCa(now);
    ca = created.cert;
    caKey = created.key;
    caChanged = true;
    await Promise.all([writeAtomic(caFile, ca, 0o644), writeAtomic(caKeyFile, caKey, 0o600)]);
  }
  const dnsNames = [...ETCD_SERVER_DNS_NAMES, ...(memberName && !ETCD_SERVER_DNS_NAMES.includes(memberName) ? [memberName] : [])];
  const wanted = [...dnsNames.map((d) => `DNS:${d}`), ...ETCD_SERVER_IPS.map((ip) => `IP Address:${ip}`)];
  if (caChanged || !serverUsable(cert, key, new X509Certificate(ca as string), wanted, now)) {
    const signer = await loadSigner(ca as string, caKey as string);
    const keys = await generateKeyPair();
    cert = await createLeafCertificate(signer, keys.publicKey, { cn: memberName || 'etcd', usage: 'both', dnsNames, ips: ETCD_SERVER_IPS }, now);
    key = await privateKeyPem(keys.privateKey);
    await Promise.all([writeAtomic(certFile, cert, 0o644), writeAtomic(keyFile, key, 0o600)]);
  }
  return { dir, ca: ca as string, caFile, cert: cert as string, certFile, key: key as string, keyFile };
}
