// RFC 6902 JSON patch, with the behaviour of the library kube-apiserver uses (evanphx/json-patch v4):
// negative array indices count from the end, and every failure while applying (failed test, missing
// path) is a 422 whose message does not say which operation failed.
import { ApiError } from '../errors.js';
import { clone, deepEqual, isObject, type JsonObject } from './json-value.js';

/** Why an operation could not be applied; kube-apiserver hides it, we keep it as the ApiError's cause. */
class PatchFailure extends Error {}

function decodeError(what: string): ApiError {
  return ApiError.badRequest(`json: cannot unmarshal ${what}`);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new PatchFailure(`path must be a string, got ${jsonKind(pointer)}`);
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchFailure(`JSON pointer must be empty or start with "/": ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (!/^-?\d+$/.test(token)) throw new PatchFailure(`invalid array index ${JSON.stringify(token)}`);
  let index = Number(token);
  if (index < 0) {
    if (index < -length) throw new PatchFailure(`index out of bounds: ${index}`);
    index += length;
  }
  const max = forInsert ? length : length - 1;
  if (index > max) throw new PatchFailure(`index out of bounds: ${index}`);
  return index;
}

/** The container holding the last token of `tokens`, which must exist. */
function container(doc: unknown, tokens: string[], pointer: string): unknown {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw new PatchFailure(`doc is missing path: ${JSON.stringify(pointer)}: missing value`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchFailure(`doc is missing path: ${JSON.stringify(pointer)}: missing value`);
  return node;
}

function get(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const parent = container(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false)];
  const obj = parent as JsonObject;
  if (!Object.prototype.hasOwnProperty.call(obj, last)) throw new PatchFailure(`doc is missing key: ${pointer}: missing value`);
  return obj[last];
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = container(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last, parent.length, true);
    parent.splice(index, 0, value);
  } else {
    (parent as JsonObject)[last] = value;
  }
  return doc;
}

function remove(doc: unknown, pointer: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return { doc: null, removed: doc };
  const parent = container(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, false);
    return { doc, removed: parent.splice(index, 1)[0] };
  }
  const obj = parent as JsonObject;
  if (!Object.prototype.hasOwnProperty.call(obj, last)) throw new PatchFailure(`unable to remove nonexistent key: ${last}: missing value`);
  const removed = obj[last];
  delete obj[last];
  return { doc, removed };
}

function replace(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = container(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent[arrayIndex(last, parent.length, false)] = value;
  } else {
    const obj = parent as JsonObject;
    if (!Object.prototype.hasOwnProperty.call(obj, last)) {
      throw new PatchFailure(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    obj[last] = value;
  }
  return doc;
}

function requireValue(op: JsonObject): unknown {
  if (!Object.prototype.hasOwnProperty.call(op, 'value')) throw new PatchFailure(`operation ${String(op.op)} is missing "value"`);
  return clone(op.value);
}

function requireString(op: JsonObject, field: 'path' | 'from'): string {
  const value = op[field];
  if (typeof value !== 'string') throw new PatchFailure(`operation ${String(op.op)} is missing "${field}"`);
  return value;
}

function applyOne(doc: unknown, op: JsonObject): unknown {
  switch (op.op) {
    case 'add':
      return add(doc, requireString(op, 'path'), requireValue(op));
    case 'remove':
      return remove(doc, requireString(op, 'path')).doc;
    case 'replace':
      return replace(doc, requireString(op, 'path'), requireValue(op));
    case 'move': {
      const from = requireString(op, 'from');
      const path = requireString(op, 'path');
      if (path.startsWith(`${from}/`)) throw new PatchFailure(`move operation cannot move ${from} into its own child ${path}`);
      const { doc: without, removed } = remove(doc, from);
      return add(without, path, removed);
    }
    case 'copy':
      return add(doc, requireString(op, 'path'), clone(get(doc, requireString(op, 'from'))));
    case 'test': {
      const path = requireString(op, 'path');
      let actual: unknown;
      try {
        actual = get(doc, path);
      } catch {
        actual = undefined;
      }
      const expected = Object.prototype.hasOwnProperty.call(op, 'value') ? op.value : null;
      // A missing value tests equal to null, as the Go library compares decoded nils.
      if (!deepEqual(actual === undefined ? null : actual, expected)) throw new PatchFailure(`testing value ${path} failed: test failed`);
      return doc;
    }
    default:
      throw new PatchFailure(`Unexpected kind: ${typeof op.op === 'string' ? op.op : 'unknown'}`);
  }
}

/** Largest number of operations kube-apiserver accepts in one JSON patch. */
export const maxJsonPatchOperations = 10000;

/** Applies an RFC 6902 patch to a copy of `doc`. Throws ApiError: 400 undecodable patch, 413 too long, 422 not applicable. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw decodeError(`${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (!isObject(op) && op !== null) throw decodeError(`${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > maxJsonPatchOperations) {
    throw ApiError.tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`);
  }
  let result = clone(doc);
  for (const op of ops as (JsonObject | null)[]) {
    try {
      result = applyOne(result, op ?? {});
    } catch (error) {
      if (!(error instanceof PatchFailure)) throw error;
      const apiError = ApiError.make(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
      apiError.cause = error;
      throw apiError;
    }
  }
  return result;
}
