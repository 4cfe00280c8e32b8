// Test support: a tiny HTTP API server that serves legacy discovery for the given group versions,
// records every request body and lets a test answer writes; enough to drive the real kubectl.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubectlPath } from './test-schema.js';

const run = promisify(execFile);

export interface FakeResource {
  name: string;
  kind: string;
  namespaced: boolean;
  /** For subresources served from another group (pods/eviction: policy/v1, deployments/scale: autoscaling/v1). */
  group?: string;
  version?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
}

/** Answers a request with [status, JSON body], or undefined for discovery / 404. */
export type Responder = (req: RecordedRequest) => [number, unknown] | undefined;

export interface FakeApiServer {
  readonly home: string;
  requests: RecordedRequest[];
  /** Runs kubectl; `extra` flags go before a `--` separator when the command has one. */
  kubectl(command: string[], extra?: string[]): Promise<string>;
  close(): Promise<void>;
}

function discovery(groups: Record<string, FakeResource[]>, path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const list = Object.keys(groups)
      .filter((gv) => gv.includes('/'))
      .map((gv) => {
        const [name, version] = gv.split('/');
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: list };
  }
  const gv = path === '/api/v1' ? 'v1' : path.replace(/^\/apis\//, '');
  const resources = groups[gv];
  if (!resources) return undefined;
  const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: resources.map((r) => ({ ...r, singularName: '', verbs })) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeApiServer(groups: Record<string, FakeResource[]>, respond: Responder): Promise<FakeApiServer> {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-protobuf-'));
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] ?? '', body };
      requests.push(recorded);
      let answer: [number, unknown] | undefined;
      try {
        answer = respond(recorded);
      } catch (error) {
        answer = [400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message: String(error) }];
      }
      const doc = answer ? undefined : recorded.method === 'GET' ? discovery(groups, url.pathname) : undefined;
      const [code, payload] = answer ?? (doc ? [200, doc] : [404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: `${url.pathname} not found` }]);
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeApiServer = {
    home,
    requests,
    async kubectl(command, extra = []) {
      const dashes = command.indexOf('--');
      const args = dashes < 0 ? [...command, ...extra] : [...command.slice(0, dashes), ...extra, ...command.slice(dashes)];
      const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: join(home, 'none') };
      const global = [`--server=http://127.0.0.1:${port}`, `--cache-dir=${join(home, 'cache')}`, '-n', 'default'];
      const { stdout } = await run(kubectlPath, [...global, ...args], { env, timeout: 15_000 });
      return stdout;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
  return fake;
}
