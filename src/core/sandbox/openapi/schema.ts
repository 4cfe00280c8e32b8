// OpenAPI v3 schema objects as kube-apiserver publishes them and as CRDs declare them
// (apiextensions.k8s.io/v1 JSONSchemaProps), plus $ref/allOf resolution shared by the validators.

export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [extension: string]: unknown;
}

/** Looks up "#/components/schemas/<name>" refs; undefined when unknown. */
export type RefResolver = (ref: string) => OpenApiSchema | undefined;

export const noRefs: RefResolver = () => undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function componentsResolver(document: unknown): RefResolver {
  const components = isRecord(document) && isRecord(document.components) ? document.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  return (ref) => {
    const prefix = '#/components/schemas/';
    if (!ref.startsWith(prefix)) return undefined;
    const schema = schemas[ref.slice(prefix.length)];
    return isRecord(schema) ? (schema as OpenApiSchema) : undefined;
  };
}

/**
 * Follows $ref and folds single-purpose allOf wrappers (kube-apiserver writes a described reference as
 * {allOf: [{$ref}], description}) into one schema. Properties, required and extensions of every
 * member are merged; the outer schema's own keywords win.
 */
export function resolveSchema(schema: OpenApiSchema, resolve: RefResolver, depth = 0): OpenApiSchema {
  if (depth > 32) return schema;
  let base: OpenApiSchema = schema;
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    if (target) {
      const rest: OpenApiSchema = { ...schema };
      delete rest.$ref;
      base = { ...resolveSchema(target, resolve, depth + 1), ...rest };
    }
  }
  if (!base.allOf || base.allOf.length === 0) return base;
  const merged: OpenApiSchema = {};
  for (const member of base.allOf) {
    const resolved = resolveSchema(member, resolve, depth + 1);
    mergeInto(merged, resolved);
  }
  const own: OpenApiSchema = { ...base };
  delete own.allOf;
  mergeInto(merged, own);
  return merged;
}

function mergeInto(target: OpenApiSchema, source: OpenApiSchema): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties' && isRecord(value)) {
      target.properties = { ...(target.properties ?? {}), ...(value as Record<string, OpenApiSchema>) };
    } else if (key === 'required' && Array.isArray(value)) {
      target.required = [...new Set([...(target.required ?? []), ...(value as string[])])];
    } else {
      target[key] = value;
    }
  }
}

/** JSON type name of a decoded value, as kube-openapi reports it in type errors. */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  return 'object';
}

/** Appends a property to a field path: "" + "spec" = "spec", "spec" + "replicas" = "spec.replicas". */
export function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
