// Several clusters: the app's own sandbox plus contexts from $KUBECONFIG (a second real sandbox, one
// that answers nothing, one with a refused token). Each shows its state; switching changes the data.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { startSandboxProcess, type SandboxProcess } from '../../src/core/app/sandbox-process.js';
import { buildUi, kubectl, launchBrowser, selectSandbox, startWebApp, type WebApp } from './web-app.js';

let other: SandboxProcess;
let otherDir: string;
let app: WebApp;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  otherDir = await mkdtemp(join(tmpdir(), 'kubedesk-e2e-other-'));
  other = await startSandboxProcess({ dataDir: otherDir });
  await kubectl(other.kubeconfigPath, 'run', 'other-pod', '--image=busybox', '--restart=Never');
  // A second file beside the sandbox's own: an unreachable server and a refused token.
  const extra = join(otherDir, 'extra-kubeconfig');
  await writeFile(extra, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'nowhere', cluster: { server: 'https://127.0.0.1:1' } },
      { name: 'other-insecure', cluster: { server: other.url, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'intruder', user: { token: 'not-a-valid-token' } }],
    contexts: [
      { name: 'offline', context: { cluster: 'nowhere', user: 'intruder' } },
      { name: 'bad-token', context: { cluster: 'other-insecure', user: 'intruder' } },
    ],
  }));
  const otherConfig = parse(await readFile(other.kubeconfigPath, 'utf8')) as { contexts: { name: string }[] };
  expect(otherConfig.contexts.map((c) => c.name)).toContain('kubedesk-sandbox');
  await buildUi();
  app = await startWebApp({ KUBECONFIG: `${other.kubeconfigPath}:${extra}`, HOME: otherDir });
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await other?.stop();
  await rm(otherDir, { recursive: true, force: true });
});

describe('clusters', () => {
  it('shows every cluster with its state and why it is not connected', async () => {
    await page.goto(app.url);
    const entry = (id: string) => page.locator(`[data-cluster-id="${id}"]`);
    // Beside $KUBECONFIG's clusters the sandbox waits, stopped, until selected.
    await entry('sandbox').getByText('stopped', { exact: true }).waitFor({ timeout: 20_000 });
    await selectSandbox(page);
    await entry('kubeconfig:kubedesk-sandbox').getByText('connected', { exact: true }).waitFor({ timeout: 20_000 });
    await entry('kubeconfig:offline').getByText('unreachable', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await entry('kubeconfig:offline').locator('.cluster-reason').innerText()).toContain('cannot reach https://127.0.0.1:1');
    await entry('kubeconfig:bad-token').getByText('authentication failed', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await entry('kubeconfig:bad-token').locator('.cluster-reason').innerText()).toContain('401');
  });

  it('switches to another cluster and shows its pods live, and only its pods', async () => {
    await kubectl(app.sandboxKubeconfig, 'run', 'own-pod', '--image=nginx', '--restart=Never');
    await page.locator('table[data-kind="pods"] tr[data-name="own-pod"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-cluster-id="kubeconfig:kubedesk-sandbox"]').click();
    const table = page.locator('table[data-kind="pods"]');
    await table.locator('tr[data-name="other-pod"]').waitFor({ timeout: 15_000 });
    expect(await table.locator('tr[data-name="own-pod"]').count()).toBe(0);
    await kubectl(other.kubeconfigPath, 'run', 'late-pod', '--image=busybox', '--restart=Never');
    await table.locator('tr[data-name="late-pod"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.current-cluster').innerText()).toBe('kubedesk-sandbox');
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-clusters.png') });

    await page.locator('[data-cluster-id="kubeconfig:offline"]').click();
    await page.getByRole('status').getByText(/offline is unreachable/).waitFor();
    await page.locator('[data-cluster-id="sandbox"]').click();
    await table.locator('tr[data-name="own-pod"]').waitFor({ timeout: 15_000 });
  });
});
