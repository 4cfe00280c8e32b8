// Signing of approved CertificateSigningRequests with the sandbox CA, as kube-controller-manager's
// csrsigning controller does for kubernetes.io/kube-apiserver-client (the `openssl req` + `kubectl
// certificate approve` flow of creating a user). The CSR's subject and key are kept; the validity is
// spec.expirationSeconds or one year, capped at the CA's own expiry.
import { createLeafCertificate, loadSigner, type Pki } from './pki.js';
import { x509, type X509 } from './x509.js';

export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
const DEFAULT_SECONDS = 365 * 24 * 3600;
const MIN_SECONDS = 600;

export interface ParsedCertificateRequest {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ips: string[];
}

/** Parse and verify (self-signature) a PEM or base64-PEM PKCS#10 request; throws with a readable reason. */
export async function parseCertificateRequest(request: string): Promise<{ csr: X509.Pkcs10CertificateRequest; parsed: ParsedCertificateRequest }> {
  const pem = request.includes('-----BEGIN') ? request : Buffer.from(request, 'base64').toString('utf8');
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (error) {
    throw new Error(`spec.request is not a PEM "CERTIFICATE REQUEST": ${(error as Error).message}`, { cause: error });
  }
  if (!(await csr.verify())) throw new Error('spec.request has an invalid signature: regenerate it with its private key');
  const names = csr.subjectName;
  const dnsNames: string[] = [];
  const ips: string[] = [];
  const san = csr.extensions.find((e): e is X509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  for (const item of san?.names.items ?? []) {
    if (item.type === 'dns') dnsNames.push(item.value);
    if (item.type === 'ip') ips.push(item.value);
  }
  return { csr, parsed: { commonName: names.getField('CN')[0] ?? '', organizations: names.getField('O'), dnsNames, ips } };
}

export interface SignRequest {
  /** spec.request: PEM, or its base64 as stored in the object. */
  request: string;
  signerName: string;
  /** spec.usages, e.g. ["client auth", "digital signature", "key encipherment"]. */
  usages?: string[];
  expirationSeconds?: number;
  now?: Date;
}

/** What the signer refuses, in the words of the csrsigning controller's "Failed" condition. */
export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/**
 * The PEM certificate for status.certificate (base64 it when storing). Throws SigningError when the
 * signer does not handle the request.
 */
export async function signCertificateRequest(pki: Pick<Pki, 'caCert' | 'caKey'>, request: SignRequest): Promise<string> {
  const usages = request.usages ?? [];
  let usage: 'client' | 'server';
  switch (request.signerName) {
    case KUBE_APISERVER_CLIENT_SIGNER:
    case KUBE_APISERVER_CLIENT_KUBELET_SIGNER:
      if (!usages.includes('client auth')) throw new SigningError('invalid usage for client certificate: "client auth" is required');
      if (usages.includes('server auth')) throw new SigningError('invalid usage for client certificate: server auth');
      usage = 'client';
      break;
    case KUBELET_SERVING_SIGNER:
      if (!usages.includes('server auth')) throw new SigningError('invalid usage for kubelet serving certificate: "server auth" is required');
      usage = 'server';
      break;
    default:
      throw new SigningError(`signer ${request.signerName} is not handled by this cluster`);
  }
  let parsed: Awaited<ReturnType<typeof parseCertificateRequest>>;
  try {
    parsed = await parseCertificateRequest(request.request);
  } catch (error) {
    throw new SigningError((error as Error).message);
  }
  const seconds = Math.max(request.expirationSeconds ?? DEFAULT_SECONDS, MIN_SECONDS);
  const signer = await loadSigner(pki.caCert, pki.caKey);
  return createLeafCertificate(
    signer,
    parsed.csr.publicKey,
    {
      cn: parsed.parsed.commonName,
      subject: parsed.csr.subjectName,
      usage,
      dnsNames: usage === 'server' ? parsed.parsed.dnsNames : [],
      ips: usage === 'server' ? parsed.parsed.ips : [],
      seconds,
    },
    request.now ?? new Date(),
  );
}
