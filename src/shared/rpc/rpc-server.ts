// The core side of the RPC: one RpcConnection per client (browser tab or Electron window) so that
// everything a client subscribed to is released when it goes away.
import type { Disposable } from '../disposable.js';
import { isRpcMethodName, type RpcEvents, type RpcEventName, type RpcMessage, type RpcMethods, type RpcMethodName } from './contract.js';

/** Handlers validate their own params: they arrive from outside the process. */
export type RpcHandlers = {
  [M in RpcMethodName]: (params: unknown, connection: RpcConnection) => Promise<RpcMethods[M]['result']> | RpcMethods[M]['result'];
};

export class RpcParamsError extends Error {
  readonly code = 'bad-params';
}

export class RpcConnection implements Disposable {
  private readonly resources = new Set<Disposable>();
  private closed = false;

  constructor(
    private readonly handlers: RpcHandlers,
    private readonly send: (message: RpcMessage) => void,
    private readonly onClose?: () => void,
  ) {}

  emit<E extends RpcEventName>(event: E, payload: RpcEvents[E]): void {
    if (!this.closed) this.send({ type: 'event', event, payload });
  }

  /** Ties a resource to this connection: disposed when the client disconnects. */
  track(resource: Disposable): Disposable {
    if (this.closed) {
      resource.dispose();
      return resource;
    }
    this.resources.add(resource);
    return {
      dispose: () => {
        this.resources.delete(resource);
        resource.dispose();
      },
    };
  }

  async receive(message: RpcMessage): Promise<void> {
    if (message.type !== 'request' || this.closed) return;
    const { id, method } = message;
    if (!isRpcMethodName(method)) {
      this.send({ type: 'response', id, error: { message: `unknown method "${method}"`, code: 'unknown-method' } });
      return;
    }
    try {
      const result: unknown = await this.handlers[method](message.params, this);
      if (!this.closed) this.send({ type: 'response', id, result });
    } catch (error) {
      const code = error instanceof RpcParamsError ? error.code : undefined;
      if (!this.closed) this.send({ type: 'response', id, error: { message: error instanceof Error ? error.message : String(error), code } });
    }
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const resource of this.resources) resource.dispose();
    this.resources.clear();
    this.onClose?.();
  }
}
