// The object panel and YAML editor in Chromium against the app's real sandbox: create a deployment
// from a course template, watch its pods appear, edit replicas with the diff and dry run shown,
// apply, scale from the action, delete; a rejected manifest's error on its line; an SSA conflict
// resolved with force. Monaco runs under the page's real CSP (its workers included).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildUi, kubectl, launchBrowser, startWebApp, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
const problems: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

const replicasOf = async (name: string): Promise<number> => Number(await kubectl(app.sandboxKubeconfig, 'get', 'deployment', name, '-o', 'jsonpath={.spec.replicas}'));
const dialog = (): Locator => page.locator('.editor-dialog');
const panel = (): Locator => page.locator('.object-panel');

/** Monaco is up in the dialog; when it is not, the page's errors say why. */
async function editorReady(): Promise<void> {
  await dialog()
    .locator('[data-editor="yaml"][data-ready="true"]')
    .waitFor({ timeout: 60_000 })
    .catch((error: unknown) => {
      throw new Error(`the YAML editor did not load: ${String(error)}\npage errors:\n${problems.join('\n')}`);
    });
}

/** Replaces the value after `key:` on the editor line that shows `key: old`. */
async function editLine(oldText: string, newValue: string): Promise<void> {
  const line = dialog().locator('[data-editor="yaml"] .view-line', { hasText: oldText }).first();
  await line.click();
  await page.keyboard.press('End');
  const valueLength = oldText.length - oldText.indexOf(':') - 2;
  for (let i = 0; i < valueLength; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(newValue);
}

/** The editor line's vertical band, to check a marker sits on it. */
async function lineBox(text: string): Promise<{ y: number; height: number }> {
  const box = await dialog().locator('[data-editor="yaml"] .view-line', { hasText: text }).first().boundingBox();
  if (!box) throw new Error(`no editor line shows "${text}"`);
  return box;
}

async function squiggleOnLine(text: string, kinds = '.squiggly-error'): Promise<boolean> {
  const line = await lineBox(text);
  const squiggles = dialog().locator(`[data-editor="yaml"] :is(${kinds})`);
  for (let i = 0; i < (await squiggles.count()); i++) {
    const box = await squiggles.nth(i).boundingBox();
    // By its middle: a squiggle on the next line starts where this line ends.
    if (box && box.y + box.height / 2 >= line.y && box.y + box.height / 2 <= line.y + line.height) return true;
  }
  return false;
}

/** Hovers the first word of the editor line showing `text` and returns the hover's text (the markers' messages). */
async function hoverText(text: string): Promise<string> {
  const line = dialog().locator('[data-editor="yaml"] .view-line', { hasText: text }).first();
  const word = line.locator('span span').filter({ hasText: /\w/ }).first();
  const box = await word.boundingBox();
  if (!box) throw new Error(`no editor line shows "${text}"`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ timeout: 10_000 });
  return (await hover.textContent()) ?? '';
}

async function openDeployment(name: string): Promise<void> {
  await page.locator('button[data-kind="deployments"]').click();
  const row = page.locator(`table[data-kind="deployments"] tr[data-name="${name}"]`);
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator(`.object-panel[data-object-name="${name}"]`).waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  await buildUi();
  app = await startWebApp();
  browser = await launchBrowser('en-US');
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message} ${e.stack ?? ""}`.trim()));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(app.url);
  await page.locator('[data-cluster-id="sandbox"]').getByText('connected', { exact: true }).waitFor({ timeout: 90_000 });
}, 240_000);

// A failed step leaves no dialog over the next test's page.
afterEach(async () => {
  const close = page.locator('[data-action="close-editor"]');
  if ((await close.count()) > 0) await close.click();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('object panel and YAML editor', () => {
  it('creates a deployment from a course template and shows its pods live', async () => {
    await page.locator('button[data-action="create"]').click();
    await editorReady();
    await dialog().getByLabel('Template').selectOption('deployment');
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'name: my-app' }).waitFor();
    await dialog().getByText(/Schema from the cluster: apps\/v1\/Deployment/).waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="review"]').click();
    await dialog().locator('[data-result="dry-run"]').getByText(/dry run passed/).waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="apply"]').click();
    await dialog().locator('[data-result="applied"]').waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="done"]').click();
    expect(await replicasOf('my-app')).toBe(3);

    await page.locator('button[data-kind="pods"]').click();
    const pods = page.locator('table[data-kind="pods"] tr[data-name^="my-app-"]');
    await until('3 my-app pods in the table', async () => ((await pods.count()) === 3 ? true : undefined));
  });

  it('documents and completes fields from the cluster\'s schema', async () => {
    await page.locator('button[data-action="create"]').click();
    await editorReady();
    await dialog().getByLabel('Template').selectOption('deployment');
    await dialog().getByText(/Schema from the cluster: apps\/v1\/Deployment/).waitFor({ timeout: 30_000 });
    // Monaco's YAML worker uses the cluster's schema: hovering a key shows its documentation.
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'replicas: 3' }).locator('span', { hasText: /^replicas$/ }).last().hover();
    await page.locator('.monaco-hover').getByText(/Number of desired pods/).first().waitFor({ timeout: 30_000 });
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'replicas: 3' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('revisionHist');
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget').getByText('revisionHistoryLimit').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await dialog().locator('[data-action="close-editor"]').click();
  });

  it('shows rollout, replica sets and events in the panel', async () => {
    await openDeployment('my-app');
    await panel().locator('[data-table="replicasets"] tr[data-revision="1"]').waitFor({ timeout: 30_000 });
    await panel().locator('[data-rollout="complete"]').waitFor({ timeout: 60_000 });
    await panel().locator('[data-tab="events"]').click();
    await panel().locator('[data-table="events"] tr[data-reason="ScalingReplicaSet"]').first().waitFor({ timeout: 30_000 });
    await panel().locator('[data-tab="details"]').click();
  });

  it('edits replicas with the diff and dry run shown, then applies', async () => {
    await panel().locator('[data-action="edit"]').click();
    await editorReady();
    await editLine('replicas: 3', '2');
    await dialog().locator('[data-action="review"]').click();
    await dialog().locator('[data-result="dry-run"]').getByText(/dry run passed/).waitFor({ timeout: 30_000 });
    const diff = dialog().locator('[data-editor="diff"][data-ready="true"]');
    await diff.waitFor({ timeout: 30_000 });
    await until('the diff to show the removed and added replicas lines', async () =>
      (await diff.locator('.line-delete, .char-delete').count()) > 0 && (await diff.locator('.line-insert, .char-insert').count()) > 0 ? true : undefined,
    );
    expect(await diff.locator('.view-line', { hasText: 'replicas: 2' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-editor-diff.png') });
    await dialog().locator('[data-action="apply"]').click();
    await dialog().locator('[data-result="applied"]').waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="done"]').click();
    expect(await replicasOf('my-app')).toBe(2);
  });

  it('shows a rejected manifest on the offending lines (422 causes, server-side apply\'s undeclared fields)', async () => {
    await panel().locator('[data-action="edit"]').click();
    await editorReady();
    await editLine('replicas: 2', '-1');
    await dialog().locator('[data-action="review"]').click();
    await dialog().locator('[data-result="rejected"]').getByText(/spec\.replicas/).waitFor({ timeout: 30_000 });
    await until('a marker on the replicas line', async () => ((await squiggleOnLine('replicas: -1')) ? true : undefined), 15_000);
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-editor-rejected.png') });

    // Back to a valid count, plus a field the API does not know.
    await editLine('replicas: -1', '2');
    await page.keyboard.press('Enter');
    await page.keyboard.type('replicaz: 4');
    // monaco-yaml flags it from the cluster's schema before the API is asked.
    await until('a schema marker on the unknown field', async () => ((await squiggleOnLine('replicaz: 4', '.squiggly-error, .squiggly-warning')) ? true : undefined), 30_000);
    await dialog().locator('[data-action="review"]').click();
    // Server-side apply: structured-merge-diff refuses it before fieldValidation is looked at, as kube-apiserver 1.32 does.
    const typedPatch = 'failed to create typed patch object (default/my-app; apps/v1, Kind=Deployment): ';
    await dialog().locator('[data-result="rejected"]').getByText(`${typedPatch}.spec.replicaz: field not declared in schema`).waitFor({ timeout: 30_000 });
    await until('a marker on the unknown field', async () => ((await squiggleOnLine('replicaz: 4')) ? true : undefined), 15_000);

    // Several undeclared fields, one in a list item named by its key: each error on its own line.
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'replicaz: 4' }).first().click();
    await page.keyboard.press('Control+Shift+K');
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'name: my-app' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('namez: x');
    await page.keyboard.press('Escape');
    await dialog().locator('[data-editor="yaml"] .view-line', { hasText: 'image: nginx:stable' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('imagePullPolcy: Always');
    await page.keyboard.press('Escape');
    await dialog().locator('[data-action="review"]').click();
    const several =
      `${typedPatch}errors: .metadata.namez: field not declared in schema ` +
      '.spec.template.spec.containers[name="nginx"].imagePullPolcy: field not declared in schema';
    await dialog().locator('[data-result="rejected"]').getByText(several).waitFor({ timeout: 30_000 });
    await until('a marker on each undeclared field', async () => ((await squiggleOnLine('namez: x')) && (await squiggleOnLine('imagePullPolcy: Always')) ? true : undefined), 15_000);
    expect(await squiggleOnLine('image: nginx:stable')).toBe(false);
    // the squiggles are the API's errors, not only monaco-yaml's schema warnings
    await until('the API error in the hover of the undeclared container field', async () =>
      (await hoverText('imagePullPolcy: Always')).includes('.spec.template.spec.containers[name="nginx"].imagePullPolcy: field not declared in schema') ? true : undefined,
    );
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-editor-undeclared.png') });
    await dialog().locator('[data-action="close-editor"]').click();
    expect(await replicasOf('my-app')).toBe(2);
  });

  it('scales from the action', async () => {
    await panel().locator('[data-action="scale"]').click();
    await panel().locator('[data-form="scale"] input[name="replicas"]').fill('1');
    await panel().locator('[data-action="confirm-scale"]').click();
    await panel().locator('[data-result="action"]').getByText(/Scale: done/).waitFor({ timeout: 30_000 });
    expect(await replicasOf('my-app')).toBe(1);
    await until('the rollout to show 1 desired', async () => ((await panel().getByText(/of 1 desired/).count()) > 0 ? true : undefined));
  });

  it('restarts the rollout: a new replica set revision appears', async () => {
    await panel().locator('[data-action="restart"]').click();
    await panel().locator('[data-result="action"]').getByText(/Restart: done/).waitFor({ timeout: 30_000 });
    expect(await kubectl(app.sandboxKubeconfig, 'get', 'deployment', 'my-app', '-o', 'jsonpath={.spec.template.metadata.annotations}')).toContain('kubectl.kubernetes.io/restartedAt');
    await panel().locator('[data-table="replicasets"] tr[data-revision="2"]').waitFor({ timeout: 60_000 });
  });

  it('creates every object of a typed multi-document YAML', async () => {
    await page.locator('button[data-action="create"]').click();
    await editorReady();
    await dialog().locator('[data-editor="yaml"] .view-lines').click();
    // Flow style, one document a line: Monaco indents typed newlines as a person's typing would.
    await page.keyboard.insertText('{apiVersion: v1, kind: ConfigMap, metadata: {name: cm-a}, data: {k: v}}\n---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: cm-b}}\n');
    await dialog().locator('[data-action="review"]').click();
    await dialog().locator('[data-result="dry-run"]').getByText(/dry run passed/).waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="apply"]').click();
    await dialog().locator('[data-result="applied"]').getByText(/2 object/).waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="done"]').click();
    expect(await kubectl(app.sandboxKubeconfig, 'get', 'configmap', 'cm-a', 'cm-b', '-o', 'name')).toBe('configmap/cm-a\nconfigmap/cm-b\n');
    expect(await kubectl(app.sandboxKubeconfig, 'get', 'configmap', 'cm-a', '-o', 'jsonpath={.data.k}')).toBe('v');
  });

  it('offers force when another field manager owns the edited field', async () => {
    await kubectl(app.sandboxKubeconfig, 'create', 'deployment', 'owned-elsewhere', '--image=nginx', '--replicas=1');
    await openDeployment('owned-elsewhere');
    await panel().locator('[data-action="edit"]').click();
    await editorReady();
    await editLine('replicas: 1', '2');
    await dialog().locator('[data-action="review"]').click();
    const conflict = dialog().locator('[data-result="conflict"]');
    await conflict.waitFor({ timeout: 30_000 });
    expect(await conflict.innerText()).toMatch(/\.spec\.replicas is managed by kubectl-create/);
    await dialog().locator('[data-action="force-apply"]').click();
    await dialog().locator('[data-result="applied"]').waitFor({ timeout: 30_000 });
    await dialog().locator('[data-action="done"]').click();
    expect(await replicasOf('owned-elsewhere')).toBe(2);
  });

  it('deletes with the chosen propagation', async () => {
    await openDeployment('my-app');
    await panel().locator('[data-action="delete"]').click();
    await panel().locator('[data-form="delete"] select[name="propagation"]').selectOption('Foreground');
    await panel().locator('[data-action="confirm-delete"]').click();
    await until('my-app to be gone', async () => {
      const out = await kubectl(app.sandboxKubeconfig, 'get', 'deployments', '-o', 'name');
      return out.includes('deployment.apps/my-app') ? undefined : true;
    });
    await until('the row to leave the table', async () => ((await page.locator('table[data-kind="deployments"] tr[data-name="my-app"]').count()) === 0 ? true : undefined));
    expect(problems.filter((p) => /Content Security Policy|pageerror|HTTP 4/i.test(p))).toEqual([]);
  });
});
