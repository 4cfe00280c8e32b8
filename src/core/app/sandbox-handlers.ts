// RPC handlers of the Sandbox page: parameters checked here, the work done by SandboxController.
import type { SandboxRpcMethods } from '../../shared/rpc/sandbox-contract.js';
import { RpcParamsError, type RpcConnection } from '../../shared/rpc/rpc-server.js';
import type { SandboxController } from './sandbox-controller.js';

type Handlers = {
  [M in keyof SandboxRpcMethods]: (params: unknown, connection: RpcConnection) => Promise<SandboxRpcMethods[M]['result']> | SandboxRpcMethods[M]['result'];
};

function name(params: unknown, method: string): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).name : undefined;
  if (typeof value !== 'string' || value === '') throw new RpcParamsError(`${method}: "name" must be a non-empty string`);
  return value;
}

export function sandboxHandlers(sandbox: SandboxController | undefined): Handlers {
  const get = (): SandboxController => {
    if (!sandbox) throw new Error('this Kubedesk runs without its embedded sandbox');
    return sandbox;
  };
  return {
    'sandbox.status': () => get().current,
    'sandbox.start': () => get().start(),
    'sandbox.stop': () => get().stop(),
    'sandbox.reset': (params) => {
      const nodes = typeof params === 'object' && params !== null ? (params as { nodes?: unknown }).nodes : undefined;
      if (nodes !== undefined && (typeof nodes !== 'number' || !Number.isInteger(nodes) || nodes < 1 || nodes > 20)) throw new RpcParamsError('sandbox.reset: "nodes" must be an integer from 1 to 20');
      return get().reset(nodes as number | undefined);
    },
    'sandbox.snapshots.list': () => get().listSnapshots(),
    'sandbox.snapshots.save': (params) => get().saveSnapshot(name(params, 'sandbox.snapshots.save')),
    'sandbox.snapshots.restore': (params) => get().restoreSnapshot(name(params, 'sandbox.snapshots.restore')),
    'sandbox.snapshots.delete': (params) => get().deleteSnapshot(name(params, 'sandbox.snapshots.delete')),
    'sandbox.nodes.list': () => get().listNodes(),
    'sandbox.nodes.add': () => get().addNode(),
    'sandbox.nodes.remove': (params) => get().removeNode(name(params, 'sandbox.nodes.remove')),
    'sandbox.nodes.stop': (params) => get().stopNode(name(params, 'sandbox.nodes.stop')),
    'sandbox.nodes.start': (params) => get().startNode(name(params, 'sandbox.nodes.start')),
    'sandbox.images.list': () => get().images(),
  };
}
