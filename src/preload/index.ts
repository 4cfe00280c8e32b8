// The only bridge between the sandboxed renderer and the app: RPC messages on one channel.
// No ipcRenderer, no Node API, no other channel reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL, type KubedeskBridge } from '../shared/rpc/bridge.js';
import { isRpcMethodName, parseRpcMessage } from '../shared/rpc/contract.js';

const bridge: KubedeskBridge = {
  // Allowlist: only requests for the contract's methods leave the page; anything else is dropped
  // here, before it reaches the main process.
  send(message: unknown): void {
    const parsed = parseRpcMessage(message);
    if (parsed?.type !== 'request' || !isRpcMethodName(parsed.method)) return;
    ipcRenderer.send(IPC_CHANNEL, parsed);
  },
  onMessage(listener: (message: unknown) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(IPC_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(IPC_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('kubedesk', bridge);
