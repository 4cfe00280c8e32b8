// Deep copy of plain JSON data (what JSON.parse returns). structuredClone is several times slower on
// such data because it supports every type and shared references; the sandbox copies each object
// on most writes and for each watcher, so this is one of its hottest paths.

/** Past this depth, or on anything but plain objects, arrays and primitives, structuredClone takes over (cycles, Dates, buffers). */
const MAX_DEPTH = 64;

export function cloneJson<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return structuredClone(value);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}
