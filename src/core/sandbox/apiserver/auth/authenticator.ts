// Request authentication as kube-apiserver's union authenticator does it for this sandbox: a client
// certificate signed by the sandbox CA, else a ServiceAccount bearer token; a request with no
// credentials at all may become system:anonymous; anything else is 401.
import { X509Certificate as NodeX509, createHash } from 'node:crypto';
import type { UserInfo } from '../../registry/types.js';
import { serviceAccountUsername, type ServiceAccountClaims, type ServiceAccountTokens } from './tokens.js';
import { x509 } from './x509.js';

export const AUTHENTICATED_GROUP = 'system:authenticated';
export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const ANY_EKU_OID = '2.5.29.37.0';
const CACHE_LIMIT = 512;

/** What node:tls getPeerCertificate() returns (only `raw` is trusted: it is verified here). */
export interface PeerCertificateLike {
  raw?: Uint8Array;
  subject?: unknown;
}

export interface AuthenticationInput {
  /** socket.getPeerCertificate() (an empty object when the client sent none), DER bytes or PEM. */
  peerCertificate?: PeerCertificateLike | Uint8Array | string;
  /** The Authorization header. */
  authorization?: string;
}

export interface AuthenticatorOptions {
  /** PEM of the sandbox CA that signs client certificates. */
  caCert: string;
  tokens: ServiceAccountTokens;
  /** The live ServiceAccount: a token is accepted only while it exists with the same uid. */
  lookupServiceAccount(namespace: string, name: string): Promise<{ uid: string } | undefined>;
  /** For pod-bound tokens; without it the pod binding is not checked. */
  lookupPod?(namespace: string, name: string): Promise<{ uid: string } | undefined>;
  /** For secret-bound and legacy tokens (refused without it); `token` is the Secret's data.token, decoded. */
  lookupSecret?(namespace: string, name: string): Promise<{ uid: string; token?: string } | undefined>;
  /** kube-apiserver's --anonymous-auth: requests without credentials become system:anonymous. */
  allowAnonymous?: boolean;
  now?: () => Date;
}

function toDer(input: PeerCertificateLike | Uint8Array | string): Uint8Array | undefined {
  if (typeof input === 'string') {
    try {
      return new Uint8Array(x509.PemConverter.decodeFirst(input));
    } catch {
      return undefined;
    }
  }
  if (input instanceof Uint8Array) return input;
  return input.raw instanceof Uint8Array && input.raw.length > 0 ? input.raw : undefined;
}

/** "Bearer <token>" → token, as kube-apiserver's bearertoken authenticator parses it. */
export function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(' ');
  if (parts.length !== 2 || parts[0].toLowerCase() !== 'bearer' || parts[1] === '') return undefined;
  return parts[1];
}

export class Authenticator {
  private readonly ca: NodeX509;
  private readonly now: () => Date;
  /** Verified certificates by SHA-256 of their DER, so keep-alive clients are not re-verified per request. */
  private readonly certCache = new Map<string, { user: UserInfo; notBefore: number; notAfter: number }>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.ca = new NodeX509(options.caCert);
    this.now = options.now ?? (() => new Date());
  }

  /** The user, or undefined for 401. */
  async authenticate(input: AuthenticationInput): Promise<UserInfo | undefined> {
    const der = input.peerCertificate === undefined ? undefined : toDer(input.peerCertificate);
    if (der) {
      const user = this.fromCertificate(der);
      if (user) return user;
    }
    const token = bearerToken(input.authorization);
    if (token !== undefined) return this.fromToken(token);
    // A certificate that failed verification is a failed credential: no anonymous fallback.
    if (!der && this.options.allowAnonymous) return { ...ANONYMOUS_USER, groups: [...ANONYMOUS_USER.groups] };
    return undefined;
  }

  private fromCertificate(der: Uint8Array): UserInfo | undefined {
    const key = createHash('sha256').update(der).digest('base64');
    const now = this.now().getTime();
    const cached = this.certCache.get(key);
    if (cached) {
      return now >= cached.notBefore && now <= cached.notAfter ? { ...cached.user, groups: [...cached.user.groups] } : undefined;
    }
    let cert: NodeX509;
    try {
      cert = new NodeX509(der);
    } catch {
      return undefined;
    }
    if (!cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) return undefined;
    const notBefore = new Date(cert.validFrom).getTime();
    const notAfter = new Date(cert.validTo).getTime();
    if (!(now >= notBefore && now <= notAfter)) return undefined;
    const usages = cert.keyUsage;
    if (usages && !usages.includes(CLIENT_AUTH_OID) && !usages.includes(ANY_EKU_OID)) return undefined;

    // Names via @peculiar/x509: Node's subject string is a display format, not safely parseable.
    const name = new x509.X509Certificate(new Uint8Array(der)).subjectName;
    const cn = name.getField('CN')[0];
    if (!cn) return undefined;
    const orgs = name.getField('O');
    const user: UserInfo = { username: cn, groups: [...orgs.filter((o) => o !== AUTHENTICATED_GROUP), AUTHENTICATED_GROUP] };
    if (this.certCache.size >= CACHE_LIMIT) this.certCache.delete(this.certCache.keys().next().value as string);
    this.certCache.set(key, { user, notBefore, notAfter });
    return { ...user, groups: [...user.groups] };
  }

  private async fromToken(token: string): Promise<UserInfo | undefined> {
    const claims = this.options.tokens.verifyToken(token);
    if (!claims) return undefined;
    const k8s = claims['kubernetes.io'];
    const sa = await this.options.lookupServiceAccount(k8s.namespace, k8s.serviceaccount.name);
    if (!sa || sa.uid !== k8s.serviceaccount.uid) return undefined;
    if (!(await this.boundObjectsLive(claims, token))) return undefined;

    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    const user: UserInfo = {
      username: serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name),
      uid: sa.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`, AUTHENTICATED_GROUP],
    };
    if (Object.keys(extra).length > 0) user.extra = extra;
    return user;
  }

  /** A token bound to a Pod or Secret dies with it; a legacy token dies with its Secret. */
  private async boundObjectsLive(claims: ServiceAccountClaims, token: string): Promise<boolean> {
    const k8s = claims['kubernetes.io'];
    if (k8s.pod && this.options.lookupPod) {
      const pod = await this.options.lookupPod(k8s.namespace, k8s.pod.name);
      if (!pod || pod.uid !== k8s.pod.uid) return false;
    }
    if (k8s.secret) {
      // A legacy token is only as good as its Secret: without a way to look it up, refuse it.
      if (!this.options.lookupSecret) return k8s.secret.uid !== '';
      const secret = await this.options.lookupSecret(k8s.namespace, k8s.secret.name);
      if (!secret) return false;
      // Legacy tokens carry no secret uid; instead the Secret must still hold this very token.
      if (k8s.secret.uid !== '' && secret.uid !== k8s.secret.uid) return false;
      if (k8s.secret.uid === '' && secret.token !== undefined && secret.token !== token) return false;
    }
    return true;
  }
}
