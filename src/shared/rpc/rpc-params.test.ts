import { describe, expect, it } from 'vitest';
import { optionalString, paramsRecord, requiredString } from './rpc-params.js';
import { RpcParamsError } from './rpc-server.js';

describe('rpc params', () => {
  it('accepts an object and rejects anything else, naming the method', () => {
    expect(paramsRecord({ a: 1 }, 'm')).toEqual({ a: 1 });
    expect(() => paramsRecord(null, 'logs.start')).toThrow(new RpcParamsError('logs.start: params must be an object'));
    expect(() => paramsRecord('x', 'm')).toThrow(RpcParamsError);
  });

  it('requires non-empty strings; optional ones may be absent, null or empty', () => {
    expect(requiredString({ name: 'web' }, 'name', 'm')).toBe('web');
    expect(() => requiredString({ name: '' }, 'name', 'm')).toThrow('m: "name" must be a non-empty string');
    expect(() => requiredString({ name: 3 }, 'name', 'm')).toThrow(RpcParamsError);
    expect(optionalString({}, 'namespace', 'm')).toBeUndefined();
    expect(optionalString({ namespace: null }, 'namespace', 'm')).toBeUndefined();
    expect(optionalString({ namespace: '' }, 'namespace', 'm')).toBeUndefined();
    expect(optionalString({ namespace: 'kube-system' }, 'namespace', 'm')).toBe('kube-system');
    expect(() => optionalString({ namespace: 7 }, 'namespace', 'm')).toThrow('m: "namespace" must be a non-empty string');
  });
});
