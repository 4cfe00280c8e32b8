// Walks of JSON objects guided by a PatchSchema, with the semantics of structured-merge-diff's typed
// values: field sets (ToFieldSet), comparison (Compare) and merge (Merge). Map lists and sets are
// granular (their items are paths of their own); other lists and atomic maps are single values.
import { FieldSet, fieldElement, keyElement, pathString, valueElement, type PathElement } from './field-set.js';
import { clone, deepEqual, isObject, type JsonObject } from './json-value.js';
import type { PatchMeta, PatchSchema } from './schema.js';

function granularList(meta: PatchMeta | undefined): boolean {
  return meta?.listType === 'map' || meta?.listType === 'set';
}

/** An applied configuration that does not fit its schema (structured-merge-diff's validation errors). */
export class InvalidTypedValue extends Error {}

function missingKey(where: string, index: number, key: string): InvalidTypedValue {
  return new InvalidTypedValue(
    `${where}: element ${index}: associative list with keys has an element that omits key field "${key}" (and doesn't have default value)`,
  );
}

/**
 * The path element of one item of a granular list. Live objects may lack a key (kube-apiserver
 * tolerates them): the keys present are used. `strict` throws InvalidTypedValue instead.
 */
export function itemElement(meta: PatchMeta, item: unknown, strict?: { where: string; index: number }): PathElement {
  if (meta.listType === 'set') return valueElement(item);
  const names = meta.listMapKeys ?? (meta.mergeKey ? [meta.mergeKey] : []);
  const keys: Record<string, unknown> = {};
  for (const name of names) {
    const value = isObject(item) ? item[name] : undefined;
    if (value !== undefined && value !== null) keys[name] = value;
    else if (meta.keyDefaults && name in meta.keyDefaults) keys[name] = meta.keyDefaults[name];
    else if (strict) throw missingKey(strict.where, strict.index, name);
  }
  return keyElement(keys);
}

// Module-level rather than closures in the walk: each closure created per visited value costs an
// allocation (and, under tsx's keepNames, a defineProperty).
function mapLike(v: unknown): boolean {
  return isObject(v) || v === null || v === undefined;
}

function listLike(v: unknown): boolean {
  return Array.isArray(v) || v === null || v === undefined;
}

function indexItems(meta: PatchMeta, list: unknown): Map<PathElement, unknown> {
  const items = new Map<PathElement, unknown>();
  if (Array.isArray(list)) for (const item of list) items.set(itemElement(meta, item), item);
  return items;
}

export class TypedWalker {
  constructor(private readonly schema: PatchSchema) {}

  meta(fieldPath: readonly string[]): PatchMeta | undefined {
    return this.schema.patchMetaFor(fieldPath);
  }

  /**
   * Paths of every leaf and list item in `value` (structured-merge-diff ToFieldSet: a struct field holding
   * an empty object owns nothing). Throws InvalidTypedValue for a list item without its keys or a duplicate.
   */
  toFieldSet(value: JsonObject): FieldSet {
    const set = new FieldSet();
    this.collectFields(set, [], [], '', value, false);
    return set;
  }

  /** `entries`: the keys are map entries, not struct fields, so each is a member even with children. */
  private collectFields(set: FieldSet, path: PathElement[], fieldPath: string[], where: string, obj: JsonObject, entries: boolean): void {
    for (const [name, child] of Object.entries(obj)) {
      const childFieldPath = [...fieldPath, name];
      const childPath = [...path, fieldElement(name)];
      this.collectValue(set, childPath, childFieldPath, `${where}.${name}`, child, this.meta(childFieldPath));
      if (entries) set.insert(childPath);
    }
  }

  private collectValue(set: FieldSet, path: PathElement[], fieldPath: string[], where: string, value: unknown, meta: PatchMeta | undefined): void {
    if (meta?.atomic) set.insert(path);
    else if (Array.isArray(value)) {
      if (!meta || !granularList(meta)) {
        set.insert(path);
        return;
      }
      const seen = new Set<PathElement>();
      value.forEach((item, index) => {
        const element = itemElement(meta, item, { where, index });
        if (seen.has(element)) throw new InvalidTypedValue(`${where}: duplicate entries for key ${pathString([element])}`);
        seen.add(element);
        const itemPath = [...path, element];
        // structured-merge-diff names an item of a map list by its keys in its errors' paths.
        if (meta.listType === 'map' && isObject(item)) this.collectFields(set, itemPath, fieldPath, `${where}${pathString([element])}`, item, false);
        set.insert(itemPath);
      });
    } else if (isObject(value)) this.collectFields(set, path, fieldPath, where, value, meta?.mapEntries === true);
    else set.insert(path);
  }

  /** Leaves and items added, modified and removed from `lhs` to `rhs` (structured-merge-diff Compare). */
  compare(lhs: JsonObject, rhs: JsonObject): { added: FieldSet; modified: FieldSet; removed: FieldSet } {
    const result = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    this.compareMaps(result, [], [], lhs, rhs);
    return result;
  }

  private compareMaps(result: Comparison, path: PathElement[], fieldPath: string[], lhs: unknown, rhs: unknown): void {
    const l = isObject(lhs) ? lhs : {};
    const r = isObject(rhs) ? rhs : {};
    const names = new Set([...Object.keys(l), ...Object.keys(r)]);
    for (const name of names) {
      const lv = l[name];
      const rv = r[name];
      // Equal subtrees change nothing: most of an update (a status patch's whole spec) is skipped
      // without building its paths.
      if (lv !== undefined && rv !== undefined && deepEqual(lv, rv)) continue;
      const childFieldPath = [...fieldPath, name];
      this.compareValues(result, [...path, fieldElement(name)], childFieldPath, lv, rv, this.meta(childFieldPath));
    }
  }

  private compareValues(result: Comparison, path: PathElement[], fieldPath: string[], lhs: unknown, rhs: unknown, meta: PatchMeta | undefined): void {
    if (!meta?.atomic && mapLike(lhs) && mapLike(rhs) && (isObject(lhs) || isObject(rhs))) {
      this.compareMaps(result, path, fieldPath, lhs, rhs);
    } else if (granularList(meta) && listLike(lhs) && listLike(rhs) && (Array.isArray(lhs) || Array.isArray(rhs))) {
      this.compareLists(result, path, fieldPath, lhs, rhs, meta as PatchMeta);
    } else {
      if (lhs === undefined) result.added.insert(path);
      else if (rhs === undefined) result.removed.insert(path);
      else if (!deepEqual(lhs, rhs)) result.modified.insert(path);
      return;
    }
    if (lhs === undefined) result.added.insert(path);
    else if (rhs === undefined) result.removed.insert(path);
  }

  private compareLists(result: Comparison, path: PathElement[], fieldPath: string[], lhs: unknown, rhs: unknown, meta: PatchMeta): void {
    const l = indexItems(meta, lhs);
    const r = indexItems(meta, rhs);
    for (const element of new Set([...r.keys(), ...l.keys()])) {
      const li = l.get(element);
      const ri = r.get(element);
      if (li !== undefined && ri !== undefined && deepEqual(li, ri)) continue;
      const itemPath = [...path, element];
      if (meta.listType === 'map') {
        this.compareMaps(result, itemPath, fieldPath, li, ri);
        if (li === undefined) result.added.insert(itemPath);
        else if (ri === undefined) result.removed.insert(itemPath);
      } else if (li === undefined) result.added.insert(itemPath);
      else if (ri === undefined) result.removed.insert(itemPath);
    }
  }

  /** `config` merged into `live` (structured-merge-diff Merge): granular lists merge item by item. */
  merge(live: JsonObject, config: JsonObject): JsonObject {
    return this.mergeMaps(live, config, []);
  }

  private mergeMaps(lhs: JsonObject, rhs: JsonObject, fieldPath: string[]): JsonObject {
    const out = clone(lhs);
    for (const [name, value] of Object.entries(rhs)) {
      const childFieldPath = [...fieldPath, name];
      out[name] = this.mergeValues(lhs[name], value, childFieldPath, this.meta(childFieldPath));
    }
    return out;
  }

  private mergeValues(lhs: unknown, rhs: unknown, fieldPath: string[], meta: PatchMeta | undefined): unknown {
    if (meta?.atomic) return clone(rhs);
    if (isObject(rhs) && isObject(lhs)) return this.mergeMaps(lhs, rhs, fieldPath);
    if (Array.isArray(rhs) && Array.isArray(lhs) && meta && granularList(meta)) return this.mergeLists(lhs, rhs, fieldPath, meta);
    return clone(rhs);
  }

  /** Live items keep their place; applied items follow the applied order (structured-merge-diff's list merge). */
  private mergeLists(lhs: unknown[], rhs: unknown[], fieldPath: string[], meta: PatchMeta): unknown[] {
    const lpe = lhs.map((item) => itemElement(meta, item));
    const rpe = rhs.map((item) => itemElement(meta, item));
    const lByElement = new Map(lpe.map((element, i) => [element, lhs[i]]));
    const inRhs = new Set(rpe);
    const emitted = new Set<PathElement>();
    const out: unknown[] = [];
    const mergeItem = (l: unknown, r: unknown) => (meta.listType === 'map' && isObject(l) && isObject(r) ? this.mergeMaps(l, r, fieldPath) : clone(r));
    let li = 0;
    let ri = 0;
    while (li < lhs.length || ri < rhs.length) {
      if (li < lhs.length && emitted.has(lpe[li])) li++;
      else if (li < lhs.length && ri < rhs.length && lpe[li] === rpe[ri]) {
        if (!emitted.has(rpe[ri])) out.push(mergeItem(lhs[li], rhs[ri]));
        emitted.add(rpe[ri]);
        li++;
        ri++;
      } else if (li < lhs.length && !inRhs.has(lpe[li])) {
        out.push(clone(lhs[li]));
        emitted.add(lpe[li]);
        li++;
      } else if (ri < rhs.length) {
        if (!emitted.has(rpe[ri])) out.push(mergeItem(lByElement.get(rpe[ri]), rhs[ri]));
        emitted.add(rpe[ri]);
        ri++;
      } else li++;
    }
    return out;
  }

  /**
   * Removes from `obj` what `last` (the applier's previous set) has and nobody (`owned`, every manager's
   * current set) still owns, keeping the key fields of list items that stay.
   */
  prune(obj: JsonObject, last: FieldSet, owned: FieldSet): void {
    this.pruneMap(obj, [], last, owned, []);
  }

  private pruneMap(obj: JsonObject, fieldPath: string[], last: FieldSet, owned: FieldSet | undefined, keep: readonly string[]): void {
    for (const [element, lastChild] of last.children) {
      if (!element.startsWith('f:')) continue;
      const name = element.slice(2);
      if (!Object.prototype.hasOwnProperty.call(obj, name) || keep.includes(name)) continue;
      const childFieldPath = [...fieldPath, name];
      const ownedChild = owned?.children.get(element);
      if (!ownedChild && lastChild.member) {
        delete obj[name];
        continue;
      }
      const value = obj[name];
      if (lastChild.children.size === 0) continue;
      const meta = this.meta(childFieldPath);
      if (Array.isArray(value) && meta && granularList(meta)) {
        obj[name] = this.pruneList(value, childFieldPath, meta, lastChild, ownedChild);
      } else if (isObject(value) && !meta?.atomic) {
        this.pruneMap(value, childFieldPath, lastChild, ownedChild, []);
      }
      const after = obj[name];
      if (!ownedChild && ((Array.isArray(after) && after.length === 0) || (isObject(after) && Object.keys(after).length === 0))) delete obj[name];
    }
  }

  private pruneList(list: unknown[], fieldPath: string[], meta: PatchMeta, last: FieldSet, owned: FieldSet | undefined): unknown[] {
    const keys = meta.listType === 'map' ? (meta.listMapKeys ?? (meta.mergeKey ? [meta.mergeKey] : [])) : [];
    return list.filter((item) => {
      const element = itemElement(meta, item);
      const lastItem = last.children.get(element);
      if (!lastItem) return true;
      const ownedItem = owned?.children.get(element);
      if (!ownedItem && lastItem.member) return false;
      if (meta.listType === 'map' && isObject(item)) this.pruneMap(item, fieldPath, lastItem, ownedItem, keys);
      return true;
    });
  }
}

interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}
