// Electron main process: thin glue. The core (settings, clusters, watches, sandbox in a child
// process) is the same as web mode's; this file only makes a locked-down window (security.ts),
// serves the renderer from a privileged scheme with its CSP, and carries RPC over IPC.
import { app, BrowserWindow, ipcMain, net, protocol, screen, session, shell, type IpcMainEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { startBackend, type Backend } from '../core/app/backend.js';
import { parseRpcMessage, type RpcMessage } from '../shared/rpc/contract.js';
import { IPC_CHANNEL } from '../shared/rpc/bridge.js';
import type { RpcConnection } from '../shared/rpc/rpc-server.js';
import { DEFAULT_WINDOW_STATE, loadWindowState, placeOnScreen, type WindowState } from '../core/app/window-state.js';
import { ELECTRON_CSP, isAppUrl, openableExternally, RENDERER_INDEX, RENDERER_SCHEME, rendererFile, WEB_PREFERENCES } from './security.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');

// Before `ready`: the renderer's scheme behaves as a secure, standard origin (workers, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let backend: Backend | undefined;
const connections = new Map<number, RpcConnection>();

// One Kubedesk per user: a second one would fight the first over the sandbox's data directory.
// Launching it again brings the running window forward instead.
if (!app.requestSingleInstanceLock()) app.exit(0);
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

function connectionFor(contents: WebContents): RpcConnection | undefined {
  if (!backend) return undefined;
  let connection = connections.get(contents.id);
  if (!connection) {
    connection = backend.app.connect((message: RpcMessage) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, message);
    });
    connections.set(contents.id, connection);
    const drop = () => {
      connections.get(contents.id)?.dispose();
      connections.delete(contents.id);
    };
    contents.once('destroyed', drop);
    // A reload starts a new page: its old subscriptions must not leak.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) drop();
    });
  }
  return connection;
}

/** The window's last place from the settings (or the file older versions kept), on a visible screen. */
function initialWindowState(current: Backend): WindowState {
  const saved = current.settings.get().window ?? loadWindowState(join(app.getPath('userData'), 'window-state.json'));
  return placeOnScreen(saved ?? DEFAULT_WINDOW_STATE, screen.getAllDisplays().map((d) => d.workArea));
}

function createWindow(current: Backend): void {
  const state = initialWindowState(current);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 500,
    title: 'Kubedesk',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    current.settings.update({ window: { ...bounds, maximized: win.isMaximized() } }).catch((error: unknown) => {
      process.stderr.write(`kubedesk: could not save the window position in the settings: ${String(error)}\n`);
    });
  });
  void win.loadURL(RENDERER_INDEX);
}

app.whenReady().then(() => {
  // The renderer's files, each with the CSP: file:// responses carry no headers, this scheme does.
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const file = rendererFile(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', ELECTRON_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Run from the project (`npm start`), terminals get the project's kubectl first, as in web mode;
  // a packaged app ships no kubectl and uses the user's PATH.
  const toolDirs = app.isPackaged ? [] : [join(app.getAppPath(), '.tools', 'bin')];
  const current = startBackend({ dataDir: join(app.getPath('userData'), 'data'), toolDirs, log: (line) => process.stderr.write(`kubedesk: ${line}\n`) });
  backend = current;
  ipcMain.on(IPC_CHANNEL, (event: IpcMainEvent, raw: unknown) => {
    // Only our own page's main frame may talk to the core.
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) return;
    const message = parseRpcMessage(raw);
    if (message) void connectionFor(event.sender)?.receive(message);
  });
  createWindow(current);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(current);
  });
}, (error: unknown) => {
  process.stderr.write(`kubedesk: Electron failed to start: ${String(error)}\n`);
  app.exit(1);
});

// Every web contents, whatever created it: our page and nothing else, no new windows, no webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // A link the UI shows (documentation, a service URL) opens in the user's browser.
    if (openableExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('will-quit', (event) => {
  if (quitting || !backend) return;
  event.preventDefault();
  quitting = true;
  void backend.dispose().finally(() => app.exit(0));
});
