// The RPC client the object panel and editor use, handed over once by main.tsx: the panel is
// mounted deep in the layout and must not thread the client through every component.
import type { RpcClient } from '../../shared/rpc/rpc-client.js';

let client: RpcClient | undefined;

export function provideObjectRpc(rpc: RpcClient): void {
  client = rpc;
}

export function objectRpc(): RpcClient {
  if (!client) throw new Error('the object panel has no RPC client: main.tsx must call provideObjectRpc(rpc) at start');
  return client;
}
