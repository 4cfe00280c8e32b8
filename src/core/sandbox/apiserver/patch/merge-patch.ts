// RFC 7386 JSON merge patch, as kube-apiserver applies it (evanphx/json-patch MergePatch).
import { ApiError } from '../errors.js';
import { clone, isObject, type JsonObject } from './json-value.js';

/** Nulls inside objects mean "absent" in a merge patch, also in a value the patch adds whole. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === null ? null : pruneNulls(item)));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null) out[k] = pruneNulls(v);
  }
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, patchValue] of Object.entries(patch)) {
    if (patchValue === null) {
      delete doc[key];
      continue;
    }
    const current = doc[key];
    if (isObject(current) && isObject(patchValue)) doc[key] = mergeInto(current, patchValue);
    else doc[key] = isObject(current) ? clone(patchValue) : pruneNulls(patchValue);
  }
  return doc;
}

/**
 * Applies `patch` to a copy of `doc`. Objects merge recursively, null deletes a field, anything else
 * (arrays included) replaces. A patch that is not an object is rejected with 400, as kube-apiserver
 * only stores objects.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw ApiError.badRequest('Invalid JSON Patch');
  if (!isObject(doc)) return pruneNulls(patch);
  return mergeInto(clone(doc), patch);
}
