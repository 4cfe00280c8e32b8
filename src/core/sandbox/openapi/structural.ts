// What kube-apiserver does to a custom resource before validating it: apply the structural schema's
// defaults, then prune every field the schema does not declare (unless under
// x-kubernetes-preserve-unknown-fields). apiVersion, kind and metadata of the object itself and of
// x-kubernetes-embedded-resource values are always kept.
import { type OpenApiSchema, type RefResolver, isRecord, noRefs, resolveSchema } from './schema.js';

const EMBEDDED_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/** Fills absent properties that declare a `default`, recursively; mutates `value`. */
export function applySchemaDefaults(schema: OpenApiSchema, value: unknown, resolve: RefResolver = noRefs, depth = 0): void {
  if (depth > 64) return;
  const s = resolveSchema(schema, resolve);
  if (Array.isArray(value)) {
    if (s.items) for (const item of value) applySchemaDefaults(s.items, item, resolve, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const resolved = resolveSchema(prop, resolve);
    if (!(key in value) && resolved.default !== undefined) value[key] = structuredClone(resolved.default);
    if (key in value) applySchemaDefaults(prop, value[key], resolve, depth + 1);
  }
  if (isRecord(s.additionalProperties)) {
    for (const [key, child] of Object.entries(value)) {
      if (!s.properties?.[key]) applySchemaDefaults(s.additionalProperties as OpenApiSchema, child, resolve, depth + 1);
    }
  }
}

/**
 * Removes undeclared fields, as structural pruning does; returns their paths (".spec.foo") in
 * document order. `isRoot` keeps the object's own apiVersion/kind/metadata.
 */
export function pruneUnknownFields(schema: OpenApiSchema, value: unknown, resolve: RefResolver = noRefs, isRoot = true): string[] {
  const removed: string[] = [];
  prune(schema, value, '', resolve, removed, isRoot, 0);
  return removed;
}

function prune(schema: OpenApiSchema, value: unknown, path: string, resolve: RefResolver, removed: string[], embedded: boolean, depth: number): void {
  if (depth > 64) return;
  const s = resolveSchema(schema, resolve);
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => prune(s.items as OpenApiSchema, item, `${path}[${i}]`, resolve, removed, false, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const keepEnvelope = embedded || s['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    const childPath = `${path}.${key}`;
    const declared = s.properties?.[key];
    if (declared) prune(declared, value[key], childPath, resolve, removed, false, depth + 1);
    else if (isRecord(s.additionalProperties)) prune(s.additionalProperties as OpenApiSchema, value[key], childPath, resolve, removed, false, depth + 1);
    else if (s.additionalProperties === true || preserve || (keepEnvelope && EMBEDDED_KEYS.has(key))) continue;
    else {
      delete value[key];
      removed.push(childPath);
    }
  }
}
