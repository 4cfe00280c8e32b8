// A PatchSchema from an OpenAPI v3 schema (a CRD's openAPIV3Schema, or a built-in definition with its
// references resolved): the x-kubernetes-* extensions say how lists and maps merge.
import { isObject, type JsonObject } from './json-value.js';
import { objectMetaNode, treeSchema, type PatchMeta, type PatchSchema, type PatchStrategy, type SchemaNode } from './schema.js';

const strategies: readonly string[] = ['merge', 'replace', 'retainKeys', 'merge,retainKeys'];

function scalarDefault(value: unknown): string | number | boolean | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

function metaOf(schema: JsonObject): PatchMeta | undefined {
  const meta: PatchMeta = {};
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string' && strategies.includes(strategy)) meta.strategy = strategy as PatchStrategy;
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  if (typeof mergeKey === 'string') meta.mergeKey = mergeKey;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'atomic' || listType === 'set' || listType === 'map') meta.listType = listType;
  const keys = schema['x-kubernetes-list-map-keys'];
  if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) {
    meta.listMapKeys = keys as string[];
    const itemProps = isObject(schema.items) && isObject(schema.items.properties) ? schema.items.properties : {};
    for (const key of meta.listMapKeys) {
      const prop = itemProps[key];
      const value = isObject(prop) ? scalarDefault(prop.default) : undefined;
      if (value !== undefined) meta.keyDefaults = { ...meta.keyDefaults, [key]: value };
    }
  }
  if (schema['x-kubernetes-map-type'] === 'atomic') meta.atomic = true;
  if (schema.type !== 'array' && isObject(schema.additionalProperties) && !isObject(schema.properties)) meta.mapEntries = true;
  return Object.keys(meta).length > 0 ? meta : undefined;
}

function nodeOf(schema: unknown, depth: number): SchemaNode {
  if (!isObject(schema) || depth > 64) return {};
  const node: SchemaNode = {};
  const meta = metaOf(schema);
  if (meta) node.meta = meta;
  // A list's item fields are the list's own children: paths skip list items.
  const shape = schema.type === 'array' && isObject(schema.items) ? schema.items : schema;
  if (isObject(shape.properties)) {
    node.fields = {};
    for (const [name, child] of Object.entries(shape.properties)) node.fields[name] = nodeOf(child, depth + 1);
  }
  if (isObject(shape.additionalProperties)) node.additional = nodeOf(shape.additionalProperties, depth + 1);
  return node;
}

/**
 * The patch schema of a custom resource from its openAPIV3Schema. Lists without x-kubernetes-list-type
 * are atomic, as kube-apiserver treats them; metadata is always ObjectMeta.
 */
export function patchSchemaFromOpenApi(openApiV3Schema: unknown, options: { statusSubresource: boolean }): PatchSchema {
  const root = nodeOf(openApiV3Schema, 0);
  root.fields = { ...root.fields, metadata: objectMetaNode };
  return treeSchema(root, { statusSubresource: options.statusSubresource });
}
