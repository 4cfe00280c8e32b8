// The Sandbox page in Chromium against the app's own sandbox: image catalog, a snapshot saved and
// restored by name (the pods table follows the restored cluster by itself), a node added, stopped
// and restarted; checked with the real kubectl.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildUi, kubectl, launchBrowser, startWebApp, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  await buildUi();
  app = await startWebApp({ HOME: tmpdir(), KUBECONFIG: '' });
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
  // Restore, reset and remove ask first: say yes.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(app.url);
  await page.locator('[data-cluster-id="sandbox"]').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const pods = async () => (await kubectl(app.sandboxKubeconfig, 'get', 'pods', '-o', 'name')).trim();

describe('sandbox controls', () => {
  it('shows the running sandbox, its nodes and its image catalog', async () => {
    await page.locator('[data-frame="sandbox"]').click();
    const sandbox = page.locator('.frame-page[data-page="sandbox"]');
    await sandbox.locator('[data-sandbox-state="running"]').waitFor();
    expect(await sandbox.getByRole('status').first().innerText()).toContain('The sandbox is running.');
    await sandbox.locator('tr[data-node="kubedesk-control-plane"] td[data-ready="True"]').waitFor({ timeout: 20_000 });
    expect(await sandbox.locator('tr[data-image="docker.io/library/nginx"]').innerText()).toContain('80');
  });

  it('saves a snapshot and restores it; the pods table follows the restored cluster', async () => {
    await kubectl(app.sandboxKubeconfig, 'run', 'keep-me', '--image=nginx', '--restart=Never');
    const sandbox = page.locator('.frame-page[data-page="sandbox"]');
    await sandbox.getByLabel('Snapshot name').fill('before-exercise');
    await sandbox.getByRole('button', { name: 'Save snapshot' }).click();
    const row = sandbox.locator('tr[data-snapshot="before-exercise"]');
    await row.waitFor({ timeout: 60_000 });
    expect(await row.locator('td').nth(2).innerText()).toMatch(/\d+(\.\d)? (KiB|MiB)/);
    await sandbox.getByText('Snapshot "before-exercise" saved.').waitFor();
    await sandbox.locator('[data-sandbox-state="running"]').waitFor({ timeout: 60_000 });

    await kubectl(app.sandboxKubeconfig, 'delete', 'pod', 'keep-me', '--grace-period=0', '--force');
    await kubectl(app.sandboxKubeconfig, 'run', 'after-snapshot', '--image=nginx', '--restart=Never');
    await row.getByRole('button', { name: 'Restore' }).click();
    await sandbox.getByText('Snapshot "before-exercise" restored.').waitFor({ timeout: 60_000 });
    expect(await pods()).toBe('pod/keep-me');

    // The page closes when a view is chosen; the table reconnects to the restored cluster by itself.
    await page.locator('.frame-page-close').click();
    const table = page.locator('table[data-kind="pods"]');
    await table.locator('tr[data-name="keep-me"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('table[data-kind="pods"] tr[data-name="after-snapshot"]'), undefined, { timeout: 60_000 });
  });

  it('adds a node, stops it and restarts it', async () => {
    await page.locator('[data-frame="sandbox"]').click();
    const sandbox = page.locator('.frame-page[data-page="sandbox"]');
    await sandbox.locator('[data-action="add-node"]').click();
    const worker = sandbox.locator('tr[data-node="kubedesk-worker"]');
    await worker.locator('td[data-ready="True"]').waitFor({ timeout: 30_000 });
    expect((await kubectl(app.sandboxKubeconfig, 'get', 'nodes', '-o', 'name')).trim().split('\n')).toEqual(['node/kubedesk-control-plane', 'node/kubedesk-worker']);
    await worker.getByRole('button', { name: 'Stop' }).click();
    await worker.locator('td[data-kubelet="stopped"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-sandbox-controls.png') });
    await worker.getByRole('button', { name: 'Restart' }).click();
    await worker.locator('td[data-kubelet="running"]').waitFor({ timeout: 20_000 });
    await worker.getByRole('button', { name: 'Remove' }).click();
    await worker.waitFor({ state: 'detached', timeout: 30_000 });
  });
});
