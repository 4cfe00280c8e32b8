// The course's etcdctl commands (Debian's etcd-client, etcdctl 3.4) against the sandbox's etcd
// endpoint, checked against what kubectl sees: the same store, the same revisions, writes and
// deletes through etcd seen by the API server, and no access without a certificate from the etcd CA.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, run, startSandbox, type RunningSandbox } from './harness.js';
import { jsonOf, ok, poll, type Kubectl } from './kubectl-helpers.js';

const ETCDCTL = process.env.ETCDCTL_BINARY ?? '/usr/bin/etcdctl';

interface EtcdctlJson {
  header: { revision: number; member_id: number };
  kvs?: { key: string; mod_revision: number; create_revision: number; version: number; value: string }[];
  count?: number;
}

if (!existsSync(ETCDCTL)) {
  describe('sandbox etcd endpoint with etcdctl', () => {
    it.skip(`skipped: no etcdctl at ${ETCDCTL} (install Debian's etcd-client or set ETCDCTL_BINARY)`, () => undefined);
  });
} else {
  describe('sandbox etcd endpoint with etcdctl', () => {
    let sandbox: RunningSandbox;
    let kubectl: Kubectl;
    let endpoint: string;
    let certs: string;

    const tls = () => ['--cacert', join(certs, 'ca.crt'), '--cert', join(certs, 'server.crt'), '--key', join(certs, 'server.key')];
    const etcdctl = (args: string[], extra: string[] = tls()) =>
      run(ETCDCTL, [...extra, '--endpoints', endpoint, '--dial-timeout', '3s', '--command-timeout', '5s', ...args], { env: { ETCDCTL_API: '3' } });
    const etcdOk = async (args: string[]): Promise<string> => {
      const r = await etcdctl(args);
      if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    };
    const getJson = async (key: string): Promise<EtcdctlJson> => JSON.parse(await etcdOk(['get', key, '-w', 'json'])) as EtcdctlJson;

    beforeAll(async () => {
      sandbox = await startSandbox({ nodes: 1 });
      kubectl = kubectlFor(sandbox);
      certs = join(sandbox.dataDir, 'certs', 'etcd');
      endpoint = (await readFile(join(sandbox.dataDir, 'etcd-endpoint'), 'utf8')).trim();
    });

    afterAll(async () => {
      const code = await sandbox?.stop();
      expect(code).toBe(0);
      expect(existsSync(join(sandbox.dataDir, 'etcd-endpoint'))).toBe(false);
      await removeDir(sandbox.dataDir);
    });

    it('writes its endpoint and a CA-signed certificate usable as server and client certificate', async () => {
      expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(endpoint).not.toBe(sandbox.url);
      const ca = new X509Certificate(await readFile(join(certs, 'ca.crt')));
      const cert = new X509Certificate(await readFile(join(certs, 'server.crt')));
      expect(ca.ca).toBe(true);
      expect(cert.checkIssued(ca)).toBe(true);
      // The etcd CA is not the cluster CA, as kubeadm lays it out.
      expect(cert.checkIssued(new X509Certificate(await readFile(join(sandbox.dataDir, 'pki', 'ca.crt'))))).toBe(false);
      expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
      expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(cert.subjectAltName).toContain('DNS:localhost');
      // One line on stdout: the ready line did not grow.
      expect(sandbox.output()).not.toContain(endpoint);
    });

    it("runs the course's command: the keys under /registry/", async () => {
      const out = await etcdOk(['get', '/registry/', '--prefix', '--keys-only']);
      const keys = out.split('\n').filter((line) => line !== '');
      expect(keys).toContain('/registry/namespaces/default');
      expect(keys).toContain('/registry/services/specs/default/kubernetes');
      expect(keys.some((k) => k.startsWith('/registry/minions/'))).toBe(true);
      expect([...keys].sort()).toEqual(keys);
    });

    it("get -w json: the value is the object and mod_revision is kubectl's resourceVersion", async () => {
      const ns = jsonOf<{ metadata: { resourceVersion: string; uid: string } }>(await ok(kubectl, ['get', 'namespace', 'default', '-o', 'json']));
      const got = await getJson('/registry/namespaces/default');
      expect(got.kvs).toHaveLength(1);
      const kv = got.kvs![0];
      expect(Buffer.from(kv.key, 'base64').toString()).toBe('/registry/namespaces/default');
      expect(String(kv.mod_revision)).toBe(ns.metadata.resourceVersion);
      const stored = JSON.parse(Buffer.from(kv.value, 'base64').toString()) as { kind: string; metadata: { uid: string } };
      expect(stored.kind).toBe('Namespace');
      expect(stored.metadata.uid).toBe(ns.metadata.uid);
      expect(got.header.revision).toBeGreaterThanOrEqual(kv.mod_revision);
    });

    it('watch --prefix prints the PUT when kubectl creates a configmap', async () => {
      const from = (await getJson('/registry/configmaps/')).header.revision + 1;
      const watch = spawn(ETCDCTL, [...tls(), '--endpoints', endpoint, 'watch', '--prefix', '/registry/configmaps/', '--rev', String(from)], {
        env: { ...process.env, ETCDCTL_API: '3' },
      });
      let out = '';
      watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
      watch.stderr.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await ok(kubectl, ['create', 'configmap', 'watched', '--from-literal=colour=blue']);
        await poll('the PUT in etcdctl watch', async () => out.includes('/registry/configmaps/default/watched') && out.includes('"colour":"blue"'), 10_000);
        expect(out.split('\n').slice(0, 2)).toEqual(['PUT', '/registry/configmaps/default/watched']);
      } finally {
        watch.kill('SIGTERM');
      }
    });

    it('del of a configmap key: kubectl get answers NotFound', async () => {
      await ok(kubectl, ['create', 'configmap', 'doomed', '--from-literal=a=b']);
      expect((await etcdOk(['del', '/registry/configmaps/default/doomed'])).trim()).toBe('1');
      const stderr = await poll('kubectl to see the deletion', async () => {
        const r = await kubectl(['get', 'configmap', 'doomed']);
        return r.code !== 0 && r.stderr;
      }, 10_000);
      expect(stderr).toContain('Error from server (NotFound): configmaps "doomed" not found');
    });

    it('a put through etcd is what kubectl reads, at the revision etcd gave it', async () => {
      const created = jsonOf<Record<string, unknown> & { metadata: Record<string, unknown> }>(
        await ok(kubectl, ['create', 'configmap', 'edited', '--from-literal=v=1', '-o', 'json']),
      );
      const edited = { ...created, data: { v: '2' }, metadata: { ...created.metadata, resourceVersion: undefined } };
      expect((await etcdOk(['put', '/registry/configmaps/default/edited', JSON.stringify(edited)])).trim()).toBe('OK');
      const revision = (await getJson('/registry/configmaps/default/edited')).kvs![0].mod_revision;
      const seen = await poll('kubectl to see the edit', async () => {
        const cm = jsonOf<{ data: { v: string }; metadata: { resourceVersion: string } }>(await ok(kubectl, ['get', 'configmap', 'edited', '-o', 'json']));
        return cm.data.v === '2' && cm;
      }, 10_000);
      expect(seen.metadata.resourceVersion).toBe(String(revision));
    });

    it('endpoint status -w table and member list describe a one-member cluster', async () => {
      const status = await etcdOk(['endpoint', 'status', '-w', 'table']);
      const row = status.split('\n').find((line) => line.includes(endpoint));
      expect(row, status).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim()).filter((c) => c !== '');
      // ENDPOINT | ID | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | ...
      expect(cells[0]).toBe(endpoint);
      expect(cells[1]).toMatch(/^[0-9a-f]+$/);
      expect(cells[2]).toMatch(/^3\.4\.\d+$/);
      expect(cells[4]).toBe('true');
      expect(cells[5]).toBe('false');
      const members = (await etcdOk(['member', 'list'])).trim().split('\n');
      expect(members).toEqual([`${cells[1]}, started, kubedesk-sandbox, , ${endpoint}, false`]);
      const health = await etcdctl(['endpoint', 'health']);
      expect(health.code).toBe(0);
      expect(health.stdout + health.stderr).toContain(`${endpoint} is healthy`);
    });

    it('errors as etcd words them: a future revision', async () => {
      const r = await etcdctl(['get', '/registry/namespaces/default', '--rev', '100000000']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Error: etcdserver: mvcc: required revision is a future revision');
    });

    it('a deleted pod key is healed by its ReplicaSet, as in a real cluster', async (ctx) => {
      const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: healed}
spec:
  replicas: 1
  selector: {matchLabels: {app: healed}}
  template:
    metadata: {labels: {app: healed}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;
      await ok(kubectl, ['apply', '-f', '-'], { stdin: rs });
      const podNames = async () => {
        const list = jsonOf<{ items: { metadata: { name: string } }[] }>(await ok(kubectl, ['get', 'pods', '-l', 'app=healed', '-o', 'json']));
        return list.items.map((p) => p.metadata.name);
      };
      let first: string[] = [];
      for (const deadline = Date.now() + 8000; first.length === 0 && Date.now() < deadline; ) {
        first = await podNames();
        if (first.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      // The ReplicaSet controller is wired into the control plane separately from this endpoint.
      if (first.length === 0) ctx.skip('no ReplicaSet controller runs in this control plane yet: no pod to heal');
      expect(first).toHaveLength(1);
      expect((await etcdOk(['del', `/registry/pods/default/${first[0]}`])).trim()).toBe('1');
      const healed = await poll('a replacement pod', async () => {
        const names = await podNames();
        return names.length === 1 && names[0] !== first[0] && names;
      }, 15_000);
      expect((await etcdOk(['get', `/registry/pods/default/${healed[0]}`, '--keys-only'])).trim()).toBe(`/registry/pods/default/${healed[0]}`);
    });

    it('refuses a client without a certificate, or with one the etcd CA did not sign', async () => {
      const pki = join(sandbox.dataDir, 'pki');
      const quick = ['--dial-timeout', '1s', '--command-timeout', '2s'];
      const [noCert, clusterCert, withCert] = await Promise.all([
        etcdctl(['get', '/registry/namespaces/default', ...quick], ['--cacert', join(certs, 'ca.crt')]),
        etcdctl(['get', '/registry/namespaces/default', ...quick], ['--cacert', join(certs, 'ca.crt'), '--cert', join(pki, 'admin.crt'), '--key', join(pki, 'admin.key')]),
        etcdctl(['get', '/registry/namespaces/default', '--keys-only', ...quick]),
      ]);
      for (const refused of [noCert, clusterCert]) {
        expect(refused.code).not.toBe(0);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toContain('context deadline exceeded');
      }
      expect(withCert.stdout.trim()).toBe('/registry/namespaces/default');
    });
  });
}
