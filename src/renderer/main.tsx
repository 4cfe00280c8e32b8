// Renderer entry: picks the transport (Electron bridge or web mode's WebSocket), starts the store,
// renders the app.
import { createRoot } from 'react-dom/client';
import { autorun } from 'mobx';
import { RpcClient } from '../shared/rpc/rpc-client.js';
import { AppStore } from './app-store.js';
import { ShellStore } from './shell/shell-store.js';
import { App } from './components/app.js';
import { installFrame } from './palette/frame-store.js';
import { i18n } from './i18n.js';
import { ipcTransport, webSocketTransport } from './transport.js';
import { provideObjectRpc } from './object/object-rpc.js';
import './styles.css';

const params = new URLSearchParams(window.location.search);
const token = params.get('token');
// The token is now in an HttpOnly cookie: keep it out of the address bar, history and screenshots.
if (token) history.replaceState(null, '', window.location.pathname);

const transport = window.kubedesk ? ipcTransport(window.kubedesk) : webSocketTransport(token);
const rpc = new RpcClient(transport);
provideObjectRpc(rpc);
const store = new AppStore(rpc);
const shell = new ShellStore(rpc);
installFrame(rpc, store, shell);
transport.onClose((reason) => {
  rpc.close(reason);
  store.lost(reason);
});
autorun(() => {
  document.documentElement.lang = i18n.locale;
  document.title = store.cluster ? `${store.cluster.name} · Kubedesk` : 'Kubedesk';
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<App store={store} shell={shell} />);
void shell.restore().catch(() => undefined);
void store.start().catch((error: unknown) => store.lost(error instanceof Error ? error.message : String(error)));
