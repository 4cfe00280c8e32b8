// Profiling aid for the cold list of a big collection (not part of `npm run bench`): N pods in a
// sandbox child process, then the app's informer lists them as it does at connect (pages of 500
// then 5000, or a streaming watch-list). Prints, per pass, the sandbox's CPU, this process's CPU
// (the informer's parsing and caching: what the web backend spends) and the wall time. CPU times
// hold on a machine others are loading. Environment:
//   N=50000       pods
//   PASSES=3      lists per mode
//   MODES=pages,watchlist
//   PROF_DIR=/tmp/prof   run the sandbox with --cpu-prof (V8 profile written on exit)
import { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { adminClient, cpuSeconds, startSandboxProcess } from './lib.js';
import { Informer } from '../src/core/watch/informer.js';

const N = Number(process.env.N ?? 50_000);
const PASSES = Number(process.env.PASSES ?? 3);
const MODES = (process.env.MODES ?? 'pages,watchlist').split(',');
const profDir = process.env.PROF_DIR;

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess([], profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  const kubeconfig = join(sandbox.dataDir, 'kubeconfig');
  const admin = adminClient(sandbox.url, kubeconfig);
  await admin.request('POST', '/api/v1/namespaces', { metadata: { name: 'lp' } });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < N; i = next++) {
        const body = { metadata: { name: `p-${i}`, namespace: 'lp', labels: { app: 'bench', shard: String(i % 10) } }, spec: { schedulerName: 'none', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } };
        const res = await admin.request('POST', '/api/v1/namespaces/lp/pods', body);
        if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body.slice(0, 200)}`);
      }
    }),
  );
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const pid = sandbox.child.pid!;
  // What the sandbox spends with nobody listing (its controllers catching up on N new pods).
  for (let settled = false; !settled; ) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 3000));
    const perSecond = (cpuSeconds(pid) - before) / 3;
    console.log(`sandbox at rest: ${(perSecond * 1000).toFixed(0)} ms CPU per second`);
    settled = perSecond < 0.05;
  }
  for (const mode of MODES) {
    for (let pass = 0; pass < PASSES; pass++) {
      const sandboxBefore = cpuSeconds(pid);
      const selfBefore = process.cpuUsage();
      const wallBefore = performance.now();
      const informer = new Informer(config, async () => ({ path: '/api/v1/pods' }), { minBackoffMs: 1000, maxBackoffMs: 30_000, firstPage: 500, page: 5000, ...(mode === 'watchlist' ? { watchList: true } : {}) });
      let firstAt = 0;
      await new Promise<void>((resolve) => {
        informer.subscribers.add({
          markReset: () => (firstAt ||= performance.now()),
          upsert: () => undefined,
          remove: () => undefined,
          setError: (e: string | undefined) => e && console.error(e),
          touch: () => undefined,
        } as never);
        informer.start();
        const poll = setInterval(() => informer.synced && (clearInterval(poll), resolve()), 5);
      });
      const wall = performance.now() - wallBefore;
      const self = process.cpuUsage(selfBefore);
      const sandboxCpu = cpuSeconds(pid) - sandboxBefore;
      informer.stop();
      console.log(`${mode} pass ${pass + 1}: ${informer.cache.size} objects; first ${(firstAt - wallBefore).toFixed(0)} ms, synced ${wall.toFixed(0)} ms wall; sandbox CPU ${(sandboxCpu * 1000).toFixed(0)} ms; informer CPU ${((self.user + self.system) / 1000).toFixed(0)} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await sandbox.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
