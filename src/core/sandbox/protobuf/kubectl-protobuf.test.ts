// Proves the decoder against the real kubectl 1.32: its typed `create` commands POST protobuf bodies.
// A small HTTP server captures each body, answers with the decoded JSON, and the decoded object must
// equal the object the same command prints with --dry-run=client -o json (Go's JSON encoding of it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isProtobufContentType } from './kubernetes-protobuf.js';
import { generatedSchema, kubectlPath } from './test-schema.js';

const run = promisify(execFile);
const schema = generatedSchema();

interface Resource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const GROUPS: Record<string, Resource[]> = {
  v1: [
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  ],
  'apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  'batch/v1': [
    { name: 'jobs', kind: 'Job', namespaced: true },
    { name: 'cronjobs', kind: 'CronJob', namespaced: true },
  ],
  'rbac.authorization.k8s.io/v1': [
    { name: 'roles', kind: 'Role', namespaced: true },
    { name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
    { name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  ],
  'scheduling.k8s.io/v1': [{ name: 'priorityclasses', kind: 'PriorityClass', namespaced: false }],
  'policy/v1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
};

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = Object.keys(GROUPS)
      .filter((gv) => gv.includes('/'))
      .map((gv) => {
        const [name, version] = gv.split('/');
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = path === '/api/v1' ? 'v1' : path.replace(/^\/apis\//, '');
  const resources = GROUPS[gv];
  if (!resources) return undefined;
  const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: resources.map((r) => ({ ...r, singularName: '', verbs })) };
}

interface Captured {
  contentType: string;
  body: Buffer;
}

let server: Server;
let home: string;
let captured: Captured[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'kubectl-protobuf-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = (code: number, body: unknown): void => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        const body = Buffer.concat(chunks);
        captured.push({ contentType: req.headers['content-type'] ?? '', body });
        try {
          reply(201, isProtobufContentType(req.headers['content-type']) ? decodeKubernetesProtobuf(body, schema) : JSON.parse(body.toString()));
        } catch (error) {
          reply(400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, message: String(error) });
        }
        return;
      }
      const doc = req.method === 'GET' ? discovery(path) : undefined;
      if (doc) reply(200, doc);
      else reply(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: `${path} not found` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

/** Runs kubectl with `extra` flags placed before a `--` separator, if the command has one. */
async function kubectl(command: string[], extra: string[]): Promise<string> {
  const dashes = command.indexOf('--');
  const args = dashes < 0 ? [...command, ...extra] : [...command.slice(0, dashes), ...extra, ...command.slice(dashes)];
  const { port } = server.address() as AddressInfo;
  const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: join(home, 'none') };
  const { stdout } = await run(kubectlPath, [`--server=http://127.0.0.1:${port}`, `--cache-dir=${join(home, 'cache')}`, '-n', 'default', ...args], { env, timeout: 15_000 });
  return stdout;
}

/** Go's JSON of kubectl's object, minus the nulls (zero times) the decoder omits instead. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

const COMMANDS: string[][] = [
  ['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=8080'],
  ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty='],
  ['create', 'secret', 'generic', 's', '--from-literal=k=v', 'BINARY'],
  ['create', 'namespace', 'essai'],
  ['create', 'service', 'clusterip', 'svc', '--tcp=80:http', '--tcp=443:8443'],
  ['create', 'serviceaccount', 'robot'],
  ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *'],
  ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps'],
  ['create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:robot'],
  ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
  ['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never'],
  ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=0'],
  ['create', 'pdb', 'p', '--selector=app=web', '--min-available=0'],
];

describe.skipIf(!existsSync(kubectlPath))('kubectl 1.32 protobuf request bodies', () => {
  it.each(COMMANDS.map((c) => [c.slice(1, 3).join(' '), c] as const))('decodes kubectl create %s like its JSON', async (_label, command) => {
    let args = [...command];
    if (args.includes('BINARY')) {
      const file = join(home, 'blob.bin');
      writeFileSync(file, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      args = args.map((a) => (a === 'BINARY' ? `--from-file=blob=${file}` : a));
    }
    const expected = JSON.parse(await kubectl(args, ['--dry-run=client', '-o', 'json'])) as unknown;
    captured = [];
    const echoed = JSON.parse(await kubectl(args, ['--dry-run=server', '-o', 'json'])) as unknown;
    expect(captured).toHaveLength(1);
    expect(captured[0].contentType).toBe('application/vnd.kubernetes.protobuf');
    const decoded = decodeKubernetesProtobuf(captured[0].body, schema);
    expect(decoded).toEqual(withoutNulls(expected));
    // kubectl read our JSON answer back into the same object.
    expect(withoutNulls(echoed)).toEqual(decoded);
    // Our encoder writes the bytes kubectl wrote.
    expect(Buffer.from(encodeKubernetesProtobuf(decoded, schema)).toString('hex')).toBe(captured[0].body.toString('hex'));
  });
});
