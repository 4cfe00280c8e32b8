// The desktop window's security settings, kept apart from Electron's API so they can be tested
// without Electron's binary: what the renderer may do (nothing a web page may not), the policy its
// content runs under, and which URLs belong to the app.
import { isAbsolute, join, normalize, relative } from 'node:path';

/** The renderer is served from this privileged scheme, so responses can carry a CSP header. */
export const RENDERER_SCHEME = 'kubedesk';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://app`;
export const RENDERER_INDEX = `${RENDERER_ORIGIN}/index.html`;

/**
 * As web mode's policy, but no network at all: the desktop renderer talks to the core over IPC.
 * Monaco writes <style> elements, hence 'unsafe-inline' for styles (scripts stay 'self' only).
 */
export const ELECTRON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const;

export function isAppUrl(url: string): boolean {
  return url.startsWith(`${RENDERER_ORIGIN}/`);
}

/** The file a kubedesk://app/ URL serves, or undefined when it would leave the renderer folder. */
export function rendererFile(url: string, rendererDir: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (`${parsed.protocol}//${parsed.host}` !== RENDERER_ORIGIN) return undefined;
  const path = decodeURIComponent(parsed.pathname);
  const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
  const inside = relative(rendererDir, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return file;
}

/** Links the app shows (documentation, a service's URL) open in the user's browser, never in the app. */
export function openableExternally(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
