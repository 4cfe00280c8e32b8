// Shared by KvObjectStorage and the cacher: how objects are stored (JSON without resourceVersion),
// how resourceVersions and continue tokens are read, and how KV errors become StorageErrors.
import type { KubeObject } from '../../../shared/kube.js';
import { CompactedError, FutureRevisionError, StoreUnavailableError } from './kv.js';
import { StorageError } from './storage.js';
import { cloneJson } from './json-clone.js';

const decoder = new TextDecoder();

/** The stored form never carries resourceVersion: it is the KV's mod revision, set on the way out. */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _ignored, ...metadata } = obj.metadata ?? {};
  // Buffer.from takes small strings from Node's pool (about twice as fast as TextEncoder); the
  // embedded store copies values into their own memory, so no pool slab is pinned by history.
  return Buffer.from(JSON.stringify({ ...obj, metadata }), 'utf8');
}

export function decodeObject(key: string, value: Uint8Array, revision: number): KubeObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(value));
  } catch (error) {
    throw new StorageError('InvalidObj', key, `stored object at ${key} is not valid JSON (${String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StorageError('InvalidObj', key, `stored value at ${key} is not an object`);
  }
  const obj = parsed as KubeObject;
  obj.metadata = metadataAt(obj.metadata, revision);
  return obj;
}

/**
 * What decodeObject would return for the bytes encodeObject(obj) wrote, without parsing them back:
 * a copy as the JSON round trip makes it (undefined members dropped, in arrays null), at `revision`.
 */
export function storedCopy(obj: KubeObject, revision: number): KubeObject {
  const copy = jsonCopy(obj) as KubeObject;
  copy.metadata = metadataAt(copy.metadata, revision);
  return copy;
}

/**
 * `metadata` with resourceVersion `revision`, last, as decodeObject puts it (the stored bytes have
 * none): key order shows in -o json. A loop, not `{ ...rest, resourceVersion }`, which V8 runs on a
 * slow path several times as costly, and every write and watch event makes one.
 */
export function metadataAt(metadata: KubeObject['metadata'] | undefined, revision: number): KubeObject['metadata'] {
  const out: Record<string, unknown> = {};
  if (metadata) {
    for (const key in metadata) {
      if (key !== 'resourceVersion' && Object.prototype.hasOwnProperty.call(metadata, key)) out[key] = (metadata as Record<string, unknown>)[key];
    }
  }
  out.resourceVersion = String(revision);
  return out as KubeObject['metadata'];
}

/** A shallow copy of `obj` with `metadata` in its place (same key order), for objects that may be frozen. */
export function withMetadata(obj: KubeObject, metadata: KubeObject['metadata']): KubeObject {
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    if (Object.prototype.hasOwnProperty.call(obj, key)) out[key] = key === 'metadata' ? metadata : (obj as Record<string, unknown>)[key];
  }
  if (!('metadata' in out)) out.metadata = metadata;
  return out as KubeObject;
}

/**
 * What storedCopy(obj, revision) gives, made of `obj` itself when its owner gives it up: what JSON
 * would drop or change is dropped or changed in place (rarely anything), instead of copying it all.
 */
export function storedResult(obj: KubeObject, revision: number, owned: boolean): KubeObject {
  if (!owned || Object.isFrozen(obj)) return storedCopy(obj, revision);
  const normal = normalizeInPlace(obj, 0) as KubeObject;
  normal.metadata = metadataAt(normal.metadata, revision);
  return normal;
}

/** Past this depth a subtree is handed to JSON itself: JSON data is never this deep. */
const MAX_IN_PLACE_DEPTH = 100;

/** `value` as a JSON round trip gives it, changing its containers in place (frozen ones are copied). */
function normalizeInPlace(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0
    return value;
  }
  if (Object.isFrozen(value)) return jsonCopy(value);
  if (depth > MAX_IN_PLACE_DEPTH) return JSON.parse(JSON.stringify(value)) as unknown;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const normal = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : normalizeInPlace(item, depth + 1);
      if (!Object.is(normal, item)) value[i] = normal;
    }
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.parse(JSON.stringify(value)) as unknown;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
      delete record[key];
      continue;
    }
    const normal = normalizeInPlace(item, depth + 1);
    if (!Object.is(normal, item)) record[key] = normal;
  }
  return value;
}

/**
 * jsonCopy, deep-frozen as it is made: for objects shared with every watcher, this spares the
 * watch cache a second walk to freeze them (deepFreeze skips frozen subtrees).
 */
export function frozenJsonCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return jsonCopy(value);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : frozenJsonCopy(item);
    }
    return Object.freeze(out);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return frozenJsonCopy(JSON.parse(JSON.stringify(value)));
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out[key] = frozenJsonCopy(item);
  }
  return Object.freeze(out);
}

/** A copy of JSON data as a JSON round trip would make it. */
export function jsonCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0, as JSON writes it
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : jsonCopy(item);
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  // Dates, buffers and the like: let JSON say what they become.
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.parse(JSON.stringify(value)) as unknown;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out[key] = jsonCopy(item);
  }
  return out;
}

export function withResourceVersion(obj: KubeObject, revision: number): KubeObject {
  const copy = cloneJson(obj);
  copy.metadata = { ...(copy.metadata ?? {}), resourceVersion: String(revision) };
  return copy;
}

/** "" / undefined → 0 (meaning "latest"); otherwise a non-negative integer or InvalidObj. */
export function parseResourceVersion(rv: string | undefined, key: string): number {
  if (rv === undefined || rv === '') return 0;
  if (!/^\d+$/.test(rv)) throw new StorageError('InvalidObj', key, `invalid resource version "${rv}": it must be a value returned by the server`);
  return Number(rv);
}

/** As kube's etcd3 store: a list or recursive watch covers "<prefix>/", never a sibling like "<prefix>-x". */
export function asPrefix(key: string): string {
  return key.endsWith('/') ? key : `${key}/`;
}

export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata?.resourceVersion ?? '0') || 0;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** kube-apiserver's continue token: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key after the prefix>"}. */
export function encodeContinue(nextKey: string, prefix: string, revision: number): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: revision, start: nextKey.slice(prefix.length) };
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

export function decodeContinue(token: string, prefix: string): { startKey: string; revision: number } {
  const invalid = (why: string) => new StorageError('InvalidObj', prefix, `continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid('not base64-encoded JSON');
  }
  const t = parsed as Partial<ContinueToken>;
  if (t.v !== 'meta.k8s.io/v1') throw invalid('server does not recognize this encoded version');
  if (typeof t.rv !== 'number' || t.rv <= 0 || typeof t.start !== 'string') throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (t.start.startsWith('/') || t.start.includes('..')) throw invalid('path traversal attempt detected');
  return { startKey: prefix + t.start, revision: t.rv };
}

export function toStorageError(error: unknown, key: string): unknown {
  if (error instanceof CompactedError) {
    return new StorageError('Expired', key, `The resourceVersion for the provided request is too old: ${error.message}`, String(error.compactRevision));
  }
  if (error instanceof FutureRevisionError) {
    return new StorageError('TooLargeResourceVersion', key, `resource version ${error.requestedRevision} is newer than the current ${error.currentRevision}`);
  }
  if (error instanceof StoreUnavailableError) return new StorageError('Unavailable', key, error.message);
  return error;
}

/** Status object sent as a watch ERROR event, as kube-apiserver does for an expired watch. */
export function expiredStatus(message: string): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
}

export function bookmarkObject(revision: number, initialEventsEnd = false): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { metadata };
}

export function checkPreconditions(key: string, current: KubeObject, preconditions: { uid?: string; resourceVersion?: string } | undefined): void {
  if (!preconditions) return;
  if (preconditions.uid !== undefined && preconditions.uid !== current.metadata.uid) {
    throw new StorageError(
      'ResourceVersionConflict',
      key,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
    );
  }
  if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== current.metadata.resourceVersion) {
    throw new StorageError(
      'ResourceVersionConflict',
      key,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
}
