// Where the app opens, in Chromium against web mode restarted on the same --data-dir: alone, the
// sandbox starts with the app and is selected; beside a kubeconfig it waits, stopped, with kubectl's
// current-context selected, and starts when clicked. The last cluster, kind and namespace come back
// (and the overview) after a restart, and a kind or namespace that no longer exists falls back to pods in all namespaces.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildUi, launchBrowser, selectSandbox, startWebApp, until, type WebApp } from './web-app.js';

let home: string;
let kubeconfig: string;
let browser: BrowserContext;
let page: Page;
const apps: WebApp[] = [];

const entry = (id: string) => page.locator(`[data-cluster-id="${id}"]`);
const settingsOf = async (app: WebApp) => JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>;

async function open(env: NodeJS.ProcessEnv, dataDir?: string): Promise<WebApp> {
  const app = await startWebApp(env, dataDir);
  apps.push(app);
  await page.goto(app.url);
  return app;
}

async function stop(app: WebApp): Promise<void> {
  await page.goto('about:blank');
  await app.stop();
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-e2e-on-demand-'));
  kubeconfig = join(home, 'work-kubeconfig');
  // A real cluster elsewhere (here: one that answers nothing), current-context as kubectl would use it.
  await writeFile(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: work, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: me, user: { token: t } }]
contexts: [{ name: work, context: { cluster: work, user: me, namespace: team } }]
current-context: work
`);
  await buildUi();
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const app of apps) await app.stop();
  await rm(home, { recursive: true, force: true });
});

describe('the sandbox on demand and the last place', () => {
  it('alone: the sandbox starts with the app and is selected; kind and namespace come back after a restart', async () => {
    const env = { HOME: home, KUBECONFIG: '' };
    const first = await open(env);
    await entry('sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
    expect(await entry('sandbox').getAttribute('class')).toContain('active');
    await page.locator('button[data-kind="deployments"]').click();
    await page.locator('.ns-filter summary').click();
    await page.locator('.ns-option[data-namespace="kube-system"] input').check({ timeout: 30_000 });
    await page.locator('.ns-filter summary').click();
    await page.locator('table[data-kind="deployments"] tr[data-name="coredns"]').waitFor({ timeout: 30_000 });
    await until('the place to be saved', async () => {
      const s = await settingsOf(first);
      return s.lastClusterId === 'sandbox' && s.lastKind === 'deployments' && s.lastNamespace === 'kube-system';
    }, 15_000);
    await stop(first);

    const again = await open(env, first.dataDir);
    await entry('sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
    await page.locator('table[data-kind="deployments"] tr[data-name="coredns"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.ns-filter summary').getAttribute('data-namespaces')).toBe('kube-system');
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-restored-place.png') });
    await stop(again);

    // What was saved no longer exists: pods, in every namespace, rather than an empty table.
    const settings = await settingsOf(again);
    await writeFile(join(again.dataDir, 'settings.json'), JSON.stringify({ ...settings, lastKind: 'gadgets.example.com', lastNamespace: 'no-such-namespace' }));
    const third = await open(env, again.dataDir);
    await entry('sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
    await page.locator('table[data-kind="pods"]').waitFor({ timeout: 30_000 });
    await until('the namespace filter to fall back to all namespaces', async () => (await page.locator('.ns-filter summary').getAttribute('data-namespaces')) === '', 30_000);
    await stop(third);
  });

  it('beside a kubeconfig: the sandbox waits stopped, the current-context is selected, a click starts the sandbox, and a restart selects it again', async () => {
    const env = { HOME: home, KUBECONFIG: kubeconfig };
    const first = await open(env);
    await entry('kubeconfig:work').getByText('unreachable', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await entry('kubeconfig:work').getAttribute('class')).toContain('active');
    await entry('sandbox').getByText('stopped', { exact: true }).waitFor({ timeout: 10_000 });
    // Still stopped a while later: nothing started it behind the user's back.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await entry('sandbox').locator('.cluster-state').innerText()).toBe('stopped');
    expect(first.output()).not.toMatch(/sandbox: /);
    expect(await entry('sandbox').locator('.cluster-reason').innerText()).toBe('Select it to start it.');
    await selectSandbox(page);
    await page.locator('table[data-kind="pods"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-view="overview"]').click();
    await until('the sandbox and its overview to be saved as the last place', async () => {
      const saved = await settingsOf(first);
      return saved.lastClusterId === 'sandbox' && saved.lastView === 'overview';
    }, 15_000);
    await stop(first);

    // The user left on the sandbox's overview: selecting it again on the next start starts it.
    await open(env, first.dataDir);
    await entry('sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
    expect(await entry('sandbox').getAttribute('class')).toContain('active');
    await page.locator('section.overview').waitFor({ timeout: 30_000 });

    // Stopped from its page while selected: the view says so and offers to start it again.
    await page.locator('[data-frame="sandbox"]').click();
    const sandboxPage = page.locator('.frame-page[data-page="sandbox"]');
    await sandboxPage.locator('[data-sandbox-state="running"]').waitFor();
    await sandboxPage.getByRole('button', { name: 'Stop', exact: true }).first().click();
    await sandboxPage.getByText('The sandbox is stopped. Start it here, or select it in the cluster list.').waitFor({ timeout: 60_000 });
    await page.locator('[data-frame="sandbox"]').click();
    await entry('sandbox').getByText('stopped', { exact: true }).waitFor({ timeout: 10_000 });
    await page.locator('[data-action="start-sandbox"]').click();
    await entry('sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
    await page.locator('section.overview').waitFor({ timeout: 30_000 });
  });
});
