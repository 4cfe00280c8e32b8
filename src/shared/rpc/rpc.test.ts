import { describe, expect, it } from 'vitest';
import { toDisposable } from '../disposable.js';
import type { RpcMessage } from './contract.js';
import { parseRpcMessage, RPC_METHOD_NAMES } from './contract.js';
import { REGISTRY_METHOD_NAMES } from './registry-contract.js';
import { SHELL_RPC_METHOD_NAMES } from './terminal-contract.js';
import { RpcClient, RpcError, type RpcTransport } from './rpc-client.js';
import { RpcConnection, RpcParamsError, type RpcHandlers } from './rpc-server.js';

/** Client and server joined by JSON round trips, as over a real socket. */
function pair(handlers: RpcHandlers) {
  const clientListeners = new Set<(m: RpcMessage) => void>();
  const connection = new RpcConnection(handlers, (m) => {
    const copy = parseRpcMessage(JSON.parse(JSON.stringify(m)));
    if (copy) for (const l of clientListeners) l(copy);
  });
  const transport: RpcTransport = {
    send: (m) => {
      const copy = parseRpcMessage(JSON.parse(JSON.stringify(m)));
      if (copy) void connection.receive(copy);
    },
    onMessage: (l) => {
      clientListeners.add(l);
      return toDisposable(() => clientListeners.delete(l));
    },
  };
  return { client: new RpcClient(transport), connection };
}

const disposed: string[] = [];
const handlers: RpcHandlers = {
  // Every method of the contract refuses unless defined below: this file tests the machinery.
  ...unusedHandlers(),
  'clusters.list': () => [{ id: 'sandbox', name: 'Sandbox', source: 'sandbox', server: 'https://x', state: 'connected' }],
  'clusters.connect': (params) => {
    if (typeof params !== 'object' || params === null || typeof (params as { clusterId?: unknown }).clusterId !== 'string') throw new RpcParamsError('clusterId must be a string');
    throw new Error('unknown cluster "nope"');
  },
  'watch.subscribe': (_params, connection) => {
    connection.track({ dispose: () => disposed.push('watch') });
    connection.emit('watch.delta', { subscriptionId: 's1', upserts: [], deletes: ['u1'] });
    return { subscriptionId: 's1' };
  },
  'watch.unsubscribe': () => ({ ok: true }),
  ...unusedRegistryHandlers(),
  ...unusedShellHandlers(),
};

function unusedHandlers(): RpcHandlers {
  const refuse = (): never => {
    throw new Error('not served in this test');
  };
  return Object.fromEntries(RPC_METHOD_NAMES.map((m) => [m, refuse])) as unknown as RpcHandlers;
}

/** This file tests the RPC machinery; the registry's handlers have their own tests. */
function unusedRegistryHandlers(): Pick<RpcHandlers, (typeof REGISTRY_METHOD_NAMES)[number]> {
  const refuse = (): never => {
    throw new Error('not served in this test');
  };
  return Object.fromEntries(REGISTRY_METHOD_NAMES.map((m) => [m, refuse])) as unknown as Pick<RpcHandlers, (typeof REGISTRY_METHOD_NAMES)[number]>;
}

function unusedShellHandlers(): Pick<RpcHandlers, (typeof SHELL_RPC_METHOD_NAMES)[number]> {
  const refuse = (): never => {
    throw new Error('not served in this test');
  };
  return Object.fromEntries(SHELL_RPC_METHOD_NAMES.map((m) => [m, refuse])) as unknown as Pick<RpcHandlers, (typeof SHELL_RPC_METHOD_NAMES)[number]>;
}

describe('RPC', () => {
  it('answers calls with typed results and carries events', async () => {
    const { client } = pair(handlers);
    const deltas: string[][] = [];
    client.on('watch.delta', (d) => deltas.push(d.deletes));
    expect(await client.call('clusters.list', {})).toEqual([expect.objectContaining({ id: 'sandbox', state: 'connected' })]);
    expect(await client.call('watch.subscribe', { clusterId: 'sandbox', kind: 'pods' })).toEqual({ subscriptionId: 's1' });
    expect(deltas).toEqual([['u1']]);
  });

  it('turns handler failures and bad params into rejected calls with the reason', async () => {
    const { client } = pair(handlers);
    await expect(client.call('clusters.connect', { clusterId: 'nope' })).rejects.toThrow('unknown cluster "nope"');
    const bad = client.call('clusters.connect', { clusterId: 42 } as unknown as { clusterId: string });
    await expect(bad).rejects.toMatchObject({ code: 'bad-params' });
  });

  it('refuses methods outside the contract', async () => {
    const answers: RpcMessage[] = [];
    const connection = new RpcConnection(handlers, (m) => answers.push(m));
    await connection.receive({ type: 'request', id: 7, method: 'process.exit', params: {} });
    expect(answers).toEqual([{ type: 'response', id: 7, error: { message: 'unknown method "process.exit"', code: 'unknown-method' } }]);
  });

  it('releases what a connection subscribed to when it closes, and then stays silent', async () => {
    disposed.length = 0;
    const sent: RpcMessage[] = [];
    let closed = 0;
    const connection = new RpcConnection(handlers, (m) => sent.push(m), () => closed++);
    await connection.receive({ type: 'request', id: 1, method: 'watch.subscribe', params: {} });
    connection.dispose();
    connection.dispose();
    expect(disposed).toEqual(['watch']);
    expect(closed).toBe(1);
    const before = sent.length;
    connection.emit('clusters.changed', []);
    await connection.receive({ type: 'request', id: 2, method: 'clusters.list', params: {} });
    expect(sent.length).toBe(before);
  });

  it('fails pending calls when the transport closes', async () => {
    const transport: RpcTransport = { send: () => undefined, onMessage: () => toDisposable(() => undefined) };
    const client = new RpcClient(transport);
    const pending = client.call('clusters.list', {});
    client.close('socket closed');
    await expect(pending).rejects.toBeInstanceOf(RpcError);
    await expect(client.call('clusters.list', {})).rejects.toThrow(/closed/);
  });

  it('rejects malformed envelopes', () => {
    expect(parseRpcMessage(null)).toBeUndefined();
    expect(parseRpcMessage({ type: 'request', id: '1', method: 'x' })).toBeUndefined();
    expect(parseRpcMessage({ type: 'response', id: 1, error: 'boom' })).toBeUndefined();
    expect(parseRpcMessage({ type: 'event', event: 'clusters.changed', payload: [] })).toEqual({ type: 'event', event: 'clusters.changed', payload: [] });
  });
});
