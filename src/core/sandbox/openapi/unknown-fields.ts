// Unknown-field detection for fieldValidation=Strict/Warn, as kube-apiserver's strict decoding
// (built-in kinds) and pruning (custom resources) report it: every field of the request body that
// the kind's schema does not declare, with its path in document order.
import { type OpenApiSchema, type RefResolver, isRecord, resolveSchema } from './schema.js';

/**
 * Paths of undeclared fields, like ".spec.containers[0].imagePullPolicyy". Fields under a schema
 * with x-kubernetes-preserve-unknown-fields, inside free-form objects (RawExtension, FieldsV1:
 * type object without properties) or in additionalProperties maps are not reported.
 */
export function findUnknownFieldsInSchema(schema: OpenApiSchema, value: unknown, resolve: RefResolver, options: UnknownFieldOptions = {}): string[] {
  const out: string[] = [];
  walk(schema, value, '', { resolve, out, structural: options.structural ?? false }, 0);
  return out;
}

export interface UnknownFieldOptions {
  /**
   * Structural (CRD) schemas: an object schema without properties keeps nothing unless it says
   * x-kubernetes-preserve-unknown-fields. Built-in schemas use such objects for free-form values.
   */
  structural?: boolean;
}

interface WalkContext {
  resolve: RefResolver;
  out: string[];
  structural: boolean;
}

/** kube-apiserver's wording of one unknown field: `unknown field "spec.foo"`. */
export function unknownFieldMessage(path: string): string {
  return `unknown field "${path.replace(/^\./, '')}"`;
}

/** The 400 message for fieldValidation=Strict: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingError(paths: string[]): string {
  return `strict decoding error: ${paths.map(unknownFieldMessage).join(', ')}`;
}

/**
 * resolveSchema's answers per resolver and schema: documents do not change once loaded (a CRD's new
 * schema is a new document), and every write walks the same few schemas, so each is merged once.
 */
const resolvedSchemas = new WeakMap<RefResolver, WeakMap<OpenApiSchema, OpenApiSchema>>();

function resolvedSchema(schema: OpenApiSchema, resolve: RefResolver): OpenApiSchema {
  let bySchema = resolvedSchemas.get(resolve);
  if (!bySchema) resolvedSchemas.set(resolve, (bySchema = new WeakMap()));
  let result = bySchema.get(schema);
  if (!result) bySchema.set(schema, (result = resolveSchema(schema, resolve)));
  return result;
}

function walk(schema: OpenApiSchema, value: unknown, path: string, ctx: WalkContext, depth: number): void {
  if (value === null || value === undefined || depth > 64) return;
  // A custom resource's schema refers only to built-in components (ObjectMeta and what it holds):
  // those are not structural, their property-less objects (FieldsV1) are free-form.
  if (ctx.structural && (schema.$ref || schema.allOf?.some((s) => s.$ref))) ctx = { ...ctx, structural: false };
  const resolved = resolvedSchema(schema, ctx.resolve);
  const preserve = resolved['x-kubernetes-preserve-unknown-fields'] === true;
  if (Array.isArray(value)) {
    const items = resolved.items;
    if (!items) return;
    for (let index = 0; index < value.length; index++) walk(items, value[index], `${path}[${index}]`, ctx, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  const properties = resolved.properties;
  const additional = resolved.additionalProperties;
  const embedded = resolved['x-kubernetes-embedded-resource'] === true;
  if (!properties && additional === undefined && (preserve || !ctx.structural || resolved.type !== 'object')) return; // free-form
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    const declared = properties?.[key];
    if (declared) walk(declared, child, childPath, ctx, depth + 1);
    else if (isRecord(additional)) walk(additional as OpenApiSchema, child, childPath, ctx, depth + 1);
    else if (additional === true || preserve) continue;
    else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    else ctx.out.push(childPath);
  }
}
