// Electron main process: thin glue. The core (clusters, watches, sandbox in a child process) is the
// same as web mode's; this file only makes a locked-down window and carries RPC over IPC.
import { app, BrowserWindow, ipcMain, session, type IpcMainEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend, type Backend } from '../core/app/backend.js';
import { parseRpcMessage, type RpcMessage } from '../shared/rpc/contract.js';
import { IPC_CHANNEL } from '../shared/rpc/bridge.js';
import type { RpcConnection } from '../shared/rpc/rpc-server.js';
import { loadWindowState, saveWindowState } from '../core/app/window-state.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');

let backend: Backend | undefined;
const connections = new Map<number, RpcConnection>();

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

function createWindow(): void {
  const statePath = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(statePath);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    title: 'Kubedesk',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    void saveWindowState(statePath, { ...bounds, maximized: win.isMaximized() }).catch((error: unknown) => {
      process.stderr.write(`kubedesk: could not save the window position to ${statePath}: ${String(error)}\n`);
    });
  });
  const contents = win.webContents;
  // The window shows our page and nothing else: links open nowhere, navigation is refused.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  void win.loadFile(rendererIndex);
}

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  backend = startBackend({ dataDir: join(app.getPath('userData'), 'data'), log: (line) => process.stderr.write(`kubedesk: ${line}\n`) });
  ipcMain.on(IPC_CHANNEL, (event: IpcMainEvent, raw: unknown) => {
    // Only our own page may talk to the core.
    if (!event.senderFrame || !event.senderFrame.url.startsWith('file://')) return;
    const message = parseRpcMessage(raw);
    if (message) void connectionFor(event.sender)?.receive(message);
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}, (error: unknown) => {
  process.stderr.write(`kubedesk: Electron failed to start: ${String(error)}\n`);
  app.exit(1);
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
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
