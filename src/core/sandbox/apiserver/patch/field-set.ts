// Sets of field paths, as structured-merge-diff's fieldpath.Set, and their FieldsV1 encoding.
// A path element is kept in its FieldsV1 spelling: "f:name" (field), "k:{...}" (item of a map list, by
// its keys), "v:..." (item of a set), "i:N" (item by index). A node is a member when the path itself
// is in the set; FieldsV1 writes a member with children as ".": {}.
import { isObject, type JsonObject } from './json-value.js';

export type PathElement = string;

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** "k:{...}" with the key fields sorted by name, as kube-apiserver writes them. */
export function keyElement(keys: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(keys).sort()) sorted[name] = keys[name];
  return `k:${JSON.stringify(sorted)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${JSON.stringify(value)}`;
}

const typeRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const valueRank = (v: unknown): number => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : 4);

/** structured-merge-diff's value order: numbers by value (80 before 443), strings bytewise. */
function compareValues(a: unknown, b: unknown): number {
  const rank = valueRank(a) - valueRank(b);
  if (rank !== 0) return rank;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

/** Key fields in name order, then their values; a key that is a prefix of another sorts first. */
function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  for (let i = 0; i < Math.max(an.length, bn.length); i++) {
    if (i >= an.length) return -1;
    if (i >= bn.length) return 1;
    const byName = compareStrings(an[i], bn[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[an[i]], b[bn[i]]);
    if (byValue !== 0) return byValue;
  }
  return 0;
}

/** FieldsV1 order (fieldpath.PathElement.Compare): fields, then keyed items, then values, then indices. */
function compareElements(a: PathElement, b: PathElement): number {
  const rank = (typeRank[a[0]] ?? 9) - (typeRank[b[0]] ?? 9);
  if (rank !== 0) return rank;
  const bodyA = a.slice(2);
  const bodyB = b.slice(2);
  try {
    if (a[0] === 'k') return compareKeys(JSON.parse(bodyA) as Record<string, unknown>, JSON.parse(bodyB) as Record<string, unknown>);
    if (a[0] === 'v') return compareValues(JSON.parse(bodyA), JSON.parse(bodyB));
    if (a[0] === 'i') return Number(bodyA) - Number(bodyB);
  } catch {
    // Not our encoding (hand-edited managedFields): fall back to the text.
  }
  return compareStrings(a, b);
}

/**
 * Keys in FieldsV1 order. Field names alone (most nodes) compare as plain strings, so they skip
 * compareElements, which parses the keys of list items on every comparison.
 */
function sortedElements(children: Map<PathElement, unknown>): PathElement[] {
  const keys = [...children.keys()];
  if (keys.length < 2) return keys;
  return keys.every((k) => k.startsWith('f:')) ? keys.sort() : keys.sort(compareElements);
}

/** Go's value.ToString for a key or set value: strings quoted, the rest as JSON. */
function valueString(value: unknown): string {
  return JSON.stringify(value);
}

/** ".spec.containers[name=\"nginx\"].image", as fieldpath.Path.String() writes paths in conflict messages. */
export function pathString(path: readonly PathElement[]): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as JsonObject;
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${valueString(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

export class FieldSet {
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (!isObject(fields)) return set;
    const keys = Object.keys(fields);
    if (keys.length === 0) {
      set.member = true;
      return set;
    }
    for (const key of keys) {
      if (key === '.') set.member = true;
      else {
        const child = FieldSet.fromFieldsV1(fields[key]);
        if (!child.empty()) set.children.set(key, child);
      }
    }
    return set;
  }

  static of(paths: readonly (readonly PathElement[])[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const key of sortedElements(this.children)) out[key] = this.children.get(key)?.toFieldsV1();
    return out;
  }

  empty(): boolean {
    return !this.member && this.children.size === 0;
  }

  insert(path: readonly PathElement[], from = 0): void {
    if (from >= path.length) {
      this.member = true;
      return;
    }
    let child = this.children.get(path[from]);
    if (!child) {
      child = new FieldSet();
      this.children.set(path[from], child);
    }
    child.insert(path, from + 1);
  }

  has(path: readonly PathElement[], from = 0): boolean {
    if (from >= path.length) return this.member;
    return this.children.get(path[from])?.has(path, from + 1) ?? false;
  }

  /** Every member path, a node before its children, children in FieldsV1 order. */
  members(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = this.member ? [prefix] : [];
    for (const key of sortedElements(this.children)) {
      out.push(...(this.children.get(key) as FieldSet).members([...prefix, key]));
    }
    return out;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const [key, child] of this.children) {
      const theirs = other.children.get(key);
      out.children.set(key, theirs ? child.union(theirs) : child.clone());
    }
    for (const [key, child] of other.children) if (!out.children.has(key)) out.children.set(key, child.clone());
    return out;
  }

  /** Members of this set that are not members of `other` (exact paths; children stay). */
  difference(other: FieldSet | undefined): FieldSet {
    if (!other) return this.clone();
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, child] of this.children) {
      const rest = child.difference(other.children.get(key));
      if (!rest.empty()) out.children.set(key, rest);
    }
    return out;
  }

  intersection(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (!other) return out;
    out.member = this.member && other.member;
    for (const [key, child] of this.children) {
      const theirs = other.children.get(key);
      if (!theirs) continue;
      const both = child.intersection(theirs);
      if (!both.empty()) out.children.set(key, both);
    }
    return out;
  }

  /** Members of this set that neither are in `other` nor are below a member of `other`. */
  recursiveDifference(other: FieldSet | undefined): FieldSet {
    if (!other) return this.clone();
    const out = new FieldSet();
    if (other.member) return out;
    out.member = this.member;
    for (const [key, child] of this.children) {
      const rest = child.recursiveDifference(other.children.get(key));
      if (!rest.empty()) out.children.set(key, rest);
    }
    return out;
  }

  /**
   * this.recursiveDifference(recursive).difference(exact) in one pass. Subtrees neither touches are
   * shared with this set, not copied: sets are never changed in place once built.
   */
  without(recursive: FieldSet | undefined, exact: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (recursive?.member) return out;
    out.member = this.member && !exact?.member;
    for (const [key, child] of this.children) {
      const r = recursive?.children.get(key);
      const e = exact?.children.get(key);
      const rest = r || e ? child.without(r, e) : child;
      if (!rest.empty()) out.children.set(key, rest);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [key, child] of this.children) out.children.set(key, child.clone());
    return out;
  }
}
