// ServiceAccount JWTs as kube-apiserver issues them: ES256 signed with the sandbox's SA key, bound
// tokens (TokenRequest) with the "kubernetes.io" private claim, and legacy Secret-based tokens. Hand
// written on node:crypto: the format is small and fixed. Tokens are credentials: never log them.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** TokenRequest's default lifetime when spec.expirationSeconds is omitted. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
/** kube-apiserver's minimum for spec.expirationSeconds. */
export const MIN_EXPIRATION_SECONDS = 600;
/**
 * The kubelet asks for 3607 s on projected volumes; kube-apiserver (--service-account-extend-token-expiration)
 * then issues a year-long token with a warnafter claim, so that old clients keep working.
 */
const KUBELET_PROJECTED_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 3600;
/** Clock skew tolerated on nbf/iat, as the go-jose validation kube-apiserver uses. */
const LEEWAY_SECONDS = 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  /** Absent on legacy tokens. */
  aud?: string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  /** Always present after verifyToken (synthesized for legacy tokens from their flat claims). */
  'kubernetes.io': KubernetesClaim;
}

export interface IssueTokenRequest {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  /** Omitted or empty: the API server's audiences. */
  audiences?: string[];
  /** Omitted: 3600. */
  expirationSeconds?: number;
  /** spec.boundObjectRef resolved by the caller (uid of the live object). */
  boundObject?: { kind: 'Pod' | 'Secret'; name: string; uid: string };
  /** For pod-bound tokens: the pod's node, as kube-apiserver adds it. */
  node?: ObjectRef;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, for TokenRequest status.expirationTimestamp. */
  expirationTimestamp: string;
  claims: ServiceAccountClaims;
}

export interface TokenServiceOptions {
  privateKey: string;
  publicKey: string;
  issuer?: string;
  /** Audiences the API server accepts; the first is the default of issued tokens. */
  apiAudiences?: string[];
  now?: () => Date;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectRef(value: unknown): ObjectRef | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') return undefined;
  return { name: value.name, uid: typeof value.uid === 'string' ? value.uid : '' };
}

function numberClaim(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** kid as kube-apiserver computes it: base64url(SHA-256(DER SubjectPublicKeyInfo)). */
export function keyIdOf(publicKey: KeyObject): string {
  return base64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/** Parse a JWT's claims into ServiceAccountClaims, or undefined when they are not a ServiceAccount's. */
function toClaims(payload: Record<string, unknown>): ServiceAccountClaims | undefined {
  if (typeof payload.iss !== 'string' || typeof payload.sub !== 'string') return undefined;
  const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : undefined;
  let k8s: KubernetesClaim | undefined;
  const private_ = payload['kubernetes.io'];
  if (isRecord(private_)) {
    const serviceaccount = objectRef(private_.serviceaccount);
    if (typeof private_.namespace !== 'string' || !serviceaccount) return undefined;
    k8s = { namespace: private_.namespace, serviceaccount };
    const pod = objectRef(private_.pod);
    const secret = objectRef(private_.secret);
    const node = objectRef(private_.node);
    const warnafter = numberClaim(private_.warnafter);
    if (pod) k8s.pod = pod;
    if (secret) k8s.secret = secret;
    if (node) k8s.node = node;
    if (warnafter !== undefined) k8s.warnafter = warnafter;
  } else if (payload.iss === LEGACY_ISSUER) {
    const ns = payload['kubernetes.io/serviceaccount/namespace'];
    const name = payload['kubernetes.io/serviceaccount/service-account.name'];
    const uid = payload['kubernetes.io/serviceaccount/service-account.uid'];
    const secretName = payload['kubernetes.io/serviceaccount/secret.name'];
    if (typeof ns !== 'string' || typeof name !== 'string' || typeof uid !== 'string' || typeof secretName !== 'string') return undefined;
    k8s = { namespace: ns, serviceaccount: { name, uid }, secret: { name: secretName, uid: '' } };
  }
  if (!k8s || payload.sub !== serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name)) return undefined;
  const claims: ServiceAccountClaims = { iss: payload.iss, sub: payload.sub, 'kubernetes.io': k8s };
  if (aud) claims.aud = aud;
  for (const field of ['exp', 'iat', 'nbf'] as const) {
    const value = numberClaim(payload[field]);
    if (value !== undefined) claims[field] = value;
  }
  if (typeof payload.jti === 'string') claims.jti = payload.jti;
  return claims;
}

/** Issues and verifies the sandbox's ServiceAccount tokens. */
export class ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: string[];
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly now: () => Date;

  constructor(options: TokenServiceOptions) {
    this.privateKey = createPrivateKey(options.privateKey);
    this.publicKey = createPublicKey(options.publicKey);
    if (this.privateKey.asymmetricKeyType !== 'ec' || this.publicKey.asymmetricKeyType !== 'ec') {
      throw new Error('ServiceAccount signing keys must be ECDSA P-256 (ES256); regenerate the sandbox PKI.');
    }
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.apiAudiences = options.apiAudiences?.length ? [...options.apiAudiences] : [this.issuer];
    this.keyId = keyIdOf(this.publicKey);
    this.now = options.now ?? (() => new Date());
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  private signJwt(payload: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'ES256', kid: this.keyId }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${header}.${body}.${base64url(signature)}`;
  }

  /** A bound token, as TokenRequest (serviceaccounts/token) returns. */
  issueToken(request: IssueTokenRequest): IssuedToken {
    const iat = this.nowSeconds();
    let lifetime = request.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    const k8s: KubernetesClaim = {
      namespace: request.namespace,
      serviceaccount: { name: request.serviceAccountName, uid: request.serviceAccountUid },
    };
    if (request.boundObject?.kind === 'Pod') {
      k8s.pod = { name: request.boundObject.name, uid: request.boundObject.uid };
      if (request.node) k8s.node = { ...request.node };
      if (lifetime === KUBELET_PROJECTED_SECONDS) {
        k8s.warnafter = iat + lifetime;
        lifetime = EXTENDED_SECONDS;
      }
    } else if (request.boundObject?.kind === 'Secret') {
      k8s.secret = { name: request.boundObject.name, uid: request.boundObject.uid };
    }
    const claims: ServiceAccountClaims = {
      aud: request.audiences?.length ? [...request.audiences] : [...this.apiAudiences],
      exp: iat + lifetime,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: iat,
      sub: serviceAccountUsername(request.namespace, request.serviceAccountName),
    };
    return {
      token: this.signJwt({ ...claims }),
      expirationTimestamp: new Date((iat + lifetime) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      claims,
    };
  }

  /** A non-expiring legacy token, as the token controller writes into kubernetes.io/service-account-token Secrets. */
  issueLegacyToken(request: { namespace: string; serviceAccountName: string; serviceAccountUid: string; secretName: string }): string {
    return this.signJwt({
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': request.namespace,
      'kubernetes.io/serviceaccount/secret.name': request.secretName,
      'kubernetes.io/serviceaccount/service-account.name': request.serviceAccountName,
      'kubernetes.io/serviceaccount/service-account.uid': request.serviceAccountUid,
      sub: serviceAccountUsername(request.namespace, request.serviceAccountName),
    });
  }

  /**
   * The claims of a token this sandbox signed and that is currently valid for one of `audiences`
   * (default: the API server's), else undefined. Existence of the ServiceAccount/Pod/Secret is the
   * authenticator's job.
   */
  verifyToken(token: string, options: { audiences?: string[] } = {}): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
    let header: unknown;
    let payload: unknown;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isRecord(header) || header.alg !== 'ES256' || !isRecord(payload)) return undefined;
    if (header.kid !== undefined && header.kid !== this.keyId) return undefined;
    const signature = Buffer.from(parts[2], 'base64url');
    if (signature.length !== 64) return undefined;
    const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    if (!valid) return undefined;

    const claims = toClaims(payload);
    if (!claims) return undefined;
    if (claims.iss === LEGACY_ISSUER) return claims;
    if (claims.iss !== this.issuer) return undefined;
    const now = this.nowSeconds();
    if (claims.exp === undefined || now >= claims.exp) return undefined;
    if (claims.nbf !== undefined && now + LEEWAY_SECONDS < claims.nbf) return undefined;
    if (claims.iat !== undefined && now + LEEWAY_SECONDS < claims.iat) return undefined;
    const accepted = options.audiences ?? this.apiAudiences;
    if (!claims.aud?.some((a) => accepted.includes(a))) return undefined;
    return claims;
  }

  /** /.well-known/openid-configuration, as kube-apiserver serves it; `jwksUri` defaults to the issuer's. */
  openidConfiguration(jwksUri = `${this.issuer}/openid/v1/jwks`): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
  }

  /** /openid/v1/jwks. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ use: 'sig', kty: jwk.kty, kid: this.keyId, crv: jwk.crv, alg: 'ES256', x: jwk.x, y: jwk.y }] };
  }
}
