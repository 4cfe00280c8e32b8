// The logs view in Chromium (web mode, the real app): a followed log at increasing rates, counting
// frames longer than 50 ms (requestAnimationFrame deltas) while it renders, then a million lines
// loaded, with the page's JS heap (CDP Performance.getMetrics) and the renderer's resident memory.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { buildUi, CHROMIUM, kubectl, selectSandbox, startWebApp } from '../test/e2e/web-app.js';
import { rssMb } from './lib.js';
import { SYNTHETIC_POD, SyntheticFront } from './logs-synthetic.js';

export interface RateStep {
  offered: number;
  received: number;
  /** Renderer CPU seconds per second: what the view costs, whatever else loads the machine. */
  rendererCpu: number;
  frames: number;
  longFrames: number;
  worstFrameMs: number;
}

export interface BrowserFigures {
  steps: RateStep[];
  sustained: number;
  /** The page before the logs view opens. */
  baseline: { heapMb: number; rendererRssMb: number };
  million: { lines: number; heapMb: number; rendererRssMb: number; backendRssMb: number; loadSeconds: number };
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`logs bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}


/** The page's renderer (the largest one: the others are spare or utility renderers): its pid and CPU seconds. */
async function renderer(browser: Browser): Promise<{ pid: number; cpuSeconds: number }> {
  const session = await browser.newBrowserCDPSession();
  const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
  await session.detach();
  const renderers = info.processInfo.filter((p) => p.type === 'renderer').sort((a, b) => rssMb(b.id) - rssMb(a.id));
  if (renderers.length === 0) throw new Error('logs bench: Chromium reports no renderer process');
  return { pid: renderers[0].id, cpuSeconds: renderers[0].cpuTime };
}

async function rendererRssMb(browser: Browser): Promise<number> {
  return rssMb((await renderer(browser)).pid);
}

/** The JS heap plus the ArrayBuffer backing stores (the packed buffer's typed arrays and chunks live there). */
async function heapMb(cdp: CDPSession): Promise<number> {
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return (usage.usedSize + (usage.backingStorageSize ?? 0)) / 2 ** 20;
}

const received = (page: Page) => page.locator('.log-count').getAttribute('data-received').then(Number);

async function measureStep(browser: Browser, page: Page, front: SyntheticFront, rate: number, seconds: number): Promise<RateStep> {
  front.rate = rate;
  // Let the pipeline reach the new rate before measuring.
  await new Promise((r) => setTimeout(r, 1500));
  const before = await received(page);
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const loop = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })()`);
  const started = performance.now();
  const cpuBefore = (await renderer(browser)).cpuSeconds;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuAfter = (await renderer(browser)).cpuSeconds;
  const frames = await page.evaluate<number[]>(`(() => {
    window.__stop = true;
    return window.__frames.slice(1);
  })()`);
  const elapsed = (performance.now() - started) / 1000;
  const after = await received(page);
  return { offered: rate, received: (after - before) / elapsed, rendererCpu: (cpuAfter - cpuBefore) / elapsed, frames: frames.length, longFrames: frames.filter((d) => d > 50).length, worstFrameMs: Math.max(0, ...frames) };
}

export async function browserBench(rates: number[], stepSeconds: number): Promise<BrowserFigures> {
  await buildUi();
  const front = new SyntheticFront();
  const frontUrl = await front.listen();
  const dir = join(process.env.TMPDIR ?? '/tmp', `kubedesk-logs-bench-${process.pid}.kubeconfig`);
  writeFileSync(
    dir,
    JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'bench', cluster: { server: frontUrl, 'insecure-skip-tls-verify': true } }], users: [{ name: 'bench', user: {} }], contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench', namespace: 'default' } }], 'current-context': 'bench' }),
  );
  const app = await startWebApp({ KUBECONFIG: dir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    page.on('pageerror', (error) => console.error(`logs bench: the page failed: ${error.message}`));
    await page.goto(app.url);
    await selectSandbox(page, 120_000);
    front.connect(new URL((await kubectl(app.sandboxKubeconfig, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}')).trim()).origin, app.sandboxKubeconfig);
    await kubectl(app.sandboxKubeconfig, 'run', SYNTHETIC_POD, '--image=busybox', '--restart=Never', '--', 'sleep', '86400');
    await kubectl(app.sandboxKubeconfig, 'wait', '--for=condition=Ready', `pod/${SYNTHETIC_POD}`, '--timeout=90s');
    await page.locator('[data-cluster-id="kubeconfig:bench"]').click();
    await page
      .locator('[data-cluster-id="kubeconfig:bench"]')
      .getByText('connected', { exact: true })
      .waitFor({ timeout: 60_000 })
      .catch(async (error: unknown) => {
        const why = await page.locator('[data-cluster-id="kubeconfig:bench"]').getAttribute('title');
        throw new Error(`the bench cluster did not connect (${why ?? ''}): ${String(error)}`);
      });
    await page.locator('button[data-kind="pods"]').click();
    await page.locator(`table[data-kind="pods"] tr[data-name="${SYNTHETIC_POD}"]`).click();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const baseline = { heapMb: await heapMb(cdp), rendererRssMb: await rendererRssMb(browser) };
    await page.locator('[data-action="logs"]').click();
    await page.locator('.log-count').waitFor();

    const steps: RateStep[] = [];
    for (const rate of rates) steps.push(await measureStep(browser, page, front, rate, stepSeconds));
    front.rate = 0;
    // Smooth: under 1% of frames over 50 ms, and the view keeps up with what is offered.
    const sustained = Math.max(0, ...steps.filter((s) => s.longFrames <= Math.max(1, s.frames * 0.01) && s.received >= s.offered * 0.95).map((s) => s.offered));

    // A million lines: what is left to reach it, sent as fast as the pipeline takes them.
    const loadStart = performance.now();
    front.sendBurst(Math.max(0, 1_000_000 - (await received(page))));
    await until('a million lines in the view', async () => (await received(page)) >= 1_000_000, 600_000);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await heapMb(cdp);
    const lines = Number(await page.locator('.log-count').getAttribute('data-count'));
    // The web backend: the process the harness started (plain node running the build).
    const pid = app.pid;
    return {
      steps,
      sustained,
      baseline,
      million: { lines, heapMb: heap, rendererRssMb: await rendererRssMb(browser), backendRssMb: pid ? rssMb(pid) : NaN, loadSeconds },
    };
  } finally {
    await browser.close();
    await app.stop();
    front.close();
    rmSync(dir, { force: true });
  }
}
