// The only bridge between the sandboxed renderer and the app: RPC messages on one channel.
// No ipcRenderer, no Node API, no other channel reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL, type KubedeskBridge } from '../shared/rpc/bridge.js';

const bridge: KubedeskBridge = {
  send(message: unknown): void {
    ipcRenderer.send(IPC_CHANNEL, message);
  },
  onMessage(listener: (message: unknown) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(IPC_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(IPC_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('kubedesk', bridge);
