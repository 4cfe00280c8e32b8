// The resource tables end to end, in Chromium against real sandboxes: a CRD's objects in a generic
// table with its printer columns, namespace multi-select, text and label filters, sorting, bulk
// delete with a per-object error, and what a kind the account may not list shows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { startSandboxProcess, type SandboxProcess } from '../../src/core/app/sandbox-process.js';
import { buildUi, kubectl, launchBrowser, selectSandbox, startWebApp, type WebApp } from './web-app.js';

let limitedSandbox: SandboxProcess;
let limitedDir: string;
let app: WebApp;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

// Every namespace has its kube-root-ca.crt config map: not what these tests are about.
const rowNames = async (kind: string) =>
  (await page.locator(`table[data-kind="${kind}"] tbody tr[data-name]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).filter((n) => n !== 'kube-root-ca.crt');

async function chooseNamespaces(...names: string[]): Promise<void> {
  await page.locator('.ns-filter summary').click();
  await page.locator('.ns-menu .ns-option').first().locator('input').check();
  for (const name of names) await page.locator(`.ns-option[data-namespace="${name}"] input`).check();
  await page.locator('.ns-filter summary').click();
}

beforeAll(async () => {
  // A second cluster seen through a service account that may list pods in "default" only.
  limitedDir = await mkdtemp(join(tmpdir(), 'kubedesk-e2e-limited-'));
  limitedSandbox = await startSandboxProcess({ dataDir: limitedDir });
  const admin = limitedSandbox.kubeconfigPath;
  // Right after its start, on a loaded machine, the first TLS handshake can time out: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await kubectl(admin, 'create', 'serviceaccount', 'viewer');
      break;
    } catch (error) {
      if (attempt >= 5 || !/timeout|connection refused/i.test(String(error))) throw error;
    }
  }
  await kubectl(admin, 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods');
  await kubectl(admin, 'create', 'rolebinding', 'viewer-reads-pods', '--role=pod-reader', '--serviceaccount=default:viewer');
  await kubectl(admin, 'run', 'visible-pod', '--image=nginx', '--restart=Never');
  const token = (await kubectl(admin, 'create', 'token', 'viewer')).trim();
  const limitedConfig = join(limitedDir, 'limited-kubeconfig');
  await writeFile(limitedConfig, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'limited', cluster: { server: limitedSandbox.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'viewer', user: { token } }],
    contexts: [{ name: 'limited', context: { cluster: 'limited', user: 'viewer', namespace: 'default' } }],
    'current-context': 'limited',
  }));
  await buildUi();
  app = await startWebApp({ KUBECONFIG: limitedConfig, HOME: limitedDir });
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(app.url);
  await selectSandbox(page).catch(async (error: unknown) => {
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-tables-start.png') });
    throw new Error(`the sandbox never showed as connected: ${String(error)}\n${app.output()}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await limitedSandbox?.stop();
  await rm(limitedDir, { recursive: true, force: true });
});

describe('resource tables', () => {
  it('shows a CRD in the sidebar from discovery and its objects in a generic table with its printer columns', async () => {
    const crd = join(app.dataDir, 'crd.yaml');
    await writeFile(crd, stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
            { name: 'Color', type: 'string', jsonPath: '.spec.color' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        }],
      },
    }));
    await kubectl(app.sandboxKubeconfig, 'apply', '-f', crd);
    const button = page.locator('.kind-group[data-group="example.com"] button[data-kind="widgets.example.com"]');
    await button.waitFor({ timeout: 20_000 });
    expect(await button.innerText()).toContain('Widget');
    await button.click();
    const table = page.locator('table[data-kind="widgets.example.com"]');
    await table.waitFor();
    expect(await table.locator('th.sortable').allInnerTexts()).toEqual(['NAMESPACE', 'NAME', 'SIZE', 'COLOR', 'AGE']);
    const widget = join(app.dataDir, 'widget.yaml');
    await writeFile(widget, stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'big-blue', namespace: 'default' }, spec: { size: 42, color: 'blue' } }));
    await kubectl(app.sandboxKubeconfig, 'apply', '-f', widget);
    const row = table.locator('tr[data-name="big-blue"]');
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.locator('td:not(.check)').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['default', 'big-blue', '42', 'blue']);
    expect(cells[4]).toMatch(/^\d+s$/);
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-crd.png') });
  });

  it('filters by several namespaces, text and labels, and sorts by any column', async () => {
    for (const ns of ['t-a', 't-b', 't-c']) await kubectl(app.sandboxKubeconfig, 'create', 'namespace', ns);
    await kubectl(app.sandboxKubeconfig, 'create', 'configmap', 'one', '-n', 't-a', '--from-literal=k1=v');
    await kubectl(app.sandboxKubeconfig, 'create', 'configmap', 'three', '-n', 't-b', '--from-literal=k1=v', '--from-literal=k2=v', '--from-literal=k3=v');
    await kubectl(app.sandboxKubeconfig, 'create', 'configmap', 'two', '-n', 't-c', '--from-literal=k1=v', '--from-literal=k2=v');
    await kubectl(app.sandboxKubeconfig, 'label', 'configmap', 'two', '-n', 't-c', 'tier=front');
    await kubectl(app.sandboxKubeconfig, 'label', 'configmap', 'one', '-n', 't-a', 'tier=back');
    await page.locator('button[data-kind="configmaps"]').click();
    const table = page.locator('table[data-kind="configmaps"]');
    await table.locator('tr[data-name="two"]').waitFor({ timeout: 15_000 });

    await chooseNamespaces('t-a', 't-c');
    expect(await page.locator('.ns-filter summary').getAttribute('data-namespaces')).toBe('t-a,t-c');
    await expect.poll(() => rowNames('configmaps')).toEqual(['one', 'two']);
    // Two namespaces: the NAMESPACE column stays.
    expect(await table.locator('th.sortable').first().innerText()).toBe('NAMESPACE');

    await chooseNamespaces('t-a', 't-b', 't-c');
    await table.locator('th[data-column="DATA"]').click();
    await expect.poll(() => rowNames('configmaps')).toEqual(['one', 'two', 'three']);
    expect(await table.locator('th[data-column="DATA"]').getAttribute('aria-sort')).toBe('ascending');
    await table.locator('th[data-column="DATA"]').click();
    await expect.poll(() => rowNames('configmaps')).toEqual(['three', 'two', 'one']);
    await table.locator('th[data-column="NAME"]').click();
    await expect.poll(() => rowNames('configmaps')).toEqual(['one', 'three', 'two']);

    await page.getByLabel('Filter', { exact: true }).fill('thr');
    await expect.poll(() => rowNames('configmaps')).toEqual(['three']);
    await page.getByLabel('Filter', { exact: true }).fill('');
    const labels = page.getByLabel(/^Label selector/);
    await labels.fill('tier in (front,back),tier!=back');
    await expect.poll(() => rowNames('configmaps')).toEqual(['two']);
    await labels.fill('tier=(');
    await page.getByRole('alert').getByText(/is not a label requirement/).waitFor();
    await labels.fill('');
    await expect.poll(() => rowNames('configmaps')).toEqual(['one', 'three', 'two']);
  });

  it('deletes the ticked rows after a confirmation, with the propagation chosen, and says which failed', async () => {
    await kubectl(app.sandboxKubeconfig, 'create', 'deployment', 'bulk-a', '--image=nginx', '-n', 't-a');
    await kubectl(app.sandboxKubeconfig, 'create', 'deployment', 'bulk-b', '--image=nginx', '-n', 't-b');
    await kubectl(app.sandboxKubeconfig, 'create', 'deployment', 'bulk-gone', '--image=nginx', '-n', 't-b');
    await page.locator('button[data-kind="deployments"]').click();
    await chooseNamespaces();
    const table = page.locator('table[data-kind="deployments"]');
    for (const name of ['bulk-a', 'bulk-b', 'bulk-gone']) {
      await table.locator(`tr[data-name="${name}"]`).waitFor({ timeout: 15_000 });
      await table.locator(`tr[data-name="${name}"] td.check input`).check();
    }
    await page.locator('[data-action="bulk-delete"]').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.locator('h3').innerText()).toBe('Delete 3 object(s)?');
    await dialog.getByLabel('Dependents').selectOption('Foreground');
    // Gone before the confirmation: its delete must fail, the others not.
    await kubectl(app.sandboxKubeconfig, 'delete', 'deployment', 'bulk-gone', '-n', 't-b', '--wait=false');
    await dialog.locator('[data-action="confirm-delete"]').click();
    await dialog.getByRole('status').getByText('2 deleted, 1 refused.').waitFor({ timeout: 15_000 });
    expect(await dialog.locator('li[data-failed="t-b/bulk-gone"]').innerText()).toMatch(/not found/);
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-bulk-delete.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Foreground: their replica sets and pods go first, then the deployments leave the table.
    await expect.poll(async () => (await rowNames('deployments')).filter((n) => n?.startsWith('bulk-')), { timeout: 30_000 }).toEqual([]);
    const left = await kubectl(app.sandboxKubeconfig, 'get', 'replicasets', '-A', '-o', 'name');
    expect(left).not.toMatch(/bulk-(a|b)-/);
  });

  it('shows the overview: nodes, pods, capacity against requests, workload health', async () => {
    await page.locator('button[data-view="overview"]').click();
    const nodes = page.locator('[data-card="nodes"]');
    await expect.poll(async () => nodes.locator('.big').innerText(), { timeout: 20_000 }).toMatch(/^1\/1 ready$/);
    await expect.poll(async () => Number(await page.locator('[data-card="pods"] .big').innerText()), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-meter="CPU"] .meter-title').innerText()).toMatch(/allocatable/);
    expect(await page.locator('[data-meter="CPU"] .meter-legend').innerText()).toMatch(/requested \S+ \(\d+ %\)/);
    await page.locator('[data-card="workloads"]').getByText(/at their wanted size/).first().waitFor();
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-overview.png') });
  });

  it('lists events, the latest first, with the columns of kubectl', async () => {
    await page.locator('button[data-kind="events"]').click();
    const table = page.locator('table[data-kind="events"]');
    await table.locator('tbody tr[data-uid]').first().waitFor({ timeout: 20_000 });
    expect(await table.locator('th.sortable').allInnerTexts()).toEqual(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(await table.locator('th[data-column="LAST SEEN"]').getAttribute('aria-sort')).toBe('ascending');
    const firstObject = await table.locator('tbody tr[data-uid]').first().locator('td:not(.check)').nth(4).innerText();
    expect(firstObject).toMatch(/^[a-z]+\/\S+$/);
    // An image that does not exist: the kubelet reports Warning events, which the toggle keeps alone.
    await kubectl(app.sandboxKubeconfig, 'run', 'bad-image', '--image=registry.invalid/nope:1', '--restart=Never', '-n', 't-a');
    await page.getByLabel('Warnings only').check();
    await table.locator('tbody tr[data-uid]', { hasText: 'pod/bad-image' }).first().waitFor({ timeout: 30_000 });
    const types = await table.locator('tbody tr[data-uid]').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[3]?.textContent));
    expect(new Set(types)).toEqual(new Set(['Warning']));
    await page.getByLabel('Warnings only').uncheck();
    await page.locator('button[data-view="overview"]').click();
    await page.locator('[data-card="warnings"]').getByText('pod/bad-image').first().waitFor({ timeout: 10_000 });
  });

  it('says why a kind is not shown when the account may not list it, and shows what it may list in its namespace', async () => {
    await page.locator('[data-cluster-id="kubeconfig:limited"]').click();
    await page.locator('[data-cluster-id="kubeconfig:limited"]').getByText('connected', { exact: true }).waitFor({ timeout: 20_000 });
    // Known before any table opens (SelfSubjectAccessReviews): the sidebar marks both.
    await page.locator('button[data-kind="deployments"][data-access="denied"]').waitFor({ timeout: 20_000 });
    await page.locator('button[data-kind="pods"][data-access="namespace"]').waitFor();
    // Pods: refused across the cluster, allowed in the context's namespace, which is watched instead.
    await page.locator('button[data-kind="pods"]').click();
    await page.locator('table[data-kind="pods"] tr[data-name="visible-pod"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-forbidden="true"]').count()).toBe(0);
    await page.locator('button[data-kind="deployments"]').click();
    const refusal = page.locator('[data-forbidden="true"]');
    await refusal.waitFor({ timeout: 30_000 });
    const text = await refusal.innerText();
    expect(text).toMatch(/may not list or watch this kind/);
    expect(text).toContain('system:serviceaccount:default:viewer');
    expect(await page.locator('button[data-kind="deployments"] .badge').innerText()).toBe('⊘');
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-forbidden.png') });
  });

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
