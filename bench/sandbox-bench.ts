// Sandbox API benchmark: start to /readyz, creates/s with 8 concurrent clients, watch delivery
// latency with 100 watchers, resident memory idle and holding 50,000 pods. Prints figures next to
// their targets; it never fails on them (benchmarks inform, tests decide).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Sandbox } from '../src/core/sandbox/sandbox.js';
import { adminClient, bundledSandboxStartMs, percentile, rssMb, startSandboxProcess, table, type AdminClient } from './lib.js';

const POD_COUNT = Number(process.env.BENCH_PODS ?? 50_000);

function pod(name: string, ns: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'bench', shard: String(name.length % 10) } },
    // Left to no scheduler: this measures the API server and its store holding 50,000 pods, not
    // 3 nodes failing to fit them (bench/cluster-bench.ts measures pods that really run).
    spec: { schedulerName: 'bench-unscheduled', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

/** CPU ms (user + system) the sandbox process, and its main thread alone, have used so far. */
function serverCpuMs(pid: number): { process: number; main: number } {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { process: ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')), main: ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')) };
}

/**
 * Creates per second, and the server's CPU per create: on a shared machine the rate follows the
 * load of everything else, the CPU per create much less (the main thread's is what caps the rate).
 */
async function measuredCreates(pid: number, run: () => Promise<number>, count: number): Promise<{ rate: number; cpuMs: number; mainMs: number }> {
  const before = serverCpuMs(pid);
  const rate = await run();
  const after = serverCpuMs(pid);
  return { rate, cpuMs: (after.process - before.process) / count, mainMs: (after.main - before.main) / count };
}

async function createMany(client: AdminClient, count: number, concurrency: number, make: (i: number) => [string, unknown]): Promise<number> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const [path, body] = make(i);
        const res = await client.request('POST', path, body);
        if (res.status !== 201) {
          failures++;
          if (failures < 3) console.error(`create failed (${res.status}): ${res.body.slice(0, 200)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (failures > 0) console.error(`${failures} creates failed`);
  return count / seconds;
}

async function watchLatency(client: AdminClient, watchClient: AdminClient, watchers: number, events: number): Promise<number[]> {
  const base = new URL(client.url);
  const latencies: number[] = [];
  const streams: { destroy(): void }[] = [];
  await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<void>((resolvePromise, reject) => {
          const req = request({ host: base.hostname, port: base.port, path: '/api/v1/namespaces/watch-bench/configmaps?watch=true', agent: watchClient.agent }, (res) => {
            let buffer = '';
            res.on('data', (chunk: Buffer) => {
              const now = performance.now() + performance.timeOrigin;
              buffer += chunk.toString();
              let nl: number;
              while ((nl = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                const sent = Number((JSON.parse(line) as { object: { data?: { sent?: string } } }).object.data?.sent);
                if (sent) latencies.push(now - sent);
              }
            });
            resolvePromise();
          });
          req.on('error', reject);
          req.end();
          streams.push(req);
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < events; i++) {
    await client.request('POST', '/api/v1/namespaces/watch-bench/configmaps', {
      metadata: { name: `cm-${i}` },
      data: { sent: String(performance.now() + performance.timeOrigin) },
    });
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const s of streams) s.destroy();
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const rows: [string, string, string][] = [['measure', 'value', 'target']];
  let startDir = '';
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  // In-process: what the app's sandbox process pays (the code is already loaded there).
  for (const [label, fresh] of [['first start (creates the cluster)', true], ['restart (existing data dir)', false]] as const) {
    const dir = fresh ? await mkdtemp(join(tmpdir(), 'kubedesk-start-')) : startDir;
    const t0 = performance.now();
    const sandbox = await Sandbox.start({ dataDir: dir, port: 0, nodes: 3 });
    rows.push([`start to ready, in process: ${label}`, `${(performance.now() - t0).toFixed(0)} ms`, '< 500 ms']);
    await sandbox.stop();
    startDir = dir;
  }
  await rm(startDir, { recursive: true, force: true });
  const bundled: number[] = [];
  for (let i = 0; i < 3; i++) bundled.push(await bundledSandboxStartMs(3));
  rows.push(["start to ready, the app's bundled sandbox process (median of 3)", `${bundled.sort((a, b) => a - b)[1].toFixed(0)} ms`, '< 500 ms']);
  const sb = await startSandboxProcess(['--nodes', '3']);
  // npm run sandbox compiles the TypeScript sources with tsx first: a developer's start, not the app's.
  rows.push(['start to ready, npm run sandbox (tsx compiles the sources)', `${sb.readyMs.toFixed(0)} ms`, '']);
  const client = adminClient(sb.url, join(sb.dataDir, 'kubeconfig'), 8);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    rows.push(['RSS idle', `${rssMb(sb.child.pid!).toFixed(0)} MB`, '< 150 MB']);

    progress('creates');
    await client.request('POST', '/api/v1/namespaces', { metadata: { name: 'create-bench' } });
    const warm = 500;
    await createMany(client, warm, 8, (i) => ['/api/v1/namespaces/create-bench/configmaps', { metadata: { name: `warm-${i}` }, data: { i: String(i) } }]);
    const cms = 5000;
    const cm = await measuredCreates(sb.child.pid!, () => createMany(client, cms, 8, (i) => ['/api/v1/namespaces/create-bench/configmaps', { metadata: { name: `cm-${i}` }, data: { i: String(i) } }]), cms);
    rows.push(['ConfigMap creates/s (8 clients)', cm.rate.toFixed(0), '>= 2000']);
    rows.push(['  server CPU per ConfigMap create (main thread)', `${cm.cpuMs.toFixed(3)} ms (${cm.mainMs.toFixed(3)} ms)`, '']);

    progress('watch latency');
    await client.request('POST', '/api/v1/namespaces', { metadata: { name: 'watch-bench' } });
    // Watches hold their connection: they get their own agent, or they would starve the writers.
    const watchClient = adminClient(sb.url, join(sb.dataDir, 'kubeconfig'), 200);
    const lat = await watchLatency(client, watchClient, 100, 200);
    watchClient.agent.destroy();
    rows.push(['watch delivery p50 (100 watchers)', `${percentile(lat, 50).toFixed(2)} ms`, '']);
    rows.push(['watch delivery p99 (100 watchers)', `${percentile(lat, 99).toFixed(2)} ms`, '< 10 ms']);
    rows.push(['watch events delivered', `${lat.length} of ${100 * 200}`, '']);

    progress('pods');
    const namespaces = 50;
    for (let n = 0; n < namespaces; n++) await client.request('POST', '/api/v1/namespaces', { metadata: { name: `pods-${n}` } });
    const pods = await measuredCreates(
      sb.child.pid!,
      () =>
        createMany(client, POD_COUNT, 8, (i) => {
          const ns = `pods-${i % namespaces}`;
          return [`/api/v1/namespaces/${ns}/pods`, pod(`pod-${i}`, ns)];
        }),
      POD_COUNT,
    );
    rows.push([`Pod creates/s (8 clients, ${POD_COUNT} pods)`, pods.rate.toFixed(0), '>= 2000']);
    rows.push(['  server CPU per Pod create (main thread)', `${pods.cpuMs.toFixed(3)} ms (${pods.mainMs.toFixed(3)} ms)`, '']);
    await new Promise((r) => setTimeout(r, 2000));
    if (global.gc) global.gc();
    rows.push([`RSS holding ${POD_COUNT} pods`, `${rssMb(sb.child.pid!).toFixed(0)} MB`, '< 800 MB']);
    const listStart = performance.now();
    const list = await client.request('GET', '/api/v1/pods?limit=500');
    rows.push(['first page of 500 pods (all namespaces)', `${(performance.now() - listStart).toFixed(1)} ms (${list.status})`, '']);
  } finally {
    client.agent.destroy();
    await sb.stop();
  }
  console.log(table(rows));
  console.log(`load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${cpus().length} CPUs)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
