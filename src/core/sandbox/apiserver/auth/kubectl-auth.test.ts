// Drives the real kubectl against a minimal HTTPS server wired with this folder's pieces, to check
// that kubectl accepts our certificates and parses our review objects (`auth whoami`, `auth can-i`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiError } from '../errors.js';
import { Authenticator } from './authenticator.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './bootstrap-policy.js';
import { MemoryRbacSource } from './memory-rbac-source.js';
import { ensurePki, writeKubeconfig, type Pki } from './pki.js';
import { impersonate } from './impersonation.js';
import { forbiddenError, RbacAuthorizer } from './rbac.js';
import { reviewSelfSubject, reviewSelfSubjectAccess, reviewSelfSubjectRules } from './reviews.js';
import { ServiceAccountTokens } from './tokens.js';

const KUBECTL = join(process.cwd(), '.tools/bin/kubectl');
const run = promisify(execFile);

/** Length-delimited fields of one protobuf message, by field number (enough for these review specs). */
function protoFields(buf: Buffer): Map<number, Buffer[]> {
  const fields = new Map<number, Buffer[]>();
  let pos = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const len = varint();
      fields.set(tag >>> 3, [...(fields.get(tag >>> 3) ?? []), buf.subarray(pos, pos + len)]);
      pos += len;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
  return fields;
}

function protoStrings(buf: Buffer | undefined, names: string[]): Record<string, string> {
  const fields = buf ? protoFields(buf) : new Map<number, Buffer[]>();
  return Object.fromEntries(names.flatMap((n, i) => (fields.get(i + 1) ? [[n, fields.get(i + 1)?.[0].toString() ?? '']] : [])));
}

/** The review object a protobuf request body carries (kubectl's typed clients send protobuf). */
function decodeReview(body: Buffer, resource: string): KubeObject {
  if (body[0] === 0x7b) return JSON.parse(body.toString()) as KubeObject;
  const raw = protoFields(body.subarray(4)).get(2)?.[0] ?? Buffer.alloc(0); // runtime.Unknown.raw
  const spec = protoFields(raw).get(2)?.[0];
  const specFields = spec ? protoFields(spec) : new Map<number, Buffer[]>();
  if (resource === 'selfsubjectrulesreviews') return { metadata: {}, spec: protoStrings(spec, ['namespace']) };
  if (resource === 'selfsubjectaccessreviews') {
    const res = specFields.get(1)?.[0];
    const nonRes = specFields.get(2)?.[0];
    return {
      metadata: {},
      spec: res
        ? { resourceAttributes: protoStrings(res, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']) }
        : { nonResourceAttributes: protoStrings(nonRes, ['path', 'verb']) },
    };
  }
  return { metadata: {} };
}

const discovery: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['authorization.k8s.io', 'authentication.k8s.io'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'] },
      { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    ],
  },
  '/apis/authorization.k8s.io/v1': { kind: 'APIResourceList', groupVersion: 'authorization.k8s.io/v1', resources: [] },
  '/apis/authentication.k8s.io/v1': { kind: 'APIResourceList', groupVersion: 'authentication.k8s.io/v1', resources: [] },
};

describe.skipIf(!existsSync(KUBECTL))('kubectl against the auth pieces', () => {
  let dir: string;
  let pki: Pki;
  let server: Server;
  let port: number;
  let tokens: ServiceAccountTokens;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubedesk-kubectl-auth-'));
    pki = await ensurePki(join(dir, 'pki'));
    tokens = new ServiceAccountTokens({ privateKey: pki.saPrivateKey, publicKey: pki.saPublicKey });
    const source = new MemoryRbacSource([
      ...defaultClusterRoles(),
      ...defaultClusterRoleBindings(),
      {
        kind: 'RoleBinding',
        metadata: { namespace: 'dev', name: 'app-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'dev' }],
      },
    ]);
    const authz = new RbacAuthorizer(source);
    const authn = new Authenticator({
      caCert: pki.caCert,
      tokens,
      lookupServiceAccount: async (ns, name) => (ns === 'dev' && name === 'app' ? { uid: 'sa-uid' } : undefined),
    });

    server = createServer({ cert: pki.serverCert, key: pki.serverKey, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const send = (code: number, body: unknown) => {
            res.writeHead(code, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          };
          const authenticated = await authn.authenticate({
            peerCertificate: (req.socket as TLSSocket).getPeerCertificate(),
            authorization: req.headers.authorization,
          });
          if (!authenticated) return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
          let user = authenticated;
          try {
            user = await impersonate(req.headersDistinct, authenticated, authz);
          } catch (error) {
            return send((error as ApiError).code, (error as ApiError).status);
          }
          const path = (req.url ?? '').split('?')[0];
          if (req.method === 'GET' && path in discovery) return send(200, discovery[path]);
          const match = /^\/apis\/(authorization|authentication)\.k8s\.io\/v1\/(\w+)$/.exec(path);
          if (req.method === 'POST' && match) {
            const resource = match[2];
            const body = decodeReview(Buffer.concat(chunks), resource);
            const group = `${match[1]}.k8s.io`;
            const decision = await authz.authorize({ user, verb: 'create', group, resource, subresource: '', namespace: '', name: '' });
            if (!decision.allowed) {
              const error = forbiddenError({ user, verb: 'create', group, resource, subresource: '', namespace: '', name: '' }, decision.reason);
              return send(403, error.status);
            }
            if (resource === 'selfsubjectreviews') return send(201, reviewSelfSubject(body, user));
            if (resource === 'selfsubjectaccessreviews') return send(201, await reviewSelfSubjectAccess(body, user, authz));
            if (resource === 'selfsubjectrulesreviews') return send(201, await reviewSelfSubjectRules(body, user, authz));
          }
          send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await writeKubeconfig(join(dir, 'config'), { server: `https://127.0.0.1:${port}`, pki, namespace: 'dev' });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      const kubeconfig = args[0] === '--kubeconfig' ? [] : ['--kubeconfig', join(dir, 'config')];
      const { stdout, stderr } = await run(KUBECTL, [...kubeconfig, '--request-timeout=5s', ...args], { timeout: 8_000 });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? -1 };
    }
  }

  it('auth whoami shows the admin certificate identity', async () => {
    const { stdout, stderr } = await kubectl('auth', 'whoami', '-o', 'json');
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).status.userInfo).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('auth can-i answers for the admin and for a ServiceAccount token', async () => {
    expect((await kubectl('auth', 'can-i', 'delete', 'secrets')).stdout.trim()).toBe('yes');
    const { token } = tokens.issueToken({ namespace: 'dev', serviceAccountName: 'app', serviceAccountUid: 'sa-uid' });
    await writeKubeconfig(join(dir, 'app-config'), { server: `https://127.0.0.1:${port}`, pki, namespace: 'dev', token });
    const asApp = (...args: string[]) => kubectl('--kubeconfig', join(dir, 'app-config'), ...args);
    expect((await asApp('auth', 'can-i', 'list', 'pods')).stdout.trim()).toBe('yes');
    const no = await asApp('auth', 'can-i', 'get', 'secrets');
    expect(no.stdout.trim()).toBe('no');
    expect(no.code).toBe(1);
    const whoami = await asApp('auth', 'whoami');
    expect(whoami.stdout).toContain('system:serviceaccount:dev:app');
    const list = await asApp('auth', 'can-i', '--list');
    expect(list.stdout).toMatch(/pods\s+\[\]\s+\[\]\s+\[get list watch\]/);
    expect(list.stdout).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io/);
  });

  it('auth can-i --as impersonates (checked against the impersonator)', async () => {
    expect((await kubectl('auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:dev:app')).stdout.trim()).toBe('yes');
    expect((await kubectl('auth', 'can-i', 'list', 'secrets', '--as=system:serviceaccount:dev:app')).stdout.trim()).toBe('no');
    expect((await kubectl('auth', 'can-i', 'list', 'pods', '--as=jane', '-n', 'dev')).stdout.trim()).toBe('no');
    const whoami = await kubectl('auth', 'whoami', '--as=jane', '--as-group=devs', '-o', 'json');
    expect(JSON.parse(whoami.stdout).status.userInfo).toEqual({ username: 'jane', groups: ['devs', 'system:authenticated'] });
    const { token } = tokens.issueToken({ namespace: 'dev', serviceAccountName: 'app', serviceAccountUid: 'sa-uid' });
    await writeKubeconfig(join(dir, 'app-config'), { server: `https://127.0.0.1:${port}`, pki, namespace: 'dev', token });
    const denied = await kubectl('--kubeconfig', join(dir, 'app-config'), 'auth', 'can-i', 'list', 'pods', '--as=jane');
    expect(denied.stderr).toContain('users "jane" is forbidden: User "system:serviceaccount:dev:app" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('rejects a forged token with 401', async () => {
    await writeKubeconfig(join(dir, 'forged-config'), { server: `https://127.0.0.1:${port}`, pki, token: 'abc.def.ghi' });
    const { stderr, code } = await kubectl('--kubeconfig', join(dir, 'forged-config'), 'auth', 'whoami');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Unauthorized|must be logged in/);
  });
});
