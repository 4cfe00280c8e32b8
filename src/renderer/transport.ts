// How the renderer reaches the core: Electron's preload bridge when present, else the WebSocket of
// web mode (same origin, token from the page URL or the cookie set with the page).
import { toDisposable, type Disposable } from '../shared/disposable.js';
import { parseRpcMessage, type RpcMessage } from '../shared/rpc/contract.js';
import type { RpcTransport } from '../shared/rpc/rpc-client.js';
import type { KubedeskBridge } from '../shared/rpc/bridge.js';

declare global {
  interface Window {
    kubedesk?: KubedeskBridge;
  }
}

export interface ClosableTransport extends RpcTransport {
  ready: Promise<void>;
  onClose(listener: (reason: string) => void): void;
}

export function ipcTransport(bridge: KubedeskBridge): ClosableTransport {
  return {
    ready: Promise.resolve(),
    send: (message) => bridge.send(message),
    onMessage: (listener) => toDisposable(bridge.onMessage((raw) => {
      const message = parseRpcMessage(raw);
      if (message) listener(message);
    })),
    onClose: () => undefined,
  };
}

export function webSocketTransport(token: string | null): ClosableTransport {
  const url = new URL('/rpc', window.location.href);
  url.protocol = 'ws:';
  if (token) url.searchParams.set('token', token);
  const ws = new WebSocket(url);
  const listeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  const queue: string[] = [];
  ws.addEventListener('message', (event) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(event.data));
    } catch {
      return;
    }
    const message = parseRpcMessage(parsed);
    if (message) for (const l of listeners) l(message);
  });
  ws.addEventListener('close', (event) => {
    for (const l of closeListeners) l(event.reason || `WebSocket closed (code ${event.code})`);
  });
  const ready = new Promise<void>((resolve) => ws.addEventListener('open', () => {
    for (const m of queue.splice(0)) ws.send(m);
    resolve();
  }));
  return {
    ready,
    send: (message) => {
      const text = JSON.stringify(message);
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else queue.push(text);
    },
    onMessage: (listener): Disposable => {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
    onClose: (listener) => void closeListeners.add(listener),
  };
}
