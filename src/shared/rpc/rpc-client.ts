// The UI side of the RPC: typed calls that resolve with the core's answer, typed event listeners.
import { toDisposable, type Disposable } from '../disposable.js';
import type { RpcEvents, RpcEventName, RpcMessage, RpcMethods, RpcMethodName } from './contract.js';

/** A duplex message channel (WebSocket, Electron IPC, or an in-memory pair in tests). */
export interface RpcTransport {
  send(message: RpcMessage): void;
  onMessage(listener: (message: RpcMessage) => void): Disposable;
}

export class RpcError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'RpcError';
  }
}

export class RpcClient implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly subscription: Disposable;
  private closed = false;

  constructor(private readonly transport: RpcTransport) {
    this.subscription = transport.onMessage((message) => this.receive(message));
  }

  call<M extends RpcMethodName>(method: M, params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']> {
    if (this.closed) return Promise.reject(new RpcError(`cannot call ${method}: the connection to the Kubedesk core is closed`, 'closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as RpcMethods[M]['result']), reject });
      this.transport.send({ type: 'request', id, method, params });
    });
  }

  on<E extends RpcEventName>(event: E, listener: (payload: RpcEvents[E]) => void): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const wrapped = (payload: unknown) => listener(payload as RpcEvents[E]);
    set.add(wrapped);
    return toDisposable(() => set.delete(wrapped));
  }

  /** Fails every pending call: the transport is gone and no answer will come. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const { reject } of this.pending.values()) reject(new RpcError(reason, 'closed'));
    this.pending.clear();
    this.subscription.dispose();
  }

  dispose(): void {
    this.close('the RPC client was disposed');
  }

  private receive(message: RpcMessage): void {
    if (message.type === 'response') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new RpcError(message.error.message, message.error.code));
      else waiter.resolve(message.result);
    } else if (message.type === 'event') {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
    }
  }
}
