// Shared benchmark helpers: a sandbox child process, an HTTPS client with the admin certificate,
// percentiles and resident memory read from /proc.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..');

export interface BenchSandbox {
  url: string;
  child: ChildProcess;
  dataDir: string;
  readyMs: number;
  stop(): Promise<void>;
}

// nodeArgs go before the script (e.g. --cpu-prof, --max-old-space-size) so the profile covers the sandbox.
export async function startSandboxProcess(args: string[] = [], nodeArgs: string[] = []): Promise<BenchSandbox> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubedesk-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'sandbox', '--data-dir', dataDir, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready at (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolvePromise(m[1]);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  return {
    url,
    child,
    dataDir,
    readyMs: performance.now() - started,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

export interface AdminClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  agent: Agent;
  url: string;
}

export function adminClient(url: string, kubeconfigPath: string, maxSockets = 8): AdminClient {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    users: { user: Record<string, string> }[];
    clusters: { cluster: Record<string, string> }[];
  };
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: b64(kc.users[0].user['client-certificate-data']),
    key: b64(kc.users[0].user['client-key-data']),
  });
  const base = new URL(url);
  return {
    agent,
    url,
    request(method, path, body) {
      return new Promise((resolvePromise, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          { host: base.hostname, port: base.port, path, method, agent, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {} },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}

export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of /proc/pid/stat (here offset by the 2 fields before ") ").
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function table(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

/**
 * Milliseconds from fork to "ready" of the app's bundled sandbox process (out/main/sandbox-host.js,
 * what Electron forks), with a fresh data dir: the start a user waits for. Builds it when missing.
 */
export async function bundledSandboxStartMs(nodes: number): Promise<number> {
  const entry = join(ROOT, 'out', 'main', 'sandbox-host.js');
  if (!existsSync(entry)) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'kubedesk-bench-bundled-'));
  const started = performance.now();
  // execArgv: [] as the app forks it; this bench runs under tsx, whose loader fork would pass on.
  const child = fork(entry, [], { execArgv: [], env: { ...process.env, KUBEDESK_SANDBOX_DATA_DIR: dataDir, KUBEDESK_SANDBOX_PORT: '0', KUBEDESK_SANDBOX_NODES: String(nodes) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<number>((resolvePromise, reject) => {
    child.once('message', (m: unknown) => ((m as { type?: string })?.type === 'ready' ? resolvePromise(performance.now() - started) : reject(new Error(`bundled sandbox did not start: ${JSON.stringify(m)}`))));
    void exited.then(() => reject(new Error('bundled sandbox exited before it was ready')));
  });
  child.send({ type: 'stop' });
  await exited;
  await rm(dataDir, { recursive: true, force: true });
  return ready;
}
