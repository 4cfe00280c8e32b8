// Narrowing helpers over untyped JSON objects, and the status-handling pieces most strategies share.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `obj[key]`, created (and stored) when missing or not an object. */
export function child(obj: Obj, key: string): Obj {
  const value = obj[key];
  if (isObj(value)) return value;
  const created: Obj = {};
  obj[key] = created;
  return created;
}

/** `obj[key]` if it is an object, else undefined (never creates). */
export function peek(obj: unknown, key: string): Obj | undefined {
  if (!isObj(obj)) return undefined;
  const value = obj[key];
  return isObj(value) ? value : undefined;
}

export function arr(obj: unknown, key: string): unknown[] {
  if (!isObj(obj)) return [];
  const value = obj[key];
  return Array.isArray(value) ? value : [];
}

export function objs(obj: unknown, key: string): Obj[] {
  return arr(obj, key).filter(isObj);
}

export function str(obj: unknown, key: string): string | undefined {
  if (!isObj(obj)) return undefined;
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

export function num(obj: unknown, key: string): number | undefined {
  if (!isObj(obj)) return undefined;
  const value = obj[key];
  return typeof value === 'number' ? value : undefined;
}

export function bool(obj: unknown, key: string): boolean | undefined {
  if (!isObj(obj)) return undefined;
  const value = obj[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** Set `obj[key] = value` only when absent (null counts as absent, as for Go pointers). */
export function def(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Like def, but also replaces "" (Go's zero value for strings). */
export function defStr(obj: Obj, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

export function spec(obj: KubeObject): Obj {
  return child(obj as Obj, 'spec');
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/**
 * The usual status handling for kinds with a status subresource: create resets status, a main
 * update keeps the old status, a status update changes only status.
 */
export function statusSubresource(initialStatus: () => Obj | undefined = () => undefined): Pick<Strategy, 'prepareForCreate' | 'prepareForUpdate' | 'prepareForStatusUpdate'> {
  return {
    prepareForCreate(obj) {
      const status = initialStatus();
      if (status === undefined) delete obj.status;
      else obj.status = status;
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    },
    prepareForStatusUpdate(obj, old) {
      old.status = clone(obj.status);
    },
  };
}
