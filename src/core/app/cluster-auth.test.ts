// Connecting to clusters as kubeconfig files describe them: an exec credential plugin (a real
// script written here) found on the login PATH only, a missing plugin named with how to install it,
// proxy-url, insecure-skip-tls-verify and the context's namespace; against real HTTPS/HTTP servers.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki } from '../sandbox/apiserver/auth/pki.js';
import { ClusterManager } from './cluster-manager.js';
import { loadKubeconfigs } from './kubeconfig.js';
import { findOnPath, installHint } from './exec-credentials.js';

const TOKEN = 'token-from-the-plugin';
let dir: string;
let pluginDir: string;
let https: HttpsServer;
let proxy: HttpServer;
let httpsUrl: string;
let proxyUrl: string;
const proxied: string[] = [];
const seenAuth: string[] = [];

function listen(server: HttpsServer | HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-auth-'));
  pluginDir = join(dir, 'login-bin');
  await mkdir(pluginDir);
  // The plugin records what kubectl would give it, then prints an ExecCredential.
  await writeFile(
    join(pluginDir, 'kubedesk-test-plugin'),
    `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "${join(dir, 'exec-info.json')}"\nprintf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}"}}'\n`,
  );
  await chmod(join(pluginDir, 'kubedesk-test-plugin'), 0o755);
  await writeFile(join(pluginDir, 'kubedesk-expired-plugin'), '#!/bin/sh\necho "error: the SSO session has expired, run login again" >&2\nexit 1\n');
  await chmod(join(pluginDir, 'kubedesk-expired-plugin'), 0o755);
  const pki = await ensurePki(join(dir, 'pki'));
  https = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    seenAuth.push(req.headers.authorization ?? '');
    const ok = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { kind: 'NamespaceList', items: [] } : { kind: 'Status', message: 'Unauthorized' }));
  });
  httpsUrl = `https://127.0.0.1:${await listen(https)}`;
  // A CONNECT proxy that remembers what it tunnelled.
  proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket, head) => {
    proxied.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  await writeFile(
    join(dir, 'config'),
    `apiVersion: v1
kind: Config
clusters:
- name: tls-unknown-ca
  cluster: { server: '${httpsUrl}' }
- name: tls-skip
  cluster: { server: '${httpsUrl}', insecure-skip-tls-verify: true }
- name: via-proxy
  cluster: { server: '${httpsUrl}', insecure-skip-tls-verify: true, proxy-url: '${proxyUrl}' }
users:
- name: plugin
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: kubedesk-test-plugin, interactiveMode: Never }
- name: plugin-info
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: kubedesk-test-plugin, provideClusterInfo: true }
- name: expired
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: kubedesk-expired-plugin }
- name: eks
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, demo] }
- name: gke
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin }
contexts:
- name: checked-ca
  context: { cluster: tls-unknown-ca, user: plugin }
- name: plugin-on-login-path
  context: { cluster: tls-skip, user: plugin, namespace: team-a }
- name: through-proxy
  context: { cluster: via-proxy, user: plugin }
- name: with-cluster-info
  context: { cluster: tls-skip, user: plugin-info }
- name: expired-login
  context: { cluster: tls-skip, user: expired }
- name: eks
  context: { cluster: tls-skip, user: eks }
- name: gke
  context: { cluster: tls-skip, user: gke }
`,
  );
});

afterAll(async () => {
  https?.close();
  proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

function manager(loginPath: string): ClusterManager {
  return new ClusterManager(loadKubeconfigs([join(dir, 'config')]).contexts, false, { execPath: async () => loginPath });
}

describe('cluster authentication', () => {
  it('runs the exec plugin found on the login PATH only, with KUBERNETES_EXEC_INFO, and keeps the context namespace', async () => {
    // The plugin is not on this process's PATH: only the login shell's PATH has its folder.
    expect(findOnPath('kubedesk-test-plugin', process.env.PATH ?? '')).toBeUndefined();
    const clusters = manager(`${pluginDir}:/usr/bin:/bin`);
    const info = await clusters.connect('kubeconfig:plugin-on-login-path');
    expect(info).toMatchObject({ state: 'connected', namespace: 'team-a' });
    expect(seenAuth.at(-1)).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(await readFile(join(dir, 'exec-info.json'), 'utf8'))).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
  });

  it('tells a plugin that asks for it which cluster it authenticates for (provideClusterInfo)', async () => {
    const info = await manager(pluginDir).connect('kubeconfig:with-cluster-info');
    expect(info.state).toBe('connected');
    expect(JSON.parse(await readFile(join(dir, 'exec-info.json'), 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: httpsUrl, 'insecure-skip-tls-verify': true } },
    });
  });

  it('names a missing plugin and says how to install it', async () => {
    const clusters = manager('/nonexistent-bin');
    const plugin = await clusters.connect('kubeconfig:plugin-on-login-path');
    expect(plugin.state).toBe('auth-failed');
    expect(plugin.reason).toContain('the credential plugin "kubedesk-test-plugin" is not installed or not on PATH');
    const eks = await clusters.connect('kubeconfig:eks');
    expect(eks).toMatchObject({ state: 'auth-failed' });
    expect(eks.reason).toMatch(/"aws" is not installed.*install the AWS CLI v2/);
    const gke = await clusters.connect('kubeconfig:gke');
    expect(gke.reason).toContain('gcloud components install gke-gcloud-auth-plugin');
    expect(installHint('/opt/bin/kubelogin')).toContain('az aks install-cli');
  });

  it('says which plugin failed and what it printed', async () => {
    const info = await manager(pluginDir).connect('kubeconfig:expired-login');
    expect(info.state).toBe('auth-failed');
    expect(info.reason).toBe('the credential plugin "kubedesk-expired-plugin" failed: error: the SSO session has expired, run login again; run it in a terminal to see why (often: log in again)');
  });

  it('checks the server certificate unless insecure-skip-tls-verify is set', async () => {
    const clusters = manager(pluginDir);
    const checked = await clusters.connect('kubeconfig:checked-ca');
    expect(checked.state).toBe('unreachable');
    expect(checked.reason).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+: .*(self-signed|certificate)/i);
    expect((await clusters.connect('kubeconfig:plugin-on-login-path')).state).toBe('connected');
  });

  it('notices when a connected cluster goes away, without a click', async () => {
    const clusters = manager(pluginDir);
    expect((await clusters.connect('kubeconfig:plugin-on-login-path')).state).toBe('connected');
    const states: string[] = [];
    clusters.onChange((list) => states.push(list.find((c) => c.id === 'kubeconfig:plugin-on-login-path')?.state ?? ''));
    // Same answer: no change is announced.
    expect((await clusters.recheck('kubeconfig:plugin-on-login-path'))?.state).toBe('connected');
    expect(states).toEqual([]);
    https.closeAllConnections();
    await new Promise<void>((done) => https.close(() => done()));
    try {
      const gone = await clusters.recheck('kubeconfig:plugin-on-login-path');
      expect(gone).toMatchObject({ state: 'unreachable', reason: expect.stringContaining('ECONNREFUSED') });
      expect(states).toEqual(['unreachable']);
    } finally {
      await new Promise<void>((done) => https.listen(Number(new URL(httpsUrl).port), '127.0.0.1', () => done()));
    }
    expect((await clusters.recheck('kubeconfig:plugin-on-login-path'))?.state).toBe('connected');
    expect(states).toEqual(['unreachable', 'connected']);
  });

  it('goes through proxy-url', async () => {
    const before = proxied.length;
    const info = await manager(pluginDir).connect('kubeconfig:through-proxy');
    expect(info.state).toBe('connected');
    expect(proxied.slice(before)).toContain(new URL(httpsUrl).host);
  });

  it('does not reach the proxy for contexts without proxy-url', async () => {
    const before = proxied.length;
    await manager(pluginDir).connect('kubeconfig:plugin-on-login-path');
    expect(proxied.length).toBe(before);
    // Plain HTTP to the proxy itself is refused: it only tunnels.
    const status = await new Promise<number>((resolve) => httpRequest(proxyUrl, (res) => resolve(res.statusCode ?? 0)).end());
    expect(status).toBe(405);
  });
});
