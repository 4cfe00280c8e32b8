// Drives the real kubectl 1.32 against our documents. kubectl explain and its fieldValidation check
// need only discovery and /openapi/v3, so a small HTTP server serving those from OpenApiService
// (discovery derived from the documents' paths) is enough to prove the shapes are what kubectl reads.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiService } from './openapi-service.js';
import { generatedDocumentsDir } from './test-documents.js';

const kubectlPath = fileURLToPath(new URL('../../../../.tools/bin/kubectl', import.meta.url));
const run = promisify(execFile);
const service = new OpenApiService({ dir: generatedDocumentsDir(), servedPaths: ['api/v1', 'apis/apps/v1', 'apis/batch/v1'] });
service.registerCustomResource({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', description: 'Desired crontab.', properties: { cronSpec: { type: 'string', description: 'The schedule, in cron format.' } } } } } } }],
  },
});

type Paths = Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: { kind: string } }>>;

/** APIResourceList of a group version, from the collection paths of its document. */
function resources(path: string): object[] {
  const doc = service.document(path) as { paths: Paths };
  const out = new Map<string, { name: string; singularName: string; namespaced: boolean; kind: string; verbs: string[] }>();
  for (const [p, item] of Object.entries(doc.paths)) {
    const m = /^\/apis?\/(?:[^/]+\/)?v[^/]+\/(namespaces\/\{namespace\}\/)?([a-z0-9]+)$/.exec(p);
    const kind = (item.get ?? item.post)?.['x-kubernetes-group-version-kind']?.kind;
    if (!m || !kind) continue;
    const namespaced = Boolean(m[1]) || Boolean(out.get(m[2])?.namespaced);
    out.set(m[2], { name: m[2], singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] });
  }
  return [...out.values()];
}

const requests: string[] = [];
let server: Server;
let workdir: string;
let kubectl: (...args: string[]) => Promise<string>;

beforeAll(async () => {
  const index = service.index() as { paths: Record<string, unknown> };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = url.pathname.replace(/^\/+/, '');
    if (path === 'api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === 'apis') {
      const groups = Object.keys(index.paths).filter((p) => p.startsWith('apis/')).map((p) => {
        const [, group, version] = p.split('/');
        const gv = { groupVersion: `${group}/${version}`, version };
        return { name: group, versions: [gv], preferredVersion: gv };
      });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    if (path === 'openapi/v3') return send(200, service.index());
    if (path.startsWith('openapi/v3/')) {
      const json = service.documentJson(path.slice('openapi/v3/'.length));
      if (json) return send(200, json);
    }
    if (index.paths[path]) return send(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: path.replace(/^apis?\//, ''), resources: resources(path) });
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => send(201, body));
      return;
    }
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  workdir = mkdtempSync(join(tmpdir(), 'kubedesk-explain-'));
  kubectl = async (...args) => (await run(kubectlPath, [`--server=http://127.0.0.1:${port}`, `--cache-dir=${join(workdir, 'cache')}`, ...args], { env: { HOME: workdir, PATH: process.env.PATH ?? '' } })).stdout;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(kubectlPath))('kubectl 1.32 against our /openapi/v3', () => {
  it('explains a field of a built-in kind with its description and type', async () => {
    const out = await kubectl('explain', 'pods.spec.containers.image');
    expect(out).toContain('KIND:       Pod');
    expect(out).toContain('FIELD: image <string>');
    expect(out).toContain('Container image name.');
  });

  it('explains recursively, following references', async () => {
    const out = await kubectl('explain', 'deployments', '--recursive');
    expect(out).toContain('GROUP:      apps');
    expect(out).toMatch(/\n {4}replicas\t<integer>\n/);
    expect(out).toMatch(/maxSurge\t<IntOrString>/);
    expect(out).toMatch(/containers\t<\[\]Container> -required-/);
  });

  it('explains a custom resource from its CRD schema', async () => {
    const out = await kubectl('explain', 'crontabs.spec');
    expect(out).toContain('GROUP:      stable.example.com');
    expect(out).toContain('Desired crontab.');
    expect(out).toContain('cronSpec\t<string>');
  });

  it('leaves field validation to the server for built-in and custom kinds', async () => {
    const file = join(workdir, 'objects.yaml');
    writeFileSync(file, [
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: default}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}',
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: c, namespace: default}\nspec: {cronSpec: "* * * * *", typo: 1}',
    ].join('\n---\n'));
    requests.length = 0;
    await kubectl('create', '-f', file);
    const posts = requests.filter((r) => r.startsWith('POST'));
    expect(posts).toEqual([
      expect.stringMatching(/^POST \/apis\/batch\/v1\/namespaces\/default\/jobs\?.*fieldValidation=Strict/),
      expect.stringMatching(/^POST \/apis\/stable\.example\.com\/v1\/namespaces\/default\/crontabs\?.*fieldValidation=Strict/),
    ]);
  });
});
