// Profiling aid for the cold list of a big collection (not part of `npm run bench`): N pods in a
// sandbox child process, then the app's watch service lists them as it does at connect and a
// subscriber serializes each batch as web mode's WebSocket does. Modes: pages-plain (pages of 500
// then 5000, each object serialized again for the socket: the app before the watch-list), pages
// (the cache's texts spliced into the message), stream (a streaming watch-list), stream-text (the
// same, batches of JSON texts as web mode has them). Prints, per pass, the sandbox's CPU, this process's CPU (what the web backend spends to
// list, cache and send) and wall times. CPU times hold on a machine others are loading. Environment:
//   N=50000       pods
//   PASSES=3      lists per mode
//   MODES=pages-plain,pages,stream,stream-text
//   PROF_DIR=/tmp/prof   run the sandbox with --cpu-prof (V8 profile written on exit)
import { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { adminClient, cpuSeconds, startSandboxProcess } from './lib.js';
import { WatchService } from '../src/core/watch/watch-service.js';
import { stringifyWithJsonTexts } from '../src/core/watch/raw-json.js';

const N = Number(process.env.N ?? 50_000);
const PASSES = Number(process.env.PASSES ?? 3);
const MODES = (process.env.MODES ?? 'pages-plain,pages,stream,stream-text').split(',');
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
      const service = new WatchService(() => config, { lingerMs: 0, watchList: mode.startsWith('stream'), jsonTextOnly: mode === 'stream-text' });
      let firstAt = 0;
      let bytes = 0;
      await new Promise<void>((resolve) => {
        // As web mode's WebSocket: each batch serialized as it is sent.
        service.subscribe('c', 'pods', (batch) => {
          firstAt ||= performance.now();
          bytes += (mode === 'pages-plain' ? JSON.stringify(batch) : stringifyWithJsonTexts(batch)).length;
          if (!batch.listing) resolve();
        });
      });
      const wall = performance.now() - wallBefore;
      const self = process.cpuUsage(selfBefore);
      const sandboxCpu = cpuSeconds(pid) - sandboxBefore;
      const objects = service.stats()[0]?.objects;
      service.dispose();
      console.log(`${mode} pass ${pass + 1}: ${objects} objects, ${(bytes / 2 ** 20).toFixed(0)} MB sent; first batch ${(firstAt - wallBefore).toFixed(0)} ms, last ${wall.toFixed(0)} ms wall; sandbox CPU ${(sandboxCpu * 1000).toFixed(0)} ms; backend CPU ${((self.user + self.system) / 1000).toFixed(0)} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await sandbox.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
