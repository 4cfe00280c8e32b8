// The sandbox's PKI, laid out as kubeadm does: a CA, the API server's serving certificate, an
// admin client certificate (system:masters) and the service-account signing key pair. Everything is
// ECDSA P-256 so that first creation takes milliseconds, not the seconds RSA key generation costs.
// Created once per sandbox directory, then reused; broken or expiring pieces are re-issued.
import { X509Certificate as NodeX509, createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { x509, type X509 } from './x509.js';

export interface IssuedCertificate {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  /** PEM PKCS#8 ECDSA P-256 key that signs ServiceAccount tokens. */
  readonly saPrivateKey: string;
  readonly saPublicKey: string;
  /** A client certificate signed by the CA, as `kubeadm kubeconfig user` or an approved CSR gives. */
  issueClientCertificate(cn: string, orgs?: string[], validityDays?: number): Promise<IssuedCertificate>;
}

export interface PkiOptions {
  /** Extra names for the serving certificate (e.g. the host's name). */
  extraDnsNames?: string[];
  extraIps?: string[];
  now?: () => Date;
}

export const SERVER_DNS_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
export const SERVER_IPS = ['127.0.0.1', '10.96.0.1'];

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  saPrivateKey: 'sa.key',
  saPublicKey: 'sa.pub',
} as const;

const DAY_MS = 24 * 3600 * 1000;
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Leaf certificates closer than this to expiry are re-issued on load. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Back-date notBefore so that a client clock slightly behind still accepts a fresh certificate. */
const BACKDATE_MS = 5 * 60 * 1000;

const EC_KEY: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const subtle = webcrypto.subtle;

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function publicKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('spki', key), 'PUBLIC KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), EC_KEY, true, ['sign']);
}

/** Positive, minimally encoded 128-bit serial (Go rejects negative serials). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

function subjectName(cn: string, orgs: string[] = []): X509.JsonName {
  // One RDN per attribute, organizations first, as Go's pkix.Name marshals them.
  return [...orgs.map((o) => ({ O: [o] })), { CN: [cn] }];
}

export interface Signer {
  cert: X509.X509Certificate;
  key: CryptoKey;
}

export interface LeafSpec {
  cn: string;
  orgs?: string[];
  /** Subject taken as is (e.g. from a CSR) instead of cn/orgs. */
  subject?: X509.Name;
  usage: 'server' | 'client' | 'both';
  dnsNames?: string[];
  ips?: string[];
  days?: number;
  /** Overrides days, e.g. a CSR's spec.expirationSeconds. */
  seconds?: number;
}

/** The CA as a signer for createLeafCertificate. */
export async function loadSigner(caCert: string, caKey: string): Promise<Signer> {
  return { cert: new x509.X509Certificate(caCert), key: await importPrivateKey(caKey) };
}

/** A leaf certificate for `publicKey` (any algorithm: CSRs often carry RSA keys) signed by `ca`. */
export async function createLeafCertificate(ca: Signer, publicKey: X509.PublicKey | CryptoKey, spec: LeafSpec, now: Date): Promise<string> {
  const sans: X509.JsonGeneralNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const ekus = {
    server: [x509.ExtendedKeyUsage.serverAuth],
    client: [x509.ExtendedKeyUsage.clientAuth],
    both: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
  }[spec.usage];
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(ekus),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const lifetimeMs = spec.seconds !== undefined ? spec.seconds * 1000 : (spec.days ?? LEAF_DAYS) * DAY_MS;
  // Never outlive the CA, as kube's signer caps certificates at the CA's expiry.
  const notAfter = Math.min(now.getTime() + lifetimeMs, ca.cert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: spec.subject ?? subjectName(spec.cn, spec.orgs),
    issuer: ca.cert.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    signingAlgorithm: EC_SIGN,
    publicKey,
    signingKey: ca.key,
    extensions,
  });
  return cert.toString('pem');
}

async function issueLeaf(ca: Signer, spec: LeafSpec, now: Date): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  return { cert: await createLeafCertificate(ca, keys.publicKey, spec, now), key: await privateKeyPem(keys.privateKey) };
}

async function createCa(now: Date): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subjectName('kubernetes'),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    signingAlgorithm: EC_SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
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
    throw new Error(`Cannot read ${path}: ${(error as Error).message}. Check the sandbox directory's permissions.`, { cause: error });
  }
}

/** Write via a temporary file and rename, so a crash never leaves half a key behind. */
async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

function isCa(certPem: string, keyPem: string | undefined, now: Date): boolean {
  if (!keyPem) return false;
  try {
    const cert = new NodeX509(certPem);
    const key = createPrivateKey(keyPem);
    return cert.ca && cert.checkPrivateKey(key) && new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/** Whether a stored leaf is still usable: signed by `ca`, matching its key, not expiring, with the names wanted. */
function leafUsable(certPem: string | undefined, keyPem: string | undefined, ca: NodeX509, now: Date, names: string[] = []): boolean {
  if (!certPem || !keyPem) return false;
  try {
    const cert = new NodeX509(certPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
    const san = (cert.subjectAltName ?? '').split(', ');
    return names.every((n) => san.includes(n));
  } catch {
    return false;
  }
}

function keyPairUsable(privatePem: string | undefined, publicPem: string | undefined): boolean {
  if (!privatePem || !publicPem) return false;
  try {
    const derived = createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'der' });
    return derived.equals(createPublicKey(publicPem).export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

/** Calls in flight per directory: two concurrent creations would interleave two CAs' files. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * Load the PKI from `dir`, creating whatever is missing or unusable. Keys are written 0600.
 * Replacing the CA re-issues every certificate (old kubeconfigs then stop working).
 * Calls for the same directory are serialized within this process.
 */
export async function ensurePki(dir: string, options: PkiOptions = {}): Promise<Pki> {
  const key = resolve(dir);
  const previous = inFlight.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => loadOrCreatePki(dir, options));
  inFlight.set(key, current);
  try {
    return await current;
  } finally {
    if (inFlight.get(key) === current) inFlight.delete(key);
  }
}

async function loadOrCreatePki(dir: string, options: PkiOptions): Promise<Pki> {
  const now = (options.now ?? (() => new Date()))();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  const stored = Object.fromEntries(
    await Promise.all((Object.keys(FILES) as (keyof typeof FILES)[]).map(async (name) => [name, await readOptional(path(name))] as const)),
  ) as Record<keyof typeof FILES, string | undefined>;

  const writes: Promise<void>[] = [];
  const save = (certName: keyof typeof FILES, keyName: keyof typeof FILES, issued: IssuedCertificate) => {
    writes.push(writeAtomic(path(certName), issued.cert, 0o644), writeAtomic(path(keyName), issued.key, 0o600));
  };

  let caCert = stored.caCert;
  let caKey = stored.caKey;
  if (!caCert || !isCa(caCert, caKey, now)) {
    const ca = await createCa(now);
    caCert = ca.cert;
    caKey = ca.key;
    save('caCert', 'caKey', ca);
  }
  const signer = await loadSigner(caCert, caKey as string);
  const caNode = new NodeX509(caCert);

  const dnsNames = [...SERVER_DNS_NAMES, ...(options.extraDnsNames ?? [])];
  const ips = [...SERVER_IPS, ...(options.extraIps ?? [])];
  const wantedSans = [...dnsNames.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP Address:${ip}`)];
  let server: IssuedCertificate;
  if (leafUsable(stored.serverCert, stored.serverKey, caNode, now, wantedSans)) {
    server = { cert: stored.serverCert as string, key: stored.serverKey as string };
  } else {
    server = await issueLeaf(signer, { cn: 'kube-apiserver', usage: 'server', dnsNames, ips }, now);
    save('serverCert', 'serverKey', server);
  }

  let admin: IssuedCertificate;
  if (leafUsable(stored.adminCert, stored.adminKey, caNode, now)) {
    admin = { cert: stored.adminCert as string, key: stored.adminKey as string };
  } else {
    admin = await issueLeaf(signer, { cn: 'kubernetes-admin', orgs: ['system:masters'], usage: 'client' }, now);
    save('adminCert', 'adminKey', admin);
  }

  let saPrivateKey = stored.saPrivateKey;
  let saPublicKey = stored.saPublicKey;
  if (!keyPairUsable(saPrivateKey, saPublicKey)) {
    const keys = await generateKeyPair();
    saPrivateKey = await privateKeyPem(keys.privateKey);
    saPublicKey = await publicKeyPem(keys.publicKey);
    writes.push(writeAtomic(path('saPrivateKey'), saPrivateKey, 0o600), writeAtomic(path('saPublicKey'), saPublicKey, 0o644));
  }
  await Promise.all(writes);

  return {
    dir,
    caCert,
    caKey: caKey as string,
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    saPrivateKey: saPrivateKey as string,
    saPublicKey: saPublicKey as string,
    issueClientCertificate: (cn, orgs = [], validityDays = LEAF_DAYS) =>
      issueLeaf(signer, { cn, orgs, usage: 'client', days: validityDays }, (options.now ?? (() => new Date()))()),
  };
}


export { writeKubeconfig, mergeKubeconfig, DEFAULT_CONTEXT_NAME } from './kubeconfig.js';
export type { KubeconfigOptions } from './kubeconfig.js';
