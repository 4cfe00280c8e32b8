// The command palette and the settings page in Chromium, keyboard only where a person would use the
// keyboard: Ctrl+K, typing, arrows, Enter, Escape; a kubeconfig folder added in the settings shows
// its contexts, and a file dropped in it later appears without a reload.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { buildUi, kubectl, launchBrowser, startWebApp, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kubedesk-e2e-kubeconfigs-'));
  await buildUi();
  app = await startWebApp({ HOME: folder, KUBECONFIG: '' });
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
  await page.goto(app.url);
  await page.locator('[data-cluster-id="sandbox"]').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await rm(folder, { recursive: true, force: true });
});

const palette = () => page.locator('.palette[role="dialog"]');

/**
 * Reloads until the app shows: other test runs on this machine rebuild out/renderer, and a reload
 * landing in the middle of a rebuild gets a page whose assets are not written yet.
 */
async function reloadApp(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.reload();
    try {
      await page.locator('[data-cluster-id="sandbox"] .cluster-state').waitFor({ timeout: 20_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function jump(text: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await palette().waitFor();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await palette().waitFor({ state: 'detached' });
}

describe('command palette', () => {
  it('opens with Ctrl+K, lists its shortcuts, moves with the arrows and closes with Escape', async () => {
    await page.keyboard.press('Control+k');
    await palette().waitFor();
    expect(await palette().getByRole('combobox').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await palette().locator('.palette-footer').innerText()).toMatch(/Ctrl\+K.*Ctrl\+,.*Ctrl\+Shift\+S/s);
    const options = palette().getByRole('option');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await options.last().getAttribute('aria-selected')).toBe('true');
    expect(await palette().locator('[data-palette-id="action:settings"] .palette-shortcut').innerText()).toBe('Ctrl+,');
    await page.keyboard.press('Escape');
    await palette().waitFor({ state: 'detached' });
  });

  it('jumps to a kind, then to an object from the loaded caches', async () => {
    await jump('deploym');
    await page.locator('table[data-kind="deployments"]').waitFor();
    await kubectl(app.sandboxKubeconfig, 'run', 'palette-target', '--image=nginx', '--restart=Never');
    await jump('pods');
    await page.locator('table[data-kind="pods"] tr[data-name="palette-target"]').waitFor({ timeout: 20_000 });
    await jump('palette-targ');
    await page.locator('table[data-kind="pods"] tr.selected[data-name="palette-target"]').waitFor();
    // A namespace filters the table: palette-target lives in "default".
    await jump('kube-syst');
    await page.locator('table[data-kind="pods"] tr[data-name="palette-target"]').waitFor({ state: 'detached' });
    await jump('default');
    await page.locator('table[data-kind="pods"] tr[data-name="palette-target"]').waitFor();
  });

  it('runs actions: the language switches and is remembered in the settings', async () => {
    await jump('language');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.keyboard.press('Control+k');
    expect(await palette().getByRole('combobox').getAttribute('placeholder')).toBe('Aller à un cluster, un type, un objet ou une action…');
    await page.keyboard.press('Escape');
    // Written by the core once the palette's action went through.
    await expect.poll(async () => JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8').catch(() => '{}')) as unknown, { timeout: 10_000 }).toMatchObject({ version: 1, language: 'fr' });
    await reloadApp();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await jump('english');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });
});

describe('settings', () => {
  it('adds a kubeconfig folder: its contexts appear, and so does a file written into it later', async () => {
    const own = parse(await readFile(app.sandboxKubeconfig, 'utf8')) as { contexts: { name: string }[]; 'current-context'?: string };
    own.contexts[0].name = 'team-sandbox';
    own['current-context'] = 'team-sandbox';
    await writeFile(join(folder, 'team.yaml'), stringify(own));

    await page.keyboard.press('Control+,');
    const settings = page.locator('.frame-page[data-page="settings"]');
    await settings.waitFor();
    await settings.getByLabel('Absolute path of a file or folder').fill(folder);
    await settings.getByRole('button', { name: 'Add' }).click();
    await settings.locator(`li[data-path="${folder}"]`).getByText('1 context').waitFor({ timeout: 20_000 });
    const team = page.locator(`[data-cluster-id="file:${join(folder, 'team.yaml')}#team-sandbox"]`);
    await team.getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });

    own.contexts[0].name = 'late-arrival';
    await writeFile(join(folder, 'late.yaml'), stringify(own));
    await page.locator(`[data-cluster-id="file:${join(folder, 'late.yaml')}#late-arrival"]`).getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });
    await settings.locator(`li[data-path="${folder}"]`).getByText('2 contexts').waitFor();

    // The palette jumps to it as well.
    await jump('late-arr');
    await page.locator('.current-cluster').getByText('late-arrival').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-palette.png') });

    // The folder and where the user is are in the settings for the next start.
    await expect
      .poll(async () => JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8')) as unknown, { timeout: 10_000 })
      .toMatchObject({ kubeconfigPaths: [folder], lastClusterId: `file:${join(folder, 'late.yaml')}#late-arrival`, lastKind: 'pods' });
  });
});
