// The narrow API Electron's preload puts on `window.kubedesk`: raw RPC messages in both directions,
// nothing else (no ipcRenderer, no Node).
export interface KubedeskBridge {
  send(message: unknown): void;
  /** Returns the function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export const IPC_CHANNEL = 'kubedesk:rpc';
