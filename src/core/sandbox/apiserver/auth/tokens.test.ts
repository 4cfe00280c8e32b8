import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER, ServiceAccountTokens } from './tokens.js';

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const pair = keys();
let clock = new Date('2026-01-01T00:00:00Z');
const tokens = new ServiceAccountTokens({ ...pair, now: () => clock });
const request = { namespace: 'default', serviceAccountName: 'app', serviceAccountUid: 'uid-1' };

function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

describe('ServiceAccountTokens', () => {
  it('issues bound tokens shaped like kube-apiserver', () => {
    clock = new Date('2026-01-01T00:00:00Z');
    const issued = tokens.issueToken(request);
    const { header, payload } = decode(issued.token);
    expect(header).toEqual({ alg: 'ES256', kid: tokens.keyId });
    expect(payload).toMatchObject({
      iss: DEFAULT_ISSUER,
      aud: [DEFAULT_ISSUER],
      sub: 'system:serviceaccount:default:app',
      iat: 1767225600,
      nbf: 1767225600,
      exp: 1767225600 + 3600,
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'app', uid: 'uid-1' } },
    });
    expect(typeof payload.jti).toBe('string');
    expect(issued.expirationTimestamp).toBe('2026-01-01T01:00:00Z');
    expect(tokens.verifyToken(issued.token)).toEqual(issued.claims);
  });

  it('binds to a pod and honours requested audiences', () => {
    const issued = tokens.issueToken({ ...request, audiences: ['vault'], expirationSeconds: 600, boundObject: { kind: 'Pod', name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } });
    expect(issued.claims['kubernetes.io'].pod).toEqual({ name: 'p', uid: 'pod-uid' });
    expect(issued.claims['kubernetes.io'].node).toEqual({ name: 'n1', uid: 'node-uid' });
    expect(tokens.verifyToken(issued.token)).toBeUndefined(); // not for the API server
    expect(tokens.verifyToken(issued.token, { audiences: ['vault'] })?.aud).toEqual(['vault']);
  });

  it('extends kubelet projected tokens with warnafter', () => {
    const issued = tokens.issueToken({ ...request, expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p', uid: 'u' } });
    const iat = issued.claims.iat ?? 0;
    expect(issued.claims['kubernetes.io'].warnafter).toBe(iat + 3607);
    expect(issued.claims.exp).toBe(iat + 365 * 24 * 3600);
  });

  it('rejects expired tokens', () => {
    clock = new Date('2026-01-01T00:00:00Z');
    const issued = tokens.issueToken({ ...request, expirationSeconds: 600 });
    clock = new Date('2026-01-01T00:09:59Z');
    expect(tokens.verifyToken(issued.token)).toBeDefined();
    clock = new Date('2026-01-01T00:10:00Z');
    expect(tokens.verifyToken(issued.token)).toBeUndefined();
    clock = new Date('2026-01-01T00:00:00Z');
  });

  it('rejects tampered, foreign, malformed and unsigned tokens', () => {
    const issued = tokens.issueToken(request);
    const [h, p, s] = issued.token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.sub = 'system:serviceaccount:kube-system:admin';
    payload['kubernetes.io'].namespace = 'kube-system';
    payload['kubernetes.io'].serviceaccount.name = 'admin';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    expect(tokens.verifyToken(forged)).toBeUndefined();
    const flipped = Buffer.from(s, 'base64url');
    flipped[10] ^= 1;
    expect(tokens.verifyToken(`${h}.${p}.${flipped.toString('base64url')}`)).toBeUndefined();
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${p}.`;
    expect(tokens.verifyToken(none)).toBeUndefined();
    expect(tokens.verifyToken('not-a-jwt')).toBeUndefined();
    expect(tokens.verifyToken('a.b.c')).toBeUndefined();
    const other = new ServiceAccountTokens({ ...keys(), now: () => clock });
    expect(tokens.verifyToken(other.issueToken(request).token)).toBeUndefined();
  });

  it('issues and verifies legacy Secret tokens', () => {
    const token = tokens.issueLegacyToken({ ...request, secretName: 'app-token' });
    const { payload } = decode(token);
    expect(payload.iss).toBe('kubernetes/serviceaccount');
    expect(payload.exp).toBeUndefined();
    expect(tokens.verifyToken(token)?.['kubernetes.io']).toEqual({
      namespace: 'default',
      serviceaccount: { name: 'app', uid: 'uid-1' },
      secret: { name: 'app-token', uid: '' },
    });
  });

  it('publishes the JWKS matching its kid', () => {
    const jwks = tokens.jwks();
    expect(jwks.keys[0]).toMatchObject({ kid: tokens.keyId, alg: 'ES256', kty: 'EC', crv: 'P-256', use: 'sig' });
    expect(tokens.openidConfiguration()).toMatchObject({ issuer: DEFAULT_ISSUER, jwks_uri: `${DEFAULT_ISSUER}/openid/v1/jwks` });
  });
});
