// Terminals in Chromium against the app's sandbox: etcdctl pointed at the sandbox's etcd, the
// terminal's search box, attach to a `kubectl run -it` style container, and a shell on a node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { kubectl, openSandboxPage, until, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;

const terminalText = () => page.locator('.terminal-box:visible .xterm-rows').innerText();

async function selectPod(name: string): Promise<void> {
  await page.locator('button[data-kind="pods"]').click();
  await page.locator(`table[data-kind="pods"] tr[data-name="${name}"]`).click();
}

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxPage());
  const kc = app.sandboxKubeconfig;
  // As `kubectl run -it` creates it, without attaching from the command line.
  await kubectl(kc, 'run', 'attachy', '--image=busybox', '--restart=Never', '-i', '-t', '--attach=false', '--', 'sh');
  await kubectl(kc, 'wait', '--for=condition=Ready', 'pod/attachy', '--timeout=90s');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('terminals', () => {
  it('a sandbox terminal has etcdctl pointed at the sandbox etcd', async () => {
    await page.locator('[data-action="new-terminal"]').click();
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('echo "EP=$ETCDCTL_ENDPOINTS"; etcdctl get /registry/namespaces/default --print-value-only | tr -c "[:print:]" " "; echo; echo "ETCD""DONE"\r');
    await until('etcdctl output', async () => (await terminalText()).includes('ETCDDONE'), 30_000);
    const text = await terminalText();
    expect(text).toMatch(/EP=https:\/\/127\.0\.0\.1:\d+/);
    // The stored object: its kind and phase are only in the value, not in the command line.
    expect(text).toMatch(/Namespace/);
    expect(text).toContain('Active');
  });

  it('the search box (Ctrl+Shift+F) finds, steps through and counts matches', async () => {
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('for i in 1 2 3; do echo "needle-$i"; done\r');
    await until('the loop output', async () => (await terminalText()).includes('needle-3'));
    await page.keyboard.press('Control+Shift+F');
    const box = page.getByLabel('Search the terminal');
    await box.waitFor();
    await box.fill('needle-[0-9]');
    await page.locator('.terminal-search input[type="checkbox"]').check();
    await box.press('Enter');
    const counter = page.locator('.terminal-search-count');
    await until('three matches', async () => (await counter.getAttribute('data-count')) === '3', 10_000);
    const first = await counter.getAttribute('data-index');
    await page.locator('[data-action="search-next"]').click();
    await until('the next match', async () => (await counter.getAttribute('data-index')) !== first, 10_000);
    await page.locator('[data-action="search-previous"]').click();
    await until('back to the first', async () => (await counter.getAttribute('data-index')) === first, 10_000);
    await box.fill('no-such-text');
    await box.press('Enter');
    await until('no match', async () => (await counter.getAttribute('data-count')) === '0', 10_000);
    await box.press('Escape');
    await expect(box.count()).resolves.toBe(0);
  });

  it("the terminal's colours follow the app's theme", async () => {
    const background = () => page.locator('.terminal-box:visible .xterm-viewport').evaluate((el) => getComputedStyle(el).backgroundColor);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    expect(await background()).toBe('rgb(29, 35, 48)');
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  });

  it('copy and paste with Ctrl+Shift+C and Ctrl+Shift+V', async () => {
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.base });
    await page.locator('.dock-tab button[role="tab"]', { hasText: '$ sandbox' }).click();
    await page.locator('.terminal-box:visible').click();
    await page.evaluate(() => navigator.clipboard.writeText('echo "pasted-$((2+3))"'));
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await until('the pasted command to run', async () => (await terminalText()).includes('pasted-5'));
    // Pasted once: the browser's own Ctrl+Shift+V must not paste a second copy.
    expect((await terminalText()).match(/echo "pasted-\$\(\(2\+3\)\)"/g)).toHaveLength(1);
    // Select the output line (triple click selects a terminal line), copy it.
    const box = await page.locator('.terminal-box:visible .xterm-rows').evaluate((rows) => {
      const row = [...rows.children].reverse().find((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trim() === 'pasted-5');
      const rect = row?.getBoundingClientRect();
      return rect ? { x: rect.x, y: rect.y, height: rect.height } : undefined;
    });
    if (!box) throw new Error(`the output line is not on screen: ${JSON.stringify(await page.locator('.terminal-box:visible .xterm-rows').evaluate((rows) => [...rows.children].map((r) => r.textContent)))}`);
    await page.mouse.click(box.x + 10, box.y + box.height / 2, { clickCount: 3 });
    await page.keyboard.press('Control+Shift+C');
    await until('the selection in the clipboard', async () => (await page.evaluate(() => navigator.clipboard.readText())).includes('pasted-5'), 10_000);
  });

  it('attach reaches the main process of a `kubectl run -it` container and shows its exit status', async () => {
    await selectPod('attachy');
    await page.locator('[data-action="attach"]').click();
    await page.locator('.dock-tab', { hasText: 'attach attachy/attachy' }).waitFor();
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('echo "answer-$((6*7))"\r');
    await until('the attached shell answers', async () => (await terminalText()).includes('answer-42'), 30_000);
    await page.keyboard.type('exit 4\r');
    await page.locator('.dock-tab [data-exit="4"]').waitFor({ timeout: 30_000 });
    const phase = await kubectl(app.sandboxKubeconfig, 'get', 'pod', 'attachy', '-o', 'jsonpath={.status.phase}');
    expect(phase).toBe('Failed');
  });

  it("a node shell opens on the pod's node: its hostname, its pods' logs; the pod goes when the tab closes", async () => {
    const kc = app.sandboxKubeconfig;
    const node = await kubectl(kc, 'get', 'pod', 'attachy', '-o', 'jsonpath={.spec.nodeName}');
    expect(node).not.toBe('');
    await selectPod('attachy');
    await page.locator('[data-action="node-shell"]').click();
    const tab = page.locator('.dock-tab', { hasText: `node/${node}` });
    await tab.waitFor({ timeout: 90_000 });
    await until('a prompt', async () => (await terminalText()).includes('#'), 30_000);
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('echo "HOST=$(hostname)"; ls /var/log/pods\r');
    await until('the node view', async () => {
      const text = await terminalText();
      return text.includes(`HOST=${node}`) && text.includes('default_attachy_');
    }, 30_000);
    const shellPods = () => kubectl(kc, 'get', 'pods', '-n', 'kube-system', '-l', 'app.kubernetes.io/managed-by=kubedesk', '-o', 'name');
    expect(await shellPods()).toMatch(/pod\/node-shell-/);
    await tab.getByRole('button', { name: `Close node/${node}` }).click();
    await until('the node shell pod to be deleted', async () => (await shellPods()).trim() === '', 60_000);
  });
});
