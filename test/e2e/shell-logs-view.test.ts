// The logs view in Chromium against the app's sandbox: long lines wrapped without clipping or
// overlapping, the regex filter, search highlights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { kubectl, openSandboxPage, until, type WebApp } from './web-app.js';

let app: WebApp;
let browser: BrowserContext;
let page: Page;

const LONG = 'x'.repeat(400);

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxPage());
  const kc = app.sandboxKubeconfig;
  await kubectl(kc, 'run', 'talker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', `i=0; while true; do echo "short $i"; echo "long-start-$i ${LONG} long-end-$i"; echo "WARN odd $i"; i=$((i+1)); sleep 1; done`);
  await kubectl(kc, 'wait', '--for=condition=Ready', 'pod/talker', '--timeout=90s');
  await page.locator('button[data-kind="pods"]').click();
  await page.locator('table[data-kind="pods"] tr[data-name="talker"]').click();
  await page.locator('[data-action="logs"]').click();
  await until('a few lines', async () => Number(await page.locator('.log-count').getAttribute('data-count')) >= 6);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

interface RowBox {
  text: string;
  top: number;
  bottom: number;
  clipped: boolean;
}

const rows = () =>
  page.locator('.log-row').evaluateAll((els) =>
    els.map((el): RowBox => {
      const r = el.getBoundingClientRect();
      const text = el.querySelector('.log-text') as HTMLElement;
      const t = text.getBoundingClientRect();
      return { text: text.textContent ?? '', top: r.top, bottom: r.bottom, clipped: el.scrollWidth > el.clientWidth + 1 || t.bottom > r.bottom + 1 };
    }),
  );

describe('logs view', () => {
  it('wrap shows long lines whole, without clipping or overlapping the next row', async () => {
    const before = (await rows()).find((r) => r.text.startsWith('long-start'));
    expect(before?.clipped).toBe(true);
    await page.getByLabel('Wrap').check();
    await until('wrapped rows', async () => {
      const all = await rows();
      const long = all.filter((r) => r.text.startsWith('long-start'));
      if (long.length === 0 || long.some((r) => r.clipped || r.bottom - r.top < 36)) return false;
      const sorted = [...all].sort((a, b) => a.top - b.top);
      return sorted.every((r, i) => i === 0 || r.top >= sorted[i - 1].bottom - 1);
    }, 15_000);
    await page.getByLabel('Wrap').uncheck();
  });

  it('the regex filter keeps matching lines only, and search highlights', async () => {
    await page.getByLabel('Filter logs').fill('^WARN odd [0-9]+$');
    await until('only WARN lines', async () => {
      const all = await rows();
      return all.length > 0 && all.every((r) => /^WARN odd \d+$/.test(r.text));
    }, 15_000);
    await page.getByLabel('Search logs').fill('odd');
    await until('highlights', async () => (await page.locator('.log-row mark').count()) > 0, 15_000);
    expect(await page.locator('.log-row mark').first().textContent()).toBe('odd');
    await page.getByLabel('Filter logs').fill('');
    await until('all lines back', async () => (await rows()).some((r) => r.text.startsWith('short')), 15_000);
  });
});
