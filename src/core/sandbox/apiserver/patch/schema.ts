// What the patch engines need to know about a kind's fields: for strategic merge patch the
// `patchStrategy`/`patchMergeKey` struct tags, for server-side apply the OpenAPI `x-kubernetes-list-type`,
// `x-kubernetes-list-map-keys` and `x-kubernetes-map-type`/`structType`. Paths are field names only:
// list items are transparent, so ["spec", "containers", "ports"] is the ports list of any container.
import type { JsonObject } from './json-value.js';

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface PatchMeta {
  /** Strategic merge patch strategy. Absent on a list: the patch list replaces the live one. */
  strategy?: PatchStrategy;
  /** Strategic merge patch key of a list of objects (e.g. "name" for containers). */
  mergeKey?: string;
  /** Server-side apply list semantics. Absent: atomic (replaced as a whole, owned as one field). */
  listType?: 'atomic' | 'set' | 'map';
  /** Keys identifying an item of a `map` list, as listed in the OpenAPI schema. */
  listMapKeys?: string[];
  /** Defaults of list-map keys an item may omit (ports' protocol: "TCP"); they are part of the item's key. */
  keyDefaults?: Record<string, string | number | boolean>;
  /** A map or struct that server-side apply treats as one value (`structType=atomic`, `mapType=atomic`). */
  atomic?: boolean;
  /** The object's keys are entries of a map (OpenAPI additionalProperties), each owned as a whole. */
  mapEntries?: boolean;
}

export interface PatchSchema {
  patchMetaFor(path: readonly string[]): PatchMeta | undefined;
  /**
   * Fields the write's strategy resets, so nobody owns them: "status" for a main-resource write of a kind
   * with a status subresource, "spec" for a write to its status subresource.
   */
  resetFields(subresource: string | undefined): readonly (readonly string[])[];
  /** The kind's Go zero value as kube-apiserver serializes it: the "old" object of a create. */
  zeroObject(): JsonObject;
}

/** A schema as a tree: `fields` of an object, or of the items of a list. */
export interface SchemaNode {
  meta?: PatchMeta;
  fields?: Record<string, SchemaNode>;
  /** Schema of the values of a map with arbitrary keys (OpenAPI additionalProperties). */
  additional?: SchemaNode;
}

export interface TreeSchemaOptions {
  /** The kind has a status subresource (its main resource does not write status, and vice versa). */
  statusSubresource: boolean;
  zero?: () => JsonObject;
}

export function treeSchema(root: SchemaNode, options: TreeSchemaOptions): PatchSchema {
  return {
    patchMetaFor(path) {
      let node: SchemaNode | undefined = root;
      for (const name of path) {
        node = node.fields?.[name] ?? node.additional;
        if (!node) return undefined;
      }
      return node.meta;
    },
    resetFields(subresource) {
      if (!options.statusSubresource) return [];
      if (subresource === 'status') return [['spec']];
      if (subresource === undefined || subresource === '') return [['status']];
      return [];
    },
    zeroObject() {
      return options.zero ? options.zero() : {};
    },
  };
}

// Builders for the tables, named after the Go markers they stand for.

/** `+listType=map +listMapKey=<keys> +patchStrategy=merge +patchMergeKey=<keys[0]>`. */
export function mapList(keys: string[], fields?: Record<string, SchemaNode>, extra?: Partial<PatchMeta>): SchemaNode {
  return { meta: { strategy: 'merge', mergeKey: keys[0], listType: 'map', listMapKeys: keys, ...extra }, fields };
}

/** `+listType=set +patchStrategy=merge`: a list of scalars merged as a set. */
export function setList(): SchemaNode {
  return { meta: { strategy: 'merge', listType: 'set' } };
}

/** `+structType=atomic` / `+mapType=atomic`. */
export function atomicMap(): SchemaNode {
  return { meta: { atomic: true } };
}

export function struct(fields: Record<string, SchemaNode>, meta?: PatchMeta): SchemaNode {
  return { meta, fields };
}

export const objectMetaNode: SchemaNode = struct({
  finalizers: setList(),
  ownerReferences: mapList(['uid']),
});

/** Unknown kinds (and custom resources without a schema): metadata only, every other list atomic. */
export function genericPatchSchema(options: { statusSubresource?: boolean } = {}): PatchSchema {
  return treeSchema(struct({ metadata: objectMetaNode }), { statusSubresource: options.statusSubresource ?? false });
}
