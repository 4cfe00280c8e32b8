// Strategic merge patch as kube-apiserver applies it (strategicpatch.StrategicMergeMapPatch with
// MergeParallelList and IgnoreUnmatchedNulls): lists merge by the schema's merge key, and the
// directives kubectl sends ($patch, $retainKeys, $setElementOrder/, $deleteFromPrimitiveList/) apply.
import { ApiError } from '../errors.js';
import { clone, deepEqual, goFormat, isObject, type JsonObject } from './json-value.js';
import type { PatchMeta, PatchSchema } from './schema.js';
import { indexIn, normalizeElementOrder, partitionByPresence } from './smp-order.js';

const directive = '$patch';
const retainKeysDirective = '$retainKeys';
const setOrderPrefix = '$setElementOrder/';
const deleteFromPrimitivePrefix = '$deleteFromPrimitiveList/';

/** Errors of the mergepatch package that kube-apiserver answers with 400. */
function badRequest(message: string): ApiError {
  return ApiError.badRequest(message);
}

/** Errors kube-apiserver passes through untranslated: a 500 with an empty reason and the raw message. */
function unknownError(message: string): ApiError {
  return ApiError.make(500, '', message);
}

function goType(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value;
}

type Kind = 'map' | 'list' | 'scalar' | 'null';

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  return isObject(value) ? 'map' : 'scalar';
}

/** Removes directives and nulls from a value the patch adds whole (kube-apiserver's decoding drops them). */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isObject(item) && item[directive] === 'delete')).map(clean);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  if (value[directive] === 'delete') return out;
  for (const [k, v] of Object.entries(value)) {
    if (v === null || k === directive || k === retainKeysDirective || k.startsWith(setOrderPrefix) || k.startsWith(deleteFromPrimitivePrefix)) continue;
    out[k] = clean(v);
  }
  return out;
}

function mergeStrategy(meta: PatchMeta | undefined): 'merge' | 'replace' | '' {
  const strategies = (meta?.strategy ?? '').split(',');
  if (strategies.includes('merge')) return 'merge';
  if (strategies.includes('replace')) return 'replace';
  return '';
}

class Merger {
  constructor(private readonly schema: PatchSchema) {}

  mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject {
    if (Object.prototype.hasOwnProperty.call(patch, directive)) {
      const kind = patch[directive];
      if (kind === 'replace') return clean(patch) as JsonObject;
      if (kind === 'delete') return {};
      throw unknownError(`unknown patch type: ${String(kind)} in map: ${goFormat(patch)}`);
    }
    this.applyRetainKeys(original, patch);
    const handled = this.applySetElementOrder(original, patch, path);
    const deletions: [string, unknown][] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (handled.has(key) || key.startsWith(setOrderPrefix) || key === retainKeysDirective) continue;
      if (key.startsWith(deleteFromPrimitivePrefix)) deletions.push([key.slice(deleteFromPrimitivePrefix.length), value]);
      else this.mergeField(original, key, value, path, false);
    }
    for (const [key, value] of deletions) this.mergeField(original, key, value, path, true);
    return original;
  }

  private mergeField(original: JsonObject, key: string, patchValue: unknown, path: string[], isDeleteList: boolean): void {
    if (patchValue === null) {
      delete original[key];
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(original, key) || kindOf(original[key]) !== kindOf(patchValue)) {
      if (!isDeleteList) original[key] = clean(patchValue);
      return;
    }
    const fieldPath = [...path, key];
    const current = original[key];
    const meta = this.schema.patchMetaFor(fieldPath);
    if (isObject(current) && isObject(patchValue)) {
      original[key] = mergeStrategy(meta) === 'replace' ? clean(patchValue) : this.mergeMap(current, patchValue, fieldPath);
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      original[key] = this.mergeListHandler(current, patchValue, meta, fieldPath, isDeleteList);
    } else if (!isDeleteList) {
      original[key] = patchValue;
    }
  }

  private applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!Object.prototype.hasOwnProperty.call(patch, retainKeysDirective)) return;
    const retain = patch[retainKeysDirective];
    delete patch[retainKeysDirective];
    if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys');
    const keep = new Set(retain.map(String));
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || key.startsWith(deleteFromPrimitivePrefix) || key.startsWith(setOrderPrefix)) continue;
      if (!keep.has(key)) throw badRequest('invalid patch format of retainKeys');
    }
    for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
  }

  /** Merges each list named by a $setElementOrder directive and orders it; returns the list keys it handled. */
  private applySetElementOrder(original: JsonObject, patch: JsonObject, path: string[]): Set<string> {
    const handled = new Set<string>();
    for (const [key, order] of Object.entries(patch)) {
      if (!key.startsWith(setOrderPrefix)) continue;
      if (!Array.isArray(order)) throw unknownError(`expected a []interface {}, but received a ${goType(order)}`);
      const field = key.slice(setOrderPrefix.length);
      const foundOriginal = Object.prototype.hasOwnProperty.call(original, field) && original[field] !== null;
      const foundPatch = Object.prototype.hasOwnProperty.call(patch, field);
      if (!foundOriginal && !foundPatch) continue;
      const originalList = foundOriginal ? original[field] : [];
      const patchList = foundPatch ? patch[field] : [];
      if (!Array.isArray(originalList)) throw unknownError(`expected a []interface {}, but received a ${goType(originalList)}`);
      if (!Array.isArray(patchList)) throw unknownError(`expected a []interface {}, but received a ${goType(patchList)}`);
      const fieldPath = [...path, field];
      const meta = this.schema.patchMetaFor(fieldPath);
      const mergeKey = meta?.mergeKey ?? '';
      validateOrder(patchList, order, mergeKey);
      let merged: unknown[];
      if (!foundPatch) merged = originalList;
      else if (!foundOriginal) merged = clean(patchList) as unknown[];
      else merged = this.mergeListHandler(originalList, patchList, meta, fieldPath, false);
      const keyForOrder = merged.some(isObject) || order.some(isObject) ? mergeKey : '';
      const { patchItems, serverOnly } = partitionByPresence(merged, order, keyForOrder);
      original[field] = normalizeElementOrder(patchItems, serverOnly, order, originalList, keyForOrder);
      handled.add(field);
    }
    return handled;
  }

  private mergeListHandler(original: unknown[], patch: unknown[], meta: PatchMeta | undefined, path: string[], isDeleteList: boolean): unknown[] {
    if (mergeStrategy(meta) !== 'merge') return clean(patch) as unknown[];
    return this.mergeList(original, patch, meta?.mergeKey ?? '', path, isDeleteList);
  }

  private mergeList(original: unknown[], patch: unknown[], mergeKey: string, path: string[], isDeleteList: boolean): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const all = [...original, ...patch];
    if (all.some(Array.isArray)) throw ApiError.make(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    const ofMaps = all.some(isObject);
    if (new Set(all.map(goType)).size > 1) {
      throw unknownError(`list element types are not identical: [${goFormat(original)} ${goFormat(patch)}]`);
    }
    if (!ofMaps) {
      if (isDeleteList) return original.filter((item) => !patch.some((del) => deepEqual(del, item)));
      const merged: unknown[] = [];
      for (const item of all) if (!merged.some((seen) => deepEqual(seen, item))) merged.push(item);
      const { patchItems, serverOnly } = partitionByPresence(merged, patch, '');
      return normalizeElementOrder(patchItems, serverOnly, patch, original, '');
    }
    if (mergeKey === '') throw unknownError(`cannot merge lists without merge key for ${path.join('.')}`);
    const special = this.applyListDirectives(original as JsonObject[], patch as JsonObject[], mergeKey);
    const base = special.original;
    const serverOrder = [...base];
    const items = special.patch;
    for (const item of items) {
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) {
        throw unknownError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
      }
      const at = base.findIndex((candidate) => deepEqual(candidate[mergeKey], item[mergeKey]));
      if (at >= 0) base[at] = this.mergeMap(base[at], item, path);
      else base.push(this.mergeMap({}, item, path));
    }
    const { patchItems, serverOnly } = partitionByPresence(base, items, mergeKey);
    return normalizeElementOrder(patchItems, serverOnly, items, serverOrder, mergeKey);
  }

  /** `$patch: delete` items remove live items by merge key; a `$patch: replace` item makes the rest the list. */
  private applyListDirectives(original: JsonObject[], patch: JsonObject[], mergeKey: string): { original: JsonObject[]; patch: JsonObject[] } {
    let base = [...original];
    const rest: JsonObject[] = [];
    let replace = false;
    for (const item of patch) {
      if (!Object.prototype.hasOwnProperty.call(item, directive)) {
        rest.push(item);
        continue;
      }
      switch (item[directive]) {
        case 'delete':
          if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) {
            throw unknownError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
          }
          base = base.filter((candidate) => !deepEqual(candidate[mergeKey], item[mergeKey]));
          break;
        case 'replace':
          replace = true;
          break;
        case 'merge':
          throw unknownError('merging lists cannot yet be specified in the patch');
        default:
          throw unknownError(`unknown patch type: ${String(item[directive])} in map: ${goFormat(item)}`);
      }
    }
    if (replace) return { original: rest.map((item) => clean(item) as JsonObject), patch: [] };
    return { original: base, patch: rest };
  }
}

/** The patch list's items must appear in the $setElementOrder list in the same relative order. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  const items = patchList.filter((item) => !(isObject(item) && Object.prototype.hasOwnProperty.call(item, directive)));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (indexIn([order[o]], items[p], mergeKey) === 0) p++;
    o++;
  }
  if (p < items.length) {
    throw unknownError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${setOrderPrefix} list:\n${goFormat(order)}\n`);
  }
}

/**
 * Applies a strategic merge patch to a copy of `doc`. Throws ApiError with kube-apiserver's code for
 * the failure: 400 for an undecodable patch or a malformed directive, 422 for lists of lists, 500 for
 * the rest (missing merge key, unknown $patch).
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (!isObject(patch)) {
    const kind = Array.isArray(patch) ? 'array' : patch === null ? 'null' : typeof patch;
    throw ApiError.badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const original = isObject(doc) ? clone(doc) : {};
  return new Merger(schema).mergeMap(original, clone(patch), []);
}
