// Narrowing helpers over untyped JSON objects (what JSON.parse gives), shared by every layer that
// reads Kubernetes objects without a typed model: admission, strategies, printers, the UI.

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` if it is an object, else undefined (never creates). */
export function peek(obj: unknown, key: string): Obj | undefined {
  if (!isObj(obj)) return undefined;
  const value = obj[key];
  return isObj(value) ? value : undefined;
}

/** The object at `obj[key]`, created (and stored) when missing or not an object. */
export function child(obj: Obj, key: string): Obj {
  const value = obj[key];
  if (isObj(value)) return value;
  const created: Obj = {};
  obj[key] = created;
  return created;
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

/** A map of strings (labels, annotations), dropping values that are not strings. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
