// What a write changed, for managedFields: TypedWalker.compare's added ∪ modified and removed sets,
// built in one walk that carries the set node of the current path down instead of a path array
// (compare allocates a path per visited value and inserts each from the root). Every create and
// update records its changes this way, so this is on the write path of every object.
import { FieldSet, fieldElement, type PathElement } from './field-set.js';
import { deepEqual, isObject, type JsonObject } from './json-value.js';
import type { PatchMeta, PatchSchema } from './schema.js';
import { itemElement } from './typed-value.js';

export interface ChangedFields {
  /** Paths added or modified from `before` to `after`. */
  changed: FieldSet;
  removed: FieldSet;
}

function granularList(meta: PatchMeta | undefined): boolean {
  return meta?.listType === 'map' || meta?.listType === 'set';
}

function mapLike(v: unknown): boolean {
  return isObject(v) || v === null || v === undefined;
}

function listLike(v: unknown): boolean {
  return Array.isArray(v) || v === null || v === undefined;
}

/** The same sets as TypedWalker.compare (added ∪ modified, removed), for `schema`. */
export function changedFields(schema: PatchSchema, before: JsonObject, after: JsonObject): ChangedFields {
  const out: ChangedFields = { changed: new FieldSet(), removed: new FieldSet() };
  new Walk(schema).maps(out.changed, out.removed, [], before, after);
  return out;
}

/** The child node of `parent` at `element`, created on demand; empty ones are pruned by `prune`. */
function child(parent: FieldSet, element: PathElement): FieldSet {
  let node = parent.children.get(element);
  if (!node) {
    node = new FieldSet();
    parent.children.set(element, node);
  }
  return node;
}

function prune(parent: FieldSet, element: PathElement): void {
  if (parent.children.get(element)?.empty()) parent.children.delete(element);
}

class Walk {
  constructor(private readonly schema: PatchSchema) {}

  maps(changed: FieldSet, removed: FieldSet, fieldPath: string[], lhs: unknown, rhs: unknown): void {
    const l = isObject(lhs) ? lhs : {};
    const r = isObject(rhs) ? rhs : {};
    for (const name of Object.keys(l)) this.field(changed, removed, fieldPath, name, l[name], r[name]);
    for (const name of Object.keys(r)) if (!Object.prototype.hasOwnProperty.call(l, name)) this.field(changed, removed, fieldPath, name, undefined, r[name]);
  }

  private field(changed: FieldSet, removed: FieldSet, fieldPath: string[], name: string, lv: unknown, rv: unknown): void {
    if (lv !== undefined && rv !== undefined && deepEqual(lv, rv)) return;
    const childFieldPath = [...fieldPath, name];
    const element = fieldElement(name);
    this.values(changed, removed, element, childFieldPath, lv, rv, this.schema.patchMetaFor(childFieldPath));
  }

  /** Compares the values at `element` under the parents `changed` and `removed`. */
  private values(changed: FieldSet, removed: FieldSet, element: PathElement, fieldPath: string[], lhs: unknown, rhs: unknown, meta: PatchMeta | undefined): void {
    const c = child(changed, element);
    const r = child(removed, element);
    if (!meta?.atomic && mapLike(lhs) && mapLike(rhs) && (isObject(lhs) || isObject(rhs))) {
      this.maps(c, r, fieldPath, lhs, rhs);
      this.ends(c, r, lhs, rhs);
    } else if (granularList(meta) && listLike(lhs) && listLike(rhs) && (Array.isArray(lhs) || Array.isArray(rhs))) {
      this.lists(c, r, fieldPath, lhs, rhs, meta as PatchMeta);
      this.ends(c, r, lhs, rhs);
    } else if (lhs === undefined) c.member = true;
    else if (rhs === undefined) r.member = true;
    else if (!deepEqual(lhs, rhs)) c.member = true;
    prune(changed, element);
    prune(removed, element);
  }

  /** A value that appears or disappears as a whole is itself a changed (or removed) path. */
  private ends(c: FieldSet, r: FieldSet, lhs: unknown, rhs: unknown): void {
    if (lhs === undefined) c.member = true;
    else if (rhs === undefined) r.member = true;
  }

  private lists(changed: FieldSet, removed: FieldSet, fieldPath: string[], lhs: unknown, rhs: unknown, meta: PatchMeta): void {
    const l = new Map<PathElement, unknown>();
    if (Array.isArray(lhs)) for (const item of lhs) l.set(itemElement(meta, item), item);
    const r = new Map<PathElement, unknown>();
    if (Array.isArray(rhs)) for (const item of rhs) r.set(itemElement(meta, item), item);
    for (const [element, ri] of r) this.item(changed, removed, fieldPath, element, l.get(element), ri, meta);
    for (const [element, li] of l) if (!r.has(element)) this.item(changed, removed, fieldPath, element, li, undefined, meta);
  }

  private item(changed: FieldSet, removed: FieldSet, fieldPath: string[], element: PathElement, li: unknown, ri: unknown, meta: PatchMeta): void {
    if (li !== undefined && ri !== undefined && deepEqual(li, ri)) return;
    const c = child(changed, element);
    const r = child(removed, element);
    if (meta.listType === 'map') this.maps(c, r, fieldPath, li, ri);
    this.ends(c, r, li, ri);
    prune(changed, element);
    prune(removed, element);
  }
}
