// Checks of RPC parameters shared by the handlers: params arrive as JSON from a window, so each
// handler narrows them, and a wrong one is the caller's error (RpcParamsError), named with its method.
import { RpcParamsError } from './rpc-server.js';

export function paramsRecord(params: unknown, method: string): Record<string, unknown> {
  if (typeof params !== 'object' || params === null) throw new RpcParamsError(`${method}: params must be an object`);
  return params as Record<string, unknown>;
}

export function requiredString(p: Record<string, unknown>, name: string, method: string): string {
  const value = p[name];
  if (typeof value !== 'string' || value === '') throw new RpcParamsError(`${method}: "${name}" must be a non-empty string`);
  return value;
}

/** Absent, null and '' all mean "not given". */
export function optionalString(p: Record<string, unknown>, name: string, method: string): string | undefined {
  return p[name] === undefined || p[name] === null || p[name] === '' ? undefined : requiredString(p, name, method);
}
