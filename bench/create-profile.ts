// Profiling aid for the API create path (not part of `npm run bench`): 8 keep-alive HTTPS clients
// create N ConfigMaps and/or Pods in a sandbox child process, and the sandbox's CPU per create is
// printed, whole process and main thread (the one that caps throughput), read from /proc so that
// it holds on a machine others are loading. Environment:
//   N=8000 KINDS=cm,pod          what to create
//   PROF_DIR=/tmp/prof           run the sandbox with --cpu-prof (V8 profile written on exit)
//   PERF=/tmp/perf               `perf record -g` the sandbox during each phase (<PERF>-<kind>.data);
//                                the sandbox then runs with --perf-basic-prof-only-functions
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminClient, cpuSeconds, startSandboxProcess, type AdminClient } from './lib.js';

function mainThreadMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function createMany(client: AdminClient, count: number, make: (i: number) => [string, unknown]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const [path, body] = make(i);
        const res = await client.request('POST', path, body);
        if (res.status !== 201) throw new Error(`create ${path} failed (${res.status}): ${res.body.slice(0, 300)}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const count = Number(process.env.N ?? 8000);
const profDir = process.env.PROF_DIR;
const perfOut = process.env.PERF;
const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : perfOut ? ['--perf-basic-prof-only-functions', '--interpreted-frames-native-stack'] : [];
const sb = await startSandboxProcess(['--nodes', '3'], nodeArgs);
const pid = sb.child.pid!;
const client = adminClient(sb.url, join(sb.dataDir, 'kubeconfig'), 8);
try {
  await new Promise((r) => setTimeout(r, 1500));
  await client.request('POST', '/api/v1/namespaces', { metadata: { name: 'cb' } });
  for (let n = 0; n < 10; n++) await client.request('POST', '/api/v1/namespaces', { metadata: { name: `pods-${n}` } });
  await createMany(client, 500, (i) => ['/api/v1/namespaces/cb/configmaps', { metadata: { name: `warm-${i}` }, data: { i: String(i) } }]);
  for (const kind of (process.env.KINDS ?? 'cm,pod').split(',')) {
    const perf = perfOut ? spawn('perf', ['record', '-F', '1999', '-g', '-p', String(pid), '-o', `${perfOut}-${kind}.data`], { stdio: 'ignore' }) : undefined;
    if (perf) await new Promise((r) => setTimeout(r, 500));
    const cpu0 = cpuSeconds(pid);
    const main0 = mainThreadMs(pid);
    const client0 = process.cpuUsage();
    const rate = await createMany(client, count, (i) =>
      kind === 'cm'
        ? ['/api/v1/namespaces/cb/configmaps', { metadata: { name: `cm-${i}` }, data: { i: String(i) } }]
        : [
            `/api/v1/namespaces/pods-${i % 10}/pods`,
            {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
              spec: { schedulerName: 'bench-unscheduled', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
            },
          ],
    );
    // Let the watchers and controllers finish reacting: their CPU belongs to these creates.
    await new Promise((r) => setTimeout(r, 300));
    const server = ((cpuSeconds(pid) - cpu0) * 1000) / count;
    const main = (mainThreadMs(pid) - main0) / count;
    const used = process.cpuUsage(client0);
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((r) => perf.once('exit', r));
    }
    console.log(
      `${kind}: ${rate.toFixed(0)}/s wall, server ${server.toFixed(3)} CPU ms/create (main thread ${main.toFixed(3)}), client ${((used.user + used.system) / 1000 / count).toFixed(3)} CPU ms/create; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
    );
  }
} finally {
  client.agent.destroy();
  await sb.stop();
}
