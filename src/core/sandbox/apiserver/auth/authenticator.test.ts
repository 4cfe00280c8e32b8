import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserInfo } from '../../registry/types.js';
import { Authenticator, bearerToken } from './authenticator.js';
import { ensurePki, type Pki } from './pki.js';
import { ServiceAccountTokens } from './tokens.js';

let dir: string;
let pki: Pki;
let foreign: Pki;
let tokens: ServiceAccountTokens;
const serviceAccounts = new Map<string, string>([['default/app', 'sa-uid']]);
const pods = new Map<string, string>([['default/web', 'pod-uid']]);
const secrets = new Map<string, { uid: string; token?: string }>();

function authenticator(extra: Partial<ConstructorParameters<typeof Authenticator>[0]> = {}): Authenticator {
  return new Authenticator({
    caCert: pki.caCert,
    tokens,
    lookupServiceAccount: async (ns, name) => {
      const uid = serviceAccounts.get(`${ns}/${name}`);
      return uid ? { uid } : undefined;
    },
    lookupPod: async (ns, name) => {
      const uid = pods.get(`${ns}/${name}`);
      return uid ? { uid } : undefined;
    },
    lookupSecret: async (ns, name) => secrets.get(`${ns}/${name}`),
    ...extra,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-authn-'));
  [pki, foreign] = await Promise.all([ensurePki(join(dir, 'a')), ensurePki(join(dir, 'b'))]);
  tokens = new ServiceAccountTokens({ privateKey: pki.saPrivateKey, publicKey: pki.saPublicKey });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('client certificates over real TLS', () => {
  let server: Server;
  let port: number;
  const auth = () => authenticator();
  let authn: Authenticator;

  beforeAll(async () => {
    authn = auth();
    server = createServer(
      { cert: pki.serverCert, key: pki.serverKey, ca: [pki.caCert, foreign.caCert], requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        void authn.authenticate({ peerCertificate: peer, authorization: req.headers.authorization }).then((user) => {
          res.statusCode = user ? 200 : 401;
          res.end(JSON.stringify(user ?? null));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function call(options: { cert?: string; key?: string; token?: string }): Promise<{ status?: number; user: UserInfo | null }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api',
          ca: pki.caCert,
          cert: options.cert,
          key: options.key,
          headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
          agent: false,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode, user: JSON.parse(body) as UserInfo | null }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('maps the admin certificate to kubernetes-admin in system:masters', async () => {
    const { status, user } = await call({ cert: pki.adminCert, key: pki.adminKey });
    expect(status).toBe(200);
    expect(user).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('maps an issued certificate with several organizations', async () => {
    const jane = await pki.issueClientCertificate('jane', ['dev', 'ops']);
    const { user } = await call(jane);
    expect(user).toEqual({ username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] });
  });

  it('rejects a certificate from another CA (even one TLS accepted)', async () => {
    const { status } = await call({ cert: foreign.adminCert, key: foreign.adminKey });
    expect(status).toBe(401);
  });

  it('accepts a bearer token on an anonymous TLS connection', async () => {
    const { token } = tokens.issueToken({ namespace: 'default', serviceAccountName: 'app', serviceAccountUid: 'sa-uid' });
    const { status, user } = await call({ token });
    expect(status).toBe(200);
    expect(user?.username).toBe('system:serviceaccount:default:app');
  });

  it('answers 401 without credentials when anonymous auth is off', async () => {
    expect((await call({})).status).toBe(401);
  });
});

describe('Authenticator', () => {
  it('rejects an expired client certificate', async () => {
    const later = authenticator({ now: () => new Date(Date.now() + 400 * 24 * 3600 * 1000) });
    expect(await later.authenticate({ peerCertificate: pki.adminCert })).toBeUndefined();
    expect(await authenticator().authenticate({ peerCertificate: pki.adminCert })).toMatchObject({ username: 'kubernetes-admin' });
  });

  it('maps a ServiceAccount token to the SA user and groups', async () => {
    const { token, claims } = tokens.issueToken({ namespace: 'default', serviceAccountName: 'app', serviceAccountUid: 'sa-uid' });
    expect(await authenticator().authenticate({ authorization: `bearer ${token}` })).toEqual({
      username: 'system:serviceaccount:default:app',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    });
  });

  it('stops accepting a token once its ServiceAccount is gone or recreated', async () => {
    const { token } = tokens.issueToken({ namespace: 'default', serviceAccountName: 'app', serviceAccountUid: 'sa-uid' });
    serviceAccounts.set('default/app', 'new-uid');
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
    serviceAccounts.delete('default/app');
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
    serviceAccounts.set('default/app', 'sa-uid');
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeDefined();
  });

  it('checks the pod a token is bound to and reports it in extra', async () => {
    const { token } = tokens.issueToken({
      namespace: 'default',
      serviceAccountName: 'app',
      serviceAccountUid: 'sa-uid',
      boundObject: { kind: 'Pod', name: 'web', uid: 'pod-uid' },
    });
    const user = await authenticator().authenticate({ authorization: `Bearer ${token}` });
    expect(user?.extra?.['authentication.kubernetes.io/pod-name']).toEqual(['web']);
    pods.set('default/web', 'other');
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
    pods.set('default/web', 'pod-uid');
  });

  it('accepts a legacy token only while its Secret holds it', async () => {
    const token = tokens.issueLegacyToken({ namespace: 'default', serviceAccountName: 'app', serviceAccountUid: 'sa-uid', secretName: 's' });
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
    secrets.set('default/s', { uid: 'x', token });
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toMatchObject({ uid: 'sa-uid' });
    secrets.set('default/s', { uid: 'x', token: 'rotated' });
    expect(await authenticator().authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
    secrets.set('default/s', { uid: 'x', token });
    expect(await authenticator({ lookupSecret: undefined }).authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
  });

  it('rejects garbage tokens; anonymous only without any credentials', async () => {
    const anon = authenticator({ allowAnonymous: true });
    expect(await anon.authenticate({ authorization: 'Bearer nope' })).toBeUndefined();
    expect(await anon.authenticate({ peerCertificate: foreign.adminCert })).toBeUndefined();
    expect(await anon.authenticate({ peerCertificate: {} })).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
    expect(await authenticator().authenticate({})).toBeUndefined();
  });

  it('parses bearer headers as kube-apiserver does', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('  BEARER abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
