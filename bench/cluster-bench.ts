// Cluster benchmark: how long 10,000 pods of 100 Deployments take to all be Running on 100
// simulated nodes, then what a sandbox holding 1,000 running pods costs at rest (CPU over 30 s,
// resident memory). Prints figures next to their targets and never fails on them.
// BENCH_CLUSTER_PODS (default 10000) and BENCH_REST_PODS (1000) shrink the runs;
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each sandbox there (open it in Chrome DevTools).
// Image pulls keep their simulated time: registry.k8s.io/pause:3.10 takes 308 ms (300 ms + 25 ms/MB)
// the first time the sandbox pulls it; the runtime keeps images sandbox-wide, so each other node's
// first pull ends at once, and later pods find it "already present on machine".
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { adminClient, cpuSeconds, rssMb, startSandboxProcess, table, type AdminClient, type BenchSandbox } from './lib.js';

const TOTAL_PODS = Number(process.env.BENCH_CLUSTER_PODS ?? 10_000);
const REST_PODS = Number(process.env.BENCH_REST_PODS ?? 1_000);
const NODES = 100;
const REPLICAS = 100;
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 30);
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** CPU seconds of the sandbox's main thread: the one that caps throughput (GC helpers and the WAL's fsync run beside it). */
function mainThreadSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The store's revision: each write makes one, so its growth counts the writes. */
async function storeRevision(client: AdminClient): Promise<number> {
  const res = await client.request('GET', '/api/v1/namespaces?limit=1');
  return Number((JSON.parse(res.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
}

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }], terminationGracePeriodSeconds: 1 },
      },
    },
  };
}

// Follows pods through one watch (a list every second would cost the sandbox more than it measures)
// and resolves when `target` pods are Running at the same time.
function waitRunning(client: AdminClient, ns: string, target: number, onProgress: (running: number, seen: number) => void): Promise<void> {
  const base = new URL(client.url);
  const phases = new Map<string, string>();
  let running = 0;
  return new Promise((resolvePromise, reject) => {
    const timer = setInterval(() => onProgress(running, phases.size), 5000);
    const req = request({ host: base.hostname, port: base.port, path: `/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=0`, agent: client.agent }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const event = JSON.parse(line) as { type: string; object: { metadata?: { name?: string }; status?: { phase?: string } } };
          const name = event.object.metadata?.name;
          if (!name) continue;
          const before = phases.get(name);
          const after = event.type === 'DELETED' ? undefined : (event.object.status?.phase ?? 'Pending');
          if (before === 'Running') running--;
          if (after === 'Running') running++;
          if (after === undefined) phases.delete(name);
          else phases.set(name, after);
        }
        if (running >= target) {
          clearInterval(timer);
          req.destroy();
          resolvePromise();
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error) => {
      clearInterval(timer);
      if (running < target) reject(error);
    });
    req.end();
  });
}

async function startCluster(label: string): Promise<{ sb: BenchSandbox; client: AdminClient }> {
  const profDir = process.env.BENCH_CPU_PROF;
  // One directory per sandbox: each thread (tsx's loader runs in a worker) writes its own profile.
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', join(profDir, label)] : [];
  const sb = await startSandboxProcess(['--nodes', String(NODES)], nodeArgs);
  // Watches hold their socket; 8 more leave room for the creates.
  return { sb, client: adminClient(sb.url, join(sb.dataDir, 'kubeconfig'), 16) };
}

async function createDeployments(client: AdminClient, ns: string, pods: number): Promise<void> {
  const res = await client.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  if (res.status !== 201) throw new Error(`creating namespace ${ns} failed (${res.status}): ${res.body.slice(0, 200)}`);
  const count = Math.ceil(pods / REPLICAS);
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const replicas = Math.min(REPLICAS, pods - i * REPLICAS);
      const created = await client.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment(`bench-${i}`, replicas));
      if (created.status !== 201) throw new Error(`creating deployment bench-${i} failed (${created.status}): ${created.body.slice(0, 200)}`);
    }),
  );
}

async function nodesReady(client: AdminClient): Promise<void> {
  for (;;) {
    const res = await client.request('GET', '/api/v1/nodes');
    const items = (JSON.parse(res.body) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] }).items;
    const ready = items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= NODES) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function rollout(rows: [string, string, string][]): Promise<void> {
  const { sb, client } = await startCluster('rollout');
  try {
    await nodesReady(client);
    progress(`${NODES} nodes ready; creating ${TOTAL_PODS / REPLICAS} deployments of ${REPLICAS}`);
    const started = performance.now();
    const cpu0 = cpuSeconds(sb.child.pid!);
    const main0 = mainThreadSeconds(sb.child.pid!);
    const revision0 = await storeRevision(client);
    const done = waitRunning(client, 'rollout', TOTAL_PODS, (running, seen) =>
      progress(`${((performance.now() - started) / 1000).toFixed(0)} s: ${running} running of ${seen} pods seen (RSS ${rssMb(sb.child.pid!).toFixed(0)} MB)`),
    );
    await createDeployments(client, 'rollout', TOTAL_PODS);
    await done;
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(sb.child.pid!) - cpu0;
    const main = mainThreadSeconds(sb.child.pid!) - main0;
    // Writes still trailing the last Running pod (events) are not counted: this is a lower bound.
    const writes = (await storeRevision(client)) - revision0;
    rows.push([`${TOTAL_PODS} pods (${TOTAL_PODS / REPLICAS} deployments, ${NODES} nodes) all Running`, `${seconds.toFixed(1)} s`, '< 30 s (kwok allows 60 s)']);
    rows.push(['  throughput', `${(TOTAL_PODS / seconds).toFixed(0)} pods/s`, '']);
    rows.push(['  sandbox CPU during the rollout', `${cpu.toFixed(1)} s (${((cpu / seconds) * 100).toFixed(0)} % of a core)`, '']);
    // The figure to compare between runs on a shared machine: wall time follows what others run.
    rows.push(['  sandbox CPU per pod', `${((cpu * 1000) / TOTAL_PODS).toFixed(2)} ms`, '']);
    rows.push(['  sandbox main thread CPU per pod', `${((main * 1000) / TOTAL_PODS).toFixed(2)} ms`, '']);
    rows.push(['  store writes per pod', (writes / TOTAL_PODS).toFixed(1), '']);
    rows.push(['  RSS after the rollout', `${rssMb(sb.child.pid!).toFixed(0)} MB`, '']);
  } finally {
    client.agent.destroy();
    await sb.stop();
  }
}

async function atRest(rows: [string, string, string][]): Promise<void> {
  const { sb, client } = await startCluster('rest');
  try {
    await nodesReady(client);
    progress(`rest: ${REST_PODS} pods`);
    const done = waitRunning(client, 'rest', REST_PODS, () => undefined);
    await createDeployments(client, 'rest', REST_PODS);
    await done;
    // The last status writes, events and image-pull tails take ~20 s on 2 cores: let them settle.
    await new Promise((r) => setTimeout(r, 30_000));
    progress(`rest: sampling CPU for ${REST_SECONDS} s`);
    const pid = sb.child.pid!;
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, REST_SECONDS * 1000));
    const share = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
    rows.push([`CPU at rest, ${REST_PODS} running pods, ${NODES} nodes (${REST_SECONDS} s)`, `${(share * 100).toFixed(1)} % of a core`, '< 5 %']);
    rows.push([`RSS at rest, ${REST_PODS} running pods`, `${rssMb(pid).toFixed(0)} MB`, '']);
  } finally {
    client.agent.destroy();
    await sb.stop();
  }
}

async function main(): Promise<void> {
  const rows: [string, string, string][] = [['measure', 'value', 'target']];
  if (process.env.BENCH_SKIP_ROLLOUT !== '1') await rollout(rows);
  if (process.env.BENCH_SKIP_REST !== '1') await atRest(rows);
  console.log(table(rows));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
