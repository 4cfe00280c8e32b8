import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_CSP, isAppUrl, openableExternally, RENDERER_INDEX, rendererFile, WEB_PREFERENCES } from './security.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('desktop window security', () => {
  it('gives the renderer no Node, an isolated context and the OS sandbox', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    // main/index.ts builds its windows from these preferences.
    const main = readFileSync(join(ROOT, 'src', 'main', 'index.ts'), 'utf8');
    expect(main).toContain('...WEB_PREFERENCES');
    expect(main).toMatch(/setWindowOpenHandler/);
    expect(main).toMatch(/will-navigate/);
  });

  it('runs the page under a strict CSP: scripts only from the app, no network, no plugins', () => {
    const directives = new Map(ELECTRON_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(ELECTRON_CSP).not.toContain('unsafe-eval');
  });

  it('serves only files inside the renderer folder', () => {
    const dir = '/app/out/renderer';
    expect(rendererFile(RENDERER_INDEX, dir)).toBe('/app/out/renderer/index.html');
    expect(rendererFile('kubedesk://app/assets/main-1.js', dir)).toBe('/app/out/renderer/assets/main-1.js');
    // The URL parser already folds dot segments: this stays inside the folder.
    expect(rendererFile('kubedesk://app/../../etc/passwd', dir)).toBe('/app/out/renderer/etc/passwd');
    // Encoded slashes decode after the parser: they must not climb out either.
    expect(rendererFile('kubedesk://app/..%2f..%2fetc%2fpasswd', dir)).toBeUndefined();
    expect(rendererFile('kubedesk://other/index.html', dir)).toBeUndefined();
    expect(rendererFile('file:///etc/passwd', dir)).toBeUndefined();
    expect(isAppUrl('kubedesk://app/index.html')).toBe(true);
    expect(isAppUrl('kubedesk://app.evil/index.html')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(openableExternally('https://kubernetes.io/docs/')).toBe(true);
    expect(openableExternally('file:///etc/passwd')).toBe(false);
    expect(openableExternally('javascript:alert(1)')).toBe(false);
  });
});
