// E2E harness: the UI built as users get it, `web-main` started as `npm run web` starts it (its
// build, out/main/web-main.js, with plain node: call buildUi() first), and Debian's Chromium driven
// by playwright-core.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');
export const CHROMIUM = '/usr/bin/chromium';
/** What `npm run web` runs, built by buildUi(). */
export const WEB_MAIN = join(ROOT, 'out', 'main', 'web-main.js');

export async function buildUi(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT });
}

export interface WebApp {
  url: string;
  /** The web-mode backend's process. */
  pid: number;
  base: string;
  dataDir: string;
  sandboxKubeconfig: string;
  output(): string;
  stop(): Promise<void>;
}

/** `dataDir`: an earlier run's, to start again where it left (settings, sandbox); default a new one. */
export async function startWebApp(env: NodeJS.ProcessEnv = {}, dataDir?: string): Promise<WebApp> {
  dataDir ??= await mkdtemp(join(tmpdir(), 'kubedesk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [WEB_MAIN, '--port', '0', '--data-dir', dataDir, '--no-open'], {
    cwd: ROOT,
    // A KUBECONFIG naming no file hides the machine's ~/.kube/config (kubectl's rules), so the sandbox
    // starts by itself as on a machine with no other cluster; a test adds clusters through `env`.
    env: { ...process.env, KUBECONFIG: join(dataDir, 'no-kubeconfig'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no URL in 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    base: url.slice(0, url.indexOf('/?')),
    dataDir,
    sandboxKubeconfig: join(dataDir, 'sandbox', 'kubeconfig'),
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export async function launchBrowser(locale = 'en-US'): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'kubedesk-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: { width: 1280, height: 760 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfig, ...args]);
  return stdout;
}

export interface SandboxPage {
  app: WebApp;
  browser: BrowserContext;
  page: Page;
}

/** Web mode with its default environment, and a Chromium page showing it once its sandbox is connected. */
export async function openSandboxPage(locale = 'en-US'): Promise<SandboxPage> {
  await buildUi();
  const app = await startWebApp();
  let browser: BrowserContext | undefined;
  try {
    browser = await launchBrowser(locale);
    const page = await browser.newPage();
    await page.goto(app.url);
    await selectSandbox(page);
    return { app, browser, page };
  } catch (error) {
    // The caller gets nothing to close: do not leave web mode or Chromium running.
    await browser?.close();
    await app.stop();
    throw error;
  }
}

/**
 * Selects the app's sandbox and waits until it is connected. Alone it starts with the app; beside
 * other clusters ($KUBECONFIG, ~/.kube/config) it waits stopped until selected, as a user would.
 */
export async function selectSandbox(page: Page, timeout = 90_000): Promise<void> {
  const entry = page.locator('[data-cluster-id="sandbox"]');
  await entry.waitFor({ timeout });
  if ((await entry.getAttribute('class'))?.split(' ').includes('active') !== true) await entry.click();
  // The state's dot, not its words: pages may run in French.
  await entry.locator('.dot.state-connected').waitFor({ timeout });
}

/** Polls `check` every 250 ms until it holds; throws naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
