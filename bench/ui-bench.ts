// UI benchmark: 50,000 pods in the sandbox, the app in web mode in Debian's Chromium. Prints the
// time from opening the page to the first rows and to the complete table, the time to sort and to
// filter (in the page, from the event to the next frame), renderer heap and total memory after a
// period of churn, and growth over a period at rest.
//
// Total memory is the PSS (proportional set size, /proc/<pid>/smaps_rollup) of the app's Chromium
// processes plus the RSS of the web-mode backend (built, run by plain node as `npm run web` does).
// The app's Chromium processes are the browser, zygotes, GPU and utility processes and the renderer
// of our page. Renderers that render no page of ours are printed apart and not counted: Chromium's
// own tab-strip UI (--top-chrome-webui; the Electron app has no tab strip, and a user's browser
// runs one anyway) and spare renderers Chromium keeps ready for the next tab. Our page's renderer
// is the biggest of the others (the only one holding a page; the persistent context's first tab is
// the one the bench uses, so no blank tab is left open).
// Chromium's processes share most of their pages; a sum of their RSS counts them once per process
// (printed too, for comparison). PSS splits a shared page among every process on the machine
// mapping it, so other Chromium instances running meanwhile lower it: compare figures from quiet
// runs. The backend's RSS is kept whole (its PSS, lower since it shares node's pages with the
// sandbox, is printed apart). The sandbox, which stands for the cluster, is printed apart.
//
// The pods are created straight through the API with 8 concurrent clients, in namespace
// `ui-bench`, with a schedulerName no scheduler serves: they stay Pending, so this measures the
// app, not 3 simulated nodes failing to run 50,000 containers.
//
// "Page open" times are cold: the backend lists the pods from the sandbox then (the sandbox's list
// speed dominates); the reload times are warm: the core's informer already holds them.
//
// UI_BENCH_TRACE=1 prints the page's marks and the backend's list/flush timings (with
// KUBEDESK_WATCH_TRACE=1). UI_BENCH_PROFILE=DIR writes CPU profiles there: the page's during the
// cold load (page-cold.cpuprofile) and the backend's whole run (node's --cpu-prof). UI_BENCH_PODS (default 50000), UI_BENCH_CHURN_MINUTES (default 2; the figure is 10),
// UI_BENCH_REST_SECONDS (default 60), UI_BENCH_CHURN_PER_SECOND (default 100 updates + 20 deletes
// and 20 creates a second).
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { adminClient, rssMb, table, ROOT } from './lib.js';
import { buildUi, WEB_MAIN } from '../test/e2e/web-app.js';

const PODS = Number(process.env.UI_BENCH_PODS ?? 50_000);
const CHURN_MINUTES = Number(process.env.UI_BENCH_CHURN_MINUTES ?? 2);
const REST_SECONDS = Number(process.env.UI_BENCH_REST_SECONDS ?? 60);
const CHURN_PER_SECOND = Number(process.env.UI_BENCH_CHURN_PER_SECOND ?? 100);
const NS = 'ui-bench';
const PROFILE_DIR = process.env.UI_BENCH_PROFILE;

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `bench-${String(i).padStart(5, '0')}`, namespace: NS, labels: { app: 'bench', shard: String(i % 10) } },
  spec: { schedulerName: 'ui-bench-unscheduled', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

async function startBackend(dataDir: string) {
  // As `npm run web` runs it: the build, with plain node (buildUi() built it).
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, WEB_MAIN, '--port', '0', '--data-dir', dataDir, '--no-open'], { cwd: ROOT, env: { ...process.env, CI: '1', KUBECONFIG: join(dataDir, 'no-kubeconfig') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (process.env.UI_BENCH_TRACE ? process.stderr.write(d) : (out += d.toString())));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${out}`)));
  });
  return { child, url };
}

type ChromiumRole = 'browser' | 'zygote' | 'gpu' | 'utility' | 'page renderer' | 'top-chrome WebUI renderer' | 'spare renderer' | 'other';
interface ChromiumProcess { pid: number; role: ChromiumRole; pss: number; rss: number }

/** Every process whose command line names this profile directory (Chromium's whole family), by role. */
async function chromiumProcesses(profile: string): Promise<ChromiumProcess[]> {
  const out: ChromiumProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes(profile)) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    const role: ChromiumRole = type === undefined ? 'browser' : type === 'zygote' ? 'zygote' : type === 'gpu-process' ? 'gpu' : type === 'utility' ? 'utility'
      : type === 'renderer' ? (cmd.includes('--top-chrome-webui') ? 'top-chrome WebUI renderer' : 'spare renderer') : 'other';
    const pid = Number(entry);
    out.push({ pid, role, pss: await sumPss([pid]), rss: (() => { try { return rssMb(pid); } catch { return 0; } })() });
  }
  // The page's renderer: the biggest renderer that is not Chromium's own UI.
  const renderers = out.filter((p) => p.role === 'spare renderer').sort((a, b) => b.pss - a.pss);
  if (renderers[0]) renderers[0].role = 'page renderer';
  return out;
}

const EXCLUDED: ChromiumRole[] = ['top-chrome WebUI renderer', 'spare renderer'];

async function childPids(parent: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (Number(stat.split(') ')[1]?.split(' ')[1]) === parent) out.push(Number(entry));
  }
  return out;
}

const sumRss = (pids: number[]) => pids.reduce((n, pid) => n + (() => { try { return rssMb(pid); } catch { return 0; } })(), 0);

/**
 * Proportional set size: Chromium's processes share most of their pages (libraries, shared
 * memory), which a sum of RSS counts once per process; PSS splits each shared page among its users.
 */
async function sumPss(pids: number[]): Promise<number> {
  let kb = 0;
  for (const pid of pids) {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    kb += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  }
  return kb / 1024;
}

/** Runs `action` in the page and answers the milliseconds until the frame after it. */
async function timeInPage(page: Page, action: 'sort' | 'filter', arg: string): Promise<number> {
  // A string, not a function: tsx would wrap a function's inner arrows in a helper the page lacks.
  const act =
    action === 'sort'
      ? `document.querySelector('table.resources th[data-column=${JSON.stringify(arg)}]').click();`
      : `const input = document.querySelector('input.filter');
         Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(arg)});
         input.dispatchEvent(new Event('input', { bubbles: true }));`;
  return page.evaluate(`(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await frame();
    const start = performance.now();
    ${act}
    await frame();
    return performance.now() - start;
  })()`);
}

async function main(): Promise<void> {
  await buildUi();
  const dataDir = await mkdtemp(join(tmpdir(), 'kubedesk-uibench-'));
  const profile = await mkdtemp(join(tmpdir(), 'kubedesk-uibench-chromium-'));
  const backend = await startBackend(dataDir);
  const kubeconfig = join(dataDir, 'sandbox', 'kubeconfig');
  // The sandbox starts in the background: its kubeconfig names its URL once it serves.
  let client: ReturnType<typeof adminClient> | undefined;
  for (let i = 0; i < 120 && !client; i++) {
    try {
      const text = await readFile(kubeconfig, 'utf8');
      const server = /server:\s*(https:\/\/\S+)/.exec(text)?.[1];
      if (server && (await adminClient(server, kubeconfig).request('GET', '/readyz')).status === 200) client = adminClient(server, kubeconfig);
    } catch {
      // not yet
    }
    if (!client) await new Promise((r) => setTimeout(r, 500));
  }
  if (!client) throw new Error('the sandbox did not start in 60 s');
  const admin = client;
  await admin.request('POST', '/api/v1/namespaces', { metadata: { name: NS } });
  // The table shows every namespace: the sandbox's own pods count too.
  const expected = PODS + ((JSON.parse((await admin.request('GET', '/api/v1/pods')).body) as { items: unknown[] }).items.length);
  const base = new URL(admin.url);
  const patch = (path: string, body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request({ host: base.hostname, port: base.port, path, method: 'PATCH', agent: admin.agent, headers: { 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const createStart = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = next++; i < PODS; i = next++) {
      const res = await admin.request('POST', `/api/v1/namespaces/${NS}/pods`, pod(i));
      if (res.status !== 201) throw new Error(`creating pod ${i} failed: ${res.status} ${res.body.slice(0, 200)}`);
    }
  }));
  const createSeconds = (performance.now() - createStart) / 1000;

  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 760 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  // launchPersistentContext opened a tab already: a second one would leave a blank renderer running.
  const page = browser.pages()[0] ?? (await browser.newPage());
  if (process.env.UI_BENCH_TRACE) await page.addInitScript('globalThis.KUBEDESK_TRACE = true');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20;
  };
  if (PROFILE_DIR) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const start = performance.now();
  await page.goto(backend.url);
  await page.locator('table[data-kind="pods"] tbody tr[data-uid]').first().waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-ui-bench-failed.png') });
    throw error;
  });
  const firstRows = performance.now() - start;
  const pageReady = Number(await page.evaluate('performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd'));
  await page.waitForFunction((n) => Number(document.querySelector('.count')?.getAttribute('data-count') ?? 0) >= n, expected, { timeout: 300_000, polling: 20 });
  const complete = performance.now() - start;
  if (PROFILE_DIR) await writeFile(join(PROFILE_DIR, 'page-cold.cpuprofile'), JSON.stringify((await cdp.send('Profiler.stop')).profile));
  const shown = await page.locator('.count').getAttribute('data-count');
  const marks = (await page.evaluate('performance.getEntriesByType("mark").map((m) => m.name.replace("kubedesk:", "") + " " + m.startTime.toFixed(0))')) as string[];

  // Again with the core's informer already holding the pods (a second window, a reload, or the
  // overview having watched them): what the UI itself costs, without the cluster's list.
  const warmStart = performance.now();
  await page.reload();
  await page.locator('table[data-kind="pods"] tbody tr[data-uid]').first().waitFor({ timeout: 120_000 });
  const warmFirstRows = performance.now() - warmStart;
  await page.waitForFunction((n) => Number(document.querySelector('.count')?.getAttribute('data-count') ?? 0) >= n, expected, { timeout: 300_000, polling: 20 });
  const warmComplete = performance.now() - warmStart;

  const sortName = await timeInPage(page, 'sort', 'NAME');
  const sortNameDesc = await timeInPage(page, 'sort', 'NAME');
  const sortAge = await timeInPage(page, 'sort', 'AGE');
  const filter = await timeInPage(page, 'filter', 'bench-0499');
  const filtered = await page.locator('.count').getAttribute('data-count', { timeout: 5000 }).catch(() => 'no');
  const unfilter = await timeInPage(page, 'filter', '');

  const backendPid = backend.child.pid!;
  const sandboxPids = await childPids(backendPid);
  const measure = async () => {
    const heap = await heapMb();
    const procs = await chromiumProcesses(profile);
    const byRole = new Map<ChromiumRole, number>();
    for (const p of procs) byRole.set(p.role, (byRole.get(p.role) ?? 0) + p.pss);
    const counted = procs.filter((p) => !EXCLUDED.includes(p.role));
    const sum = (list: ChromiumProcess[], k: 'pss' | 'rss') => list.reduce((n, p) => n + p[k], 0);
    return {
      heap, byRole,
      renderer: byRole.get('page renderer') ?? 0,
      chromium: sum(counted, 'pss'), chromiumRss: sum(counted, 'rss'), excluded: sum(procs, 'pss') - sum(counted, 'pss'),
      backend: sumRss([backendPid]), backendPss: await sumPss([backendPid]), sandbox: sumRss(sandboxPids),
    };
  };
  const loaded = await measure();

  // Churn: label updates, deletes and creates, every second.
  let created = PODS;
  let deleted = 0;
  let updates = 0;
  const churnEnd = Date.now() + CHURN_MINUTES * 60_000;
  while (Date.now() < churnEnd) {
    const tick = Date.now();
    const jobs: Promise<unknown>[] = [];
    for (let k = 0; k < CHURN_PER_SECOND; k++) {
      const i = Math.floor(Math.random() * created);
      jobs.push(patch(`/api/v1/namespaces/${NS}/pods/${pod(i).metadata.name}`, { metadata: { labels: { tick: String(tick) } } }).then((status) => status === 200 && updates++));
    }
    for (let k = 0; k < CHURN_PER_SECOND / 5; k++) {
      jobs.push(admin.request('DELETE', `/api/v1/namespaces/${NS}/pods/${pod(deleted++).metadata.name}`));
      jobs.push(admin.request('POST', `/api/v1/namespaces/${NS}/pods`, pod(created++)));
    }
    await Promise.all(jobs);
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const afterChurn = await measure();
  await new Promise((r) => setTimeout(r, REST_SECONDS * 1000));
  const afterRest = await measure();
  const shownAtEnd = await page.locator('.count').getAttribute('data-count');

  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const total = (m: typeof loaded) => m.chromium + m.backend;
  console.log(`${PODS} pods created in ${createSeconds.toFixed(1)} s (${(PODS / createSeconds).toFixed(0)}/s); churn ${CHURN_MINUTES} min (${updates} label updates, ${deleted} deletes, ${created - PODS} creates), then ${REST_SECONDS} s at rest`);
  console.log(`in the page (ms since navigation): ${marks.join(', ')}`);
  console.log(table([
    ['measure', 'value', 'target'],
    ['page open -> first rows', ms(firstRows), '< 1000 ms'],
    ['  of which the page itself (DOMContentLoaded)', ms(pageReady), ''],
    [`page open -> complete table (count shown ${shown})`, ms(complete), '< 3000 ms'],
    ['reload, pods already in the core: first rows / complete', `${ms(warmFirstRows)} / ${ms(warmComplete)}`, '< 1000 / < 3000 ms'],
    ['sort by NAME (then reversed)', `${ms(sortName)} / ${ms(sortNameDesc)}`, '< 100 ms'],
    ['sort by AGE', ms(sortAge), '< 100 ms'],
    [`filter "bench-0499" (${filtered} rows) / clear`, `${ms(filter)} / ${ms(unfilter)}`, '< 100 ms'],
    ['renderer JS heap: loaded / after churn / after rest', `${mb(loaded.heap)} / ${mb(afterChurn.heap)} / ${mb(afterRest.heap)}`, ''],
    ['renderer (our page\'s renderer PSS): loaded / after churn / after rest', `${mb(loaded.renderer)} / ${mb(afterChurn.renderer)} / ${mb(afterRest.renderer)}`, ''],
    ...(['browser', 'zygote', 'gpu', 'utility', 'other'] as ChromiumRole[]).map((role) => [`  Chromium ${role} PSS`, `${mb(loaded.byRole.get(role) ?? 0)} / ${mb(afterChurn.byRole.get(role) ?? 0)} / ${mb(afterRest.byRole.get(role) ?? 0)}`, ''] as [string, string, string]),
    ['Chromium PSS (the app\'s processes): loaded / after churn / after rest', `${mb(loaded.chromium)} / ${mb(afterChurn.chromium)} / ${mb(afterRest.chromium)}`, ''],
    ['(their RSS summed, shared pages counted per process)', `${mb(loaded.chromiumRss)} / ${mb(afterChurn.chromiumRss)} / ${mb(afterRest.chromiumRss)}`, ''],
    ...EXCLUDED.map((role) => [`not counted: Chromium's ${role} PSS (no page of ours)`, `${mb(loaded.byRole.get(role) ?? 0)} / ${mb(afterChurn.byRole.get(role) ?? 0)} / ${mb(afterRest.byRole.get(role) ?? 0)}`, ''] as [string, string, string]),
    ['backend RSS: loaded / after churn / after rest', `${mb(loaded.backend)} / ${mb(afterChurn.backend)} / ${mb(afterRest.backend)}`, ''],
    ['(backend PSS)', `${mb(loaded.backendPss)} / ${mb(afterChurn.backendPss)} / ${mb(afterRest.backendPss)}`, ''],
    ['total (the app\'s Chromium PSS + backend RSS) after churn', mb(total(afterChurn)), '< 600 MB'],
    ['(with the renderers not counted)', mb(total(afterChurn) + afterChurn.excluded), ''],
    [`growth at rest (${REST_SECONDS} s): heap / total`, `${(afterRest.heap - afterChurn.heap).toFixed(1)} MB / ${(total(afterRest) - total(afterChurn)).toFixed(0)} MB`, '~0'],
    ['sandbox RSS (the cluster, not counted)', mb(afterRest.sandbox), ''],
    ['rows shown at the end', String(shownAtEnd), String(expected)],
  ]));
  await browser.close();
  backend.child.kill('SIGTERM');
  await new Promise((r) => backend.child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
