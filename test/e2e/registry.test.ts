// The etcd /registry browser in web mode: the tree of the sandbox's keys, a pod's value, its history
// after `kubectl label` with a diff, the live pane reacting to `kubectl apply`, and time travel to
// before the edit.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildUi, kubectl, launchBrowser, startWebApp, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
export const REGISTRY_SCREENSHOT = join(tmpdir(), 'kubedesk-e2e-registry.png');

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

const row = (key: string) => page.locator(`.tree-row[data-key="${key}"]`);
const valueBody = () => page.locator('pre.value-body');

describe('registry browser', () => {
  it('shows the tree, a pod’s value and the etcdctl command', async () => {
    await page.goto(app.url);
    await page.locator('[data-cluster-id="sandbox"]').getByText('connected', { exact: true }).waitFor({ timeout: 60_000 });
    await kubectl(app.sandboxKubeconfig, 'run', 'reg-pod', '--image=nginx', '--restart=Never');
    await page.locator('button[data-view="registry"]').click();
    await row('/registry/pods/').click();
    await row('/registry/pods/default/').click();
    await row('/registry/pods/default/reg-pod').click();
    await valueBody().waitFor();
    expect(await valueBody().innerText()).toContain('name: reg-pod');
    const rv = (await kubectl(app.sandboxKubeconfig, 'get', 'pod', 'reg-pod', '-o', 'jsonpath={.metadata.resourceVersion}')).trim();
    // The value panel follows the key live: its mod revision catches up with kubectl's resourceVersion.
    await expect.poll(async () => Number(await page.locator('dd[data-meta="mod"]').innerText()), { timeout: 15_000 }).toBeGreaterThanOrEqual(Number(rv));
    expect(await page.locator('.registry-value .etcdctl code').first().innerText()).toMatch(/^ETCDCTL_API=3 etcdctl --cacert \S+ca\.crt --cert \S+server\.crt --key \S+server\.key --endpoints https:\/\/127\.0\.0\.1:\d+ get \/registry\/pods\/default\/reg-pod -w json$/);
    expect(await page.locator('.tree-row[data-key="/registry/pods/"] .badge').innerText()).toMatch(/^\d+$/);
  });

  it('shows the history after an edit with a diff, the live pane, and time travel', async () => {
    // Let the kubelet finish starting the pod so the edit is the last change.
    await expect.poll(async () => (await kubectl(app.sandboxKubeconfig, 'get', 'pod', 'reg-pod', '-o', 'jsonpath={.status.phase}')).trim(), { timeout: 60_000, interval: 500 }).toBe('Running');
    await new Promise((r) => setTimeout(r, 1500));
    const before = Number((await kubectl(app.sandboxKubeconfig, 'get', 'pod', 'reg-pod', '-o', 'jsonpath={.metadata.resourceVersion}')).trim());
    await kubectl(app.sandboxKubeconfig, 'label', 'pod', 'reg-pod', 'edited=yes');
    await expect.poll(async () => valueBody().innerText(), { timeout: 15_000 }).toContain('edited: yes');
    const entries = page.locator('section.history tbody tr');
    expect(await entries.count()).toBeGreaterThanOrEqual(2);
    await page.locator(`section.history tr[data-revision="${before}"] input[name="diff-from"]`).check();
    await entries.first().locator('input[name="diff-to"]').check();
    const diff = page.locator('pre.diff');
    await diff.waitFor();
    expect(await diff.locator('.add').allInnerTexts()).toContainEqual(expect.stringMatching(/^\+\s+edited: yes$/));

    const manifest = join(app.dataDir, 'reg-cm.yaml');
    await writeFile(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reg-cm\ndata:\n  k: v\n');
    await kubectl(app.sandboxKubeconfig, 'apply', '-f', manifest);
    await page.locator('li[data-event-key="/registry/configmaps/default/reg-cm"]').first().waitFor({ timeout: 15_000 });

    await page.getByLabel('Revision number').fill(String(before));
    await page.getByText(`Showing the registry as it was at revision ${before}.`).waitFor();
    await expect.poll(async () => valueBody().innerText()).not.toContain('edited: yes');
    expect(await valueBody().innerText()).toContain('name: reg-pod');
    await row('/registry/configmaps/').click();
    await row('/registry/configmaps/default/').click();
    await row('/registry/configmaps/default/kube-root-ca.crt').waitFor();
    expect(await row('/registry/configmaps/default/reg-cm').count()).toBe(0);
    await page.screenshot({ path: REGISTRY_SCREENSHOT });

    await page.getByRole('button', { name: 'Back to live' }).click();
    await row('/registry/configmaps/default/reg-cm').waitFor();
    await expect.poll(async () => valueBody().innerText()).toContain('edited: yes');
  });

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
