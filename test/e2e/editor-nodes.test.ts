// Node actions from the object panel against the app's real sandbox: cordon and uncordon, and a
// drain that evicts through the Eviction API, leaves DaemonSet pods, and reports the pod a
// PodDisruptionBudget protects instead of forcing it out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { kubectl, openSandboxPage, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;
let node: string;

const panel = (): Locator => page.locator('.object-panel');
const run = (...args: string[]): Promise<string> => kubectl(app.sandboxKubeconfig, ...args);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxPage());
  // One guarded pod: its PodDisruptionBudget allows no disruption.
  await run('create', 'deployment', 'guarded', '--image=nginx', '--replicas=1');
  await run('create', 'poddisruptionbudget', 'guarded', '--selector=app=guarded', '--min-available=1');
  node = await until('the guarded pod to be scheduled', async () => {
    const n = await run('get', 'pods', '-l', 'app=guarded', '-o', 'jsonpath={.items[0].spec.nodeName}');
    return n || undefined;
  });
  // A Pending pod may always be evicted (as upstream): the budget only protects it once it runs.
  await run('wait', '--for=condition=Ready', 'pod', '-l', 'app=guarded', '--timeout=120s');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openNode(): Promise<void> {
  await page.locator('button[data-kind="nodes"]').click();
  const row = page.locator(`table[data-kind="nodes"] tr[data-name="${node}"]`);
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator(`.object-panel[data-object-name="${node}"]`).waitFor({ timeout: 15_000 });
}

describe('node actions', () => {
  it('shows the node with its conditions, capacity and pods', async () => {
    await openNode();
    await panel().locator('[data-condition="Ready"]').waitFor({ timeout: 15_000 });
    await panel().locator('[data-list="pods"]').getByText(/default\/guarded-/).waitFor({ timeout: 30_000 });
  });

  it('cordons and uncordons', async () => {
    await panel().locator('[data-action="cordon"]').click();
    await until('the node to be unschedulable', async () => ((await run('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}')) === 'true' ? true : undefined));
    await panel().locator('[data-node="cordoned"]').waitFor({ timeout: 15_000 });
    await panel().locator('[data-action="uncordon"]').click();
    await until('the node to be schedulable', async () => ((await run('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}')) === '' ? true : undefined));
  });

  it('drains: evicts what it may, reports the pod the PDB protects', async () => {
    await panel().locator('[data-action="drain"]').click();
    // kubectl drain waits for the budget forever: here the form gives up after 20 s.
    await panel().locator('[data-form="drain"] input[name="timeout"]').fill('20');
    await panel().locator('[data-action="confirm-drain"]').click();
    // kubectl's lines, live, while it retries the refused eviction.
    await panel().locator('[data-drain-log]').getByText(/error when evicting pods\/"guarded-[\w-]+" -n "default" \(will retry after 5s\)/).waitFor({ timeout: 60_000 });
    const report = panel().locator('[data-result="drain"]');
    await report.getByText(/Drain of .* incomplete/).waitFor({ timeout: 90_000 });
    const text = await report.innerText();
    expect(text).toMatch(/Blocked: default\/guarded-[\w-]+: .*disruption budget/i);
    expect(text).toMatch(/Left: kube-system\/kube-proxy-[\w-]+: DaemonSet pod/);
    expect(await run('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}')).toBe('true');
    // The guarded pod is still running where it was.
    expect(await run('get', 'pods', '-l', 'app=guarded', '-o', 'jsonpath={.items[0].spec.nodeName}')).toBe(node);
  });
});
