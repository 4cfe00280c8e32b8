// The registry browser's RPC handlers: parameters checked here, sessions and watches closed with the
// connection that opened them.
import type { RegistryRpcMethods, RegistryTarget } from '../../../shared/rpc/registry-contract.js';
import { RpcParamsError, type RpcConnection } from '../../../shared/rpc/rpc-server.js';
import type { RegistryService } from './registry-service.js';

type Handlers = {
  [M in keyof RegistryRpcMethods]: (params: unknown, connection: RpcConnection) => Promise<RegistryRpcMethods[M]['result']> | RegistryRpcMethods[M]['result'];
};

function record(params: unknown, method: string): Record<string, unknown> {
  if (typeof params !== 'object' || params === null) throw new RpcParamsError(`${method}: params must be an object`);
  return params as Record<string, unknown>;
}

function str(p: Record<string, unknown>, name: string, method: string, allowEmpty = false): string {
  const value = p[name];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) throw new RpcParamsError(`${method}: "${name}" must be a ${allowEmpty ? '' : 'non-empty '}string`);
  return value;
}

function optStr(p: Record<string, unknown>, name: string, method: string): string | undefined {
  return p[name] === undefined || p[name] === '' ? undefined : str(p, name, method);
}

function optInt(p: Record<string, unknown>, name: string, method: string): number | undefined {
  const value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new RpcParamsError(`${method}: "${name}" must be a non-negative integer`);
  return value || undefined;
}

function target(value: unknown): RegistryTarget {
  const t = record(value, 'registry.open target');
  if (t.kind === 'sandbox') return { kind: 'sandbox' };
  if (t.kind !== 'etcd') throw new RpcParamsError('registry.open: target.kind must be "sandbox" or "etcd"');
  const endpoints = t.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0 || !endpoints.every((e) => typeof e === 'string' && /^https?:\/\//.test(e))) {
    throw new RpcParamsError('registry.open: target.endpoints must list URLs such as https://127.0.0.1:2379');
  }
  const m = 'registry.open';
  return { kind: 'etcd', endpoints: endpoints as string[], caFile: optStr(t, 'caFile', m), certFile: optStr(t, 'certFile', m), keyFile: optStr(t, 'keyFile', m) };
}

export function registryHandlers(service: RegistryService): Handlers {
  return {
    'registry.open': async (params, connection) => {
      const info = await service.open(target(record(params, 'registry.open').target));
      connection.track({ dispose: () => void service.close(info.sessionId) });
      return info;
    },
    'registry.close': async (params) => {
      await service.close(str(record(params, 'registry.close'), 'sessionId', 'registry.close'));
      return { ok: true };
    },
    'registry.list': (params) => {
      const m = 'registry.list';
      const p = record(params, m);
      return service.browser(str(p, 'sessionId', m)).list(str(p, 'prefix', m, true), { revision: optInt(p, 'revision', m), after: optStr(p, 'after', m), limit: optInt(p, 'limit', m) });
    },
    'registry.search': (params) => {
      const m = 'registry.search';
      const p = record(params, m);
      return service.browser(str(p, 'sessionId', m)).search(str(p, 'query', m), { revision: optInt(p, 'revision', m), limit: optInt(p, 'limit', m) });
    },
    'registry.get': (params) => {
      const m = 'registry.get';
      const p = record(params, m);
      return service.browser(str(p, 'sessionId', m)).get(str(p, 'key', m), optInt(p, 'revision', m));
    },
    'registry.history': (params) => {
      const m = 'registry.history';
      const p = record(params, m);
      return service.browser(str(p, 'sessionId', m)).history(str(p, 'key', m));
    },
    'registry.watch': async (params, connection) => {
      const m = 'registry.watch';
      const p = record(params, m);
      const result = await service.watch(str(p, 'sessionId', m), str(p, 'prefix', m), (event) => connection.emit('registry.event', event));
      connection.track({ dispose: () => service.unwatch(result.watchId) });
      return result;
    },
    'registry.unwatch': (params) => {
      service.unwatch(str(record(params, 'registry.unwatch'), 'watchId', 'registry.unwatch'));
      return { ok: true };
    },
    'registry.put': (params) => {
      const m = 'registry.put';
      const p = record(params, m);
      const expected = p.expectedModRevision;
      if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) throw new RpcParamsError(`${m}: "expectedModRevision" must be the key's mod revision (0 for a new key)`);
      return service.browser(str(p, 'sessionId', m)).put(str(p, 'key', m), str(p, 'value', m, true), expected);
    },
  };
}
