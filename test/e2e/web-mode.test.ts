// Web mode end to end: the token guards every request, the page lists the sandbox, and objects
// created with kubectl appear live without a reload.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { buildUi, kubectl, launchBrowser, startWebApp, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
export const SCREENSHOT = join(tmpdir(), 'kubedesk-e2e-pods.png');

/** Ticks exactly these namespaces in the namespace filter (none: all namespaces). */
async function chooseNamespaces(...names: string[]): Promise<void> {
  await page.locator('.ns-filter summary').click();
  await page.locator('.ns-menu .ns-option').first().locator('input').check();
  for (const name of names) await page.locator(`.ns-option[data-namespace="${name}"] input`).check();
  await page.locator('.ns-filter summary').click();
}

beforeAll(async () => {
  await buildUi();
  app = await startWebApp();
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('web mode', () => {
  it('refuses HTTP and WebSocket requests without the token', async () => {
    expect((await fetch(`${app.base}/`)).status).toBe(401);
    expect((await fetch(`${app.base}/index.html?token=wrong`)).status).toBe(401);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${app.base.replace('http', 'ws')}/rpc`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(-1));
    });
    expect(refused).toBe(401);
  });

  it('lists the sandbox, shows its pods, and a pod created with kubectl appears live', async () => {
    await page.goto(app.url);
    const sandbox = page.locator('[data-cluster-id="sandbox"]');
    await sandbox.getByText('connected', { exact: true }).waitFor({ timeout: 60_000 });
    // The token moved to a cookie: it is no longer in the address bar.
    expect(page.url()).not.toContain('token=');
    const table = page.locator('table[data-kind="pods"]');
    await table.waitFor();
    expect(await table.locator('th.sortable').allInnerTexts()).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    await page.getByText(/^\d+ objects?$/).or(page.getByText('Nothing here yet.')).first().waitFor();

    await kubectl(app.sandboxKubeconfig, 'run', 'e2e-pod', '--image=nginx', '--restart=Never', '--labels=app=e2e');
    const row = table.locator('tr[data-name="e2e-pod"]');
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.locator('td:not(.check)').allInnerTexts();
    expect(cells[0]).toBe('default');
    expect(cells[1]).toBe('e2e-pod');
    expect(cells[2]).toMatch(/^\d\/1$/);
    expect(cells[5]).toMatch(/^\d+s$/);

    await row.click();
    // The object panel (src/renderer/object) shows the clicked pod; its YAML tab as kubectl -o yaml.
    await page.locator('aside.object-panel[data-object-name="e2e-pod"]').waitFor();
    await page.locator('aside.object-panel [data-tab="yaml"]').click();
    const yaml = page.locator('aside.object-panel pre.yaml-text');
    await yaml.waitFor();
    expect(await yaml.innerText()).toContain('name: e2e-pod');
    expect(await yaml.innerText()).toContain('app: e2e');
    await page.screenshot({ path: SCREENSHOT });
  });

  it('filters by namespace and shows deployments live', async () => {
    await kubectl(app.sandboxKubeconfig, 'create', 'namespace', 'team-a');
    await kubectl(app.sandboxKubeconfig, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', 'team-a');
    await page.locator('button[data-kind="deployments"]').click();
    const row = page.locator('table[data-kind="deployments"] tr[data-name="web"]');
    await row.waitFor({ timeout: 15_000 });
    expect((await row.locator('td:not(.check)').allInnerTexts()).slice(0, 3)).toEqual(['team-a', 'web', expect.stringMatching(/^\d\/2$/)]);
    await chooseNamespaces('team-a');
    // With one namespace chosen, the NAMESPACE column goes away as with kubectl -n.
    expect(await page.locator('table[data-kind="deployments"] th.sortable').allInnerTexts()).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    await chooseNamespaces('default');
    await page.getByText('Nothing here yet.').waitFor();
  });

  it('renders only the rows in view of a long table, and scrolls to the end', async () => {
    // Their own namespace (team-a's deployment has pods of its own now that controllers run), and
    // left unscheduled: this is about the table, not about 400 containers crash-looping.
    const items: object[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } }];
    for (let i = 0; i < 400; i++) {
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `bulk-${String(i).padStart(3, '0')}`, namespace: 'bulk' },
        spec: { schedulerName: 'not-scheduled-in-this-test', containers: [{ name: 'c', image: 'busybox' }] },
      });
    }
    const file = join(app.dataDir, 'bulk.json');
    await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    await kubectl(app.sandboxKubeconfig, 'create', '-f', file);
    await page.locator('button[data-kind="pods"]').click();
    await chooseNamespaces('bulk');
    await page.getByText('400 objects').waitFor({ timeout: 30_000 });
    const rendered = await page.locator('table[data-kind="pods"] tbody tr:not(.spacer)').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);
    await page.locator('section.table-wrap').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('tr[data-name="bulk-399"]').waitFor();
    expect(await page.locator('tr[data-name="bulk-000"]').count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-long.png') });
  });

  it('speaks French', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByText('Déploiements', { exact: false }).first().waitFor();
    await page.locator('[data-cluster-id="sandbox"]').getByText('connecté', { exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-fr.png') });
  });

  it('logged no errors in the page (CSP violations included)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
