// The terminal dock, pod shells, logs and port-forwards in Chromium against the app's sandbox.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { kubectl, openSandboxPage, until, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;

const terminalText = () => page.locator('.terminal-box:visible .xterm-rows').innerText();

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxPage());
  const kc = app.sandboxKubeconfig;
  await kubectl(kc, 'create', 'configmap', 'settings', '--from-literal=GREETING=bonjour', '--from-literal=COLOUR=blue');
  await kubectl(kc, 'create', 'deployment', 'pinger', '--image=busybox', '--replicas=3', '--', 'sh', '-c', 'i=0; while true; do echo "ping $i"; i=$((i+1)); sleep 1; done');
  await kubectl(kc, 'create', 'deployment', 'web', '--image=nginx', '--port=80');
  await kubectl(kc, 'run', 'shelly', '--image=busybox', '--restart=Never', '--overrides={"spec":{"containers":[{"name":"shelly","image":"busybox","command":["sleep","3600"],"envFrom":[{"configMapRef":{"name":"settings"}}]}]}}');
  await kubectl(kc, 'wait', '--for=condition=Ready', 'pod/shelly', '--timeout=90s');
  await kubectl(kc, 'rollout', 'status', 'deploy/pinger', '--timeout=90s');
  await kubectl(kc, 'rollout', 'status', 'deploy/web', '--timeout=90s');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('terminal dock, pod shells, logs, port-forwards', () => {
  it('a terminal tab runs kubectl get pods against the sandbox', async () => {
    await page.locator('[data-action="new-terminal"]').click();
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('kubectl get pods\r');
    await until('kubectl output', async () => /shelly\s+1\/1\s+Running/.test(await terminalText()));
  });

  it('a pod shell shows the ConfigMap variables and exit 3 shows exit status 3', async () => {
    await page.locator('button[data-kind="pods"]').click();
    await page.locator('table[data-kind="pods"] tr[data-name="shelly"]').click();
    await page.locator('[data-action="shell"]').click();
    await page.locator('.dock-tab', { hasText: 'shelly/shelly' }).waitFor();
    await until('a prompt', async () => (await terminalText()).includes('#'));
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('env\r');
    await until('env output', async () => {
      const text = await terminalText();
      return text.includes('GREETING=bonjour') && text.includes('COLOUR=blue');
    });
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-pod-shell.png') });
    await page.keyboard.type('exit 3\r');
    await page.locator('.dock-tab [data-exit="3"]').waitFor({ timeout: 20_000 });
  });

  it("following a pinging pod's logs shows new lines each second", async () => {
    const pod = page.locator('table[data-kind="pods"] tr[data-name^="pinger-"]').first();
    await pod.click();
    await page.locator('[data-action="logs"]').click();
    const count = async () => Number(await page.locator('.log-count').getAttribute('data-count'));
    await until('first lines', async () => (await count()) > 0);
    const before = await count();
    await new Promise((r) => setTimeout(r, 3500));
    expect(await count()).toBeGreaterThanOrEqual(before + 2);
  });

  it('the logs of a 3-replica deployment show all three pods', async () => {
    await page.locator('button[data-kind="deployments"]').click();
    await page.locator('table[data-kind="deployments"] tr[data-name="pinger"]').click();
    await page.locator('[data-action="logs"]').click();
    await page.locator('.logs-view[data-logs="deploy/pinger"]').waitFor();
    await until('lines from three pods', async () => {
      const pods = await page.locator('.log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pod')));
      return new Set(pods).size === 3;
    });
    await page.screenshot({ path: join(tmpdir(), 'kubedesk-e2e-logs.png') });
  });

  it('a port-forward to nginx serves its page', async () => {
    await page.locator('button[data-kind="pods"]').click();
    await page.locator('table[data-kind="pods"] tr[data-name^="web-"]').first().click();
    const popup = page.context().waitForEvent('page');
    await page.locator('[data-action="port-forward"]').click();
    const href = await page.locator('.forward a').first().getAttribute('href');
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(href!)).text()).toContain('Welcome to nginx');
    const opened = await popup;
    await opened.waitForLoadState();
    expect(await opened.content()).toContain('Welcome to nginx');
  });

  it('terminals survive a reload of the window, and every shell ends when the app quits', async () => {
    await page.locator('.dock-tab button[role="tab"]', { hasText: '$ sandbox' }).click();
    await page.locator('.terminal-box:visible').click();
    await page.keyboard.type('echo "SHELL""PID=$$"\r');
    await until('the shell pid', async () => /SHELLPID=\d+/.test(await terminalText()));
    const pid = Number(/SHELLPID=(\d+)/.exec(await terminalText())![1]);
    await page.reload();
    await page.locator('.dock-tab button[role="tab"]', { hasText: '$ sandbox' }).click();
    await until('the output replayed after the reload', async () => (await terminalText()).includes(`SHELLPID=${pid}`));
    expect(() => process.kill(pid, 0)).not.toThrow();
    await app.stop();
    await until('the shell to end with the app', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 20_000);
  });
});
