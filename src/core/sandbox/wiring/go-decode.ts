// The first JSON type error kube-apiserver's Go decoder would hit in a built-in object, worded as
// encoding/json words it: `json: cannot unmarshal number into Go struct field Container.spec.
// containers.image of type string`. Learners meet it for `image: 5` or `port: "80"`; without it the
// value would be silently mistyped. Found from the OpenAPI schema: $ref names give the Go struct
// names, formats give int32/int64. Types with their own JSON decoding (Quantity, IntOrString, Time,
// RawExtension...) are components without properties: never judged here.
import { type OpenApiSchema, type RefResolver, isRecord } from '../openapi/schema.js';

interface Context {
  resolve: RefResolver;
  fields: string[];
  struct: string;
}

/** The error for `obj` against its kind's component schema (the Go struct named `kind`), if any. */
export function goDecodeError(schema: OpenApiSchema, kind: string, obj: unknown, resolve: RefResolver): string | undefined {
  if (!isRecord(obj)) return undefined;
  return checkStruct(schema, obj, { resolve, fields: [], struct: kind });
}

function checkStruct(schema: OpenApiSchema, obj: Record<string, unknown>, ctx: Context): string | undefined {
  const properties = schema.properties ?? {};
  for (const [key, value] of Object.entries(obj)) {
    const property = properties[key];
    if (!property) continue; // unknown fields are the strict decoder's business
    // One path stack for the whole walk: a copy per visited field cost more than the checks.
    ctx.fields.push(key);
    const error = checkValue(property, value, ctx);
    ctx.fields.pop();
    if (error) return error;
  }
  return undefined;
}

function checkValue(schema: OpenApiSchema, value: unknown, ctx: Context): string | undefined {
  if (value === null || value === undefined) return undefined; // null leaves a Go field untouched
  const ref = refOf(schema);
  if (ref) {
    const target = ctx.resolve(`#/components/schemas/${ref}`);
    if (!target || !target.properties || target['x-kubernetes-preserve-unknown-fields']) return undefined; // own decoding
    if (!isRecord(value)) return mismatch(value, `${packageOf(ref)}.${shortName(ref)}`, ctx);
    return checkStruct(target, value, { resolve: ctx.resolve, fields: ctx.fields, struct: shortName(ref) });
  }
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields']) return undefined;
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? undefined : mismatch(value, 'string', ctx);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch(value, 'bool', ctx);
    case 'integer': {
      const goType = schema.format === 'int32' ? 'int32' : schema.format === 'int64' ? 'int64' : 'int';
      if (typeof value !== 'number') return mismatch(value, goType, ctx);
      const limit = goType === 'int32' ? 2 ** 31 : 2 ** 63;
      if (!Number.isInteger(value) || value >= limit || value < -limit) return mismatch(value, goType, ctx, ` ${String(value)}`);
      return undefined;
    }
    case 'number':
      return typeof value === 'number' ? undefined : mismatch(value, 'float64', ctx);
    case 'array': {
      const items = schema.items;
      if (!Array.isArray(value)) return mismatch(value, `[]${items ? goTypeOf(items, ctx.resolve) : 'interface {}'}`, ctx);
      if (!items) return undefined;
      for (const item of value) {
        const error = checkValue(items, item, ctx);
        if (error) return error;
      }
      return undefined;
    }
    case 'object': {
      const additional = schema.additionalProperties;
      if (!isRecord(additional)) return undefined; // free-form object
      if (!isRecord(value)) return mismatch(value, `map[string]${goTypeOf(additional as OpenApiSchema, ctx.resolve)}`, ctx);
      for (const item of Object.values(value)) {
        const error = checkValue(additional as OpenApiSchema, item, ctx);
        if (error) return error;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function mismatch(value: unknown, goType: string, ctx: Context, detail = ''): string {
  return `json: cannot unmarshal ${jsonKind(value)}${detail} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goType}`;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

function goTypeOf(schema: OpenApiSchema, resolve: RefResolver): string {
  const ref = refOf(schema);
  if (ref) return `${packageOf(ref)}.${shortName(ref)}`;
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return schema.format === 'int32' ? 'int32' : schema.format === 'int64' ? 'int64' : 'int';
    case 'number':
      return 'float64';
    case 'array':
      return `[]${schema.items ? goTypeOf(schema.items, resolve) : 'interface {}'}`;
    case 'object':
      return isRecord(schema.additionalProperties) ? `map[string]${goTypeOf(schema.additionalProperties as OpenApiSchema, resolve)}` : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

/** The component a property points at, directly or through kube-apiserver's {allOf: [{$ref}]} wrapper. */
function refOf(schema: OpenApiSchema): string | undefined {
  const raw = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return raw?.replace('#/components/schemas/', '');
}

const shortName = (ref: string) => ref.slice(ref.lastIndexOf('.') + 1);

/** Go package name of a component: "io.k8s.api.core.v1.PodSpec" → "v1". */
function packageOf(ref: string): string {
  const parts = ref.split('.');
  return parts[parts.length - 2] ?? '';
}
