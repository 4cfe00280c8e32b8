// The node panel's Drain in Chromium against the app's sandbox, checked with the real kubectl: a pod
// no controller manages stops the drain as kubectl stops it (nothing evicted, the form says which
// option would allow it); with --force ticked the node is drained and the pod is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { kubectl, openSandboxPage, until, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
const NODE = 'kubedesk-control-plane';

const run = (...args: string[]) => kubectl(app.sandboxKubeconfig, ...args);
const panel = () => page.locator(`.object-panel[data-object-name="${NODE}"]`);

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxPage());
  await run('run', 'lonely', '--image=nginx', '--restart=Never');
  await run('wait', '--for=condition=Ready', 'pod/lonely', '--timeout=120s');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('drain from the node panel', () => {
  it('refuses a pod without a controller as kubectl does, then drains with --force', async () => {
    await page.locator('button[data-kind="nodes"]').click();
    await page.locator(`table[data-kind="nodes"] tr[data-name="${NODE}"]`).click();
    await panel().locator('[data-action="drain"]').click();
    const form = panel().locator('[data-form="drain"]');
    await form.getByText(/As kubectl drain --ignore-daemonsets/).waitFor();
    await form.locator('[data-action="confirm-drain"]').click();
    const report = panel().locator('[data-result="drain"]');
    await report.getByText(`Nothing was evicted from ${NODE}`, { exact: false }).waitFor({ timeout: 60_000 });
    expect(await report.innerText()).toContain('Blocked: default/lonely: cannot delete Pods that declare no controller (use --force to override)');
    expect(await panel().locator('[data-drain-log]').innerText()).toMatch(/^node\/kubedesk-control-plane cordoned\n/);
    expect(await run('get', 'pod', 'lonely', '-o', 'jsonpath={.status.phase}')).toBe('Running');
    // The same report in French, for the course's learners.
    const language = page.locator('header select').first();
    await language.selectOption('fr');
    await report.getByText('Bloqué : default/lonely : aucun contrôleur ne le recréerait : cochez l’option --force ci-dessus').waitFor();
    expect(await report.innerText()).toContain(`Rien n’a été évincé de ${NODE}`);
    await language.selectOption('en');

    await form.locator('input[name="force"]').check();
    await form.locator('[data-action="confirm-drain"]').click();
    await panel().locator('[data-result="drain"][data-drained="true"]').waitFor({ timeout: 90_000 });
    expect(await report.innerText()).toMatch(new RegExp(`^Drained ${NODE}: \\d+ pods evicted and gone`));
    expect(await panel().locator('[data-drain-log]').innerText()).toMatch(/pod\/lonely evicted\n[\s\S]*node\/kubedesk-control-plane drained$/);
    await until('the pod to be gone', async () => (await run('get', 'pods', '--field-selector=metadata.name=lonely', '-o', 'name')).trim() === '', 30_000);
    expect(await run('get', 'node', NODE, '-o', 'jsonpath={.spec.unschedulable}')).toBe('true');
  });
});
