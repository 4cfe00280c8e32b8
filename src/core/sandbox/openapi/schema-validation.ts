// Validation of a value against a structural schema, as kube-apiserver applies a CRD's
// openAPIV3Schema to custom resources, with the field errors worded as k8s.io/apimachinery's
// field.ErrorList words them (kube-openapi's "<path> in body ..." details inside).
import { type OpenApiSchema, type RefResolver, childPath, isRecord, jsonTypeOf, noRefs, resolveSchema } from './schema.js';

export interface SchemaFieldError {
  /** "spec.replicas", "spec.items[0].name". */
  field: string;
  /** "Required value", `Invalid value: "string": spec.replicas in body must be of type integer: "string"`. */
  message: string;
  /** StatusCause reason: FieldValueRequired, FieldValueInvalid, FieldValueTypeInvalid, ... */
  reason: string;
}

/** All field errors of `value` against `schema`; `path` is the value's own field path ("" for an object root). */
export function validateAgainstSchema(schema: OpenApiSchema, value: unknown, path: string, resolve: RefResolver = noRefs): SchemaFieldError[] {
  const out: SchemaFieldError[] = [];
  validate(schema, value, path, resolve, out, 0);
  return out;
}

/** A value as field.Error prints it: strings quoted, numbers and booleans bare, others as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function invalid(out: SchemaFieldError[], field: string, value: unknown, detail: string): void {
  out.push({ field, message: `Invalid value: ${formatValue(value)}: ${detail}`, reason: 'FieldValueInvalid' });
}

function typeInvalid(out: SchemaFieldError[], field: string, expected: string, value: unknown): void {
  const actual = jsonTypeOf(value);
  out.push({
    field,
    message: `Invalid value: "${actual}": ${field} in body must be of type ${expected}: "${actual}"`,
    reason: 'FieldValueTypeInvalid',
  });
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function validate(schema: OpenApiSchema, value: unknown, path: string, resolve: RefResolver, out: SchemaFieldError[], depth: number): void {
  if (depth > 64) return;
  const s = resolveSchema(schema, resolve);
  if (value === null || value === undefined) {
    if (value === null && !s.nullable && s.type) typeInvalid(out, path, s.type, null);
    return;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    if (!typeMatches('integer', value) && typeof value !== 'string') typeInvalid(out, path, 'integer,string', value);
    return validateValue(s, value, path, out);
  }
  if (s.type && !typeMatches(s.type, value)) return typeInvalid(out, path, s.type, value);
  validateValue(s, value, path, out);
  validateComposites(s, value, path, resolve, out);
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => validate(s.items as OpenApiSchema, item, `${path}[${i}]`, resolve, out, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  for (const name of s.required ?? []) {
    if (!(name in value)) out.push({ field: childPath(path, name), message: 'Required value', reason: 'FieldValueRequired' });
  }
  for (const [key, child] of Object.entries(value)) {
    const declared = s.properties?.[key];
    if (declared) validate(declared, child, childPath(path, key), resolve, out, depth + 1);
    else if (isRecord(s.additionalProperties)) validate(s.additionalProperties as OpenApiSchema, child, childPath(path, key), resolve, out, depth + 1);
  }
}

/** anyOf/oneOf/not: in structural schemas these only combine value validations (required, enum, ...). */
function validateComposites(s: OpenApiSchema, value: unknown, path: string, resolve: RefResolver, out: SchemaFieldError[]): void {
  const passes = (member: OpenApiSchema): boolean => validateAgainstSchema(member, value, path, resolve).length === 0;
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && !s.anyOf.some(passes)) {
    invalid(out, path, value, `${path} in body must validate at least one schema (anyOf)`);
  }
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.filter(passes).length !== 1) {
    invalid(out, path, value, `${path} in body must validate one and only one schema (oneOf)`);
  }
  if (isRecord(s.not) && passes(s.not as OpenApiSchema)) invalid(out, path, value, `${path} in body must not validate the schema (not)`);
}

/** Keyword checks on the value itself (not its children). */
function validateValue(s: OpenApiSchema, value: unknown, path: string, out: SchemaFieldError[]): void {
  if (Array.isArray(s.enum) && s.enum.length > 0 && !s.enum.some((allowed) => deepEqual(allowed, value))) {
    out.push({
      field: path,
      message: `Unsupported value: ${formatValue(value)}: supported values: ${s.enum.map(formatValue).join(', ')}`,
      reason: 'FieldValueNotSupported',
    });
  }
  if (typeof value === 'number') validateNumber(s, value, path, out);
  else if (typeof value === 'string') validateString(s, value, path, out);
  else if (Array.isArray(value)) validateArray(s, value, path, out);
  else if (isRecord(value)) {
    const count = Object.keys(value).length;
    if (typeof s.minProperties === 'number' && count < s.minProperties) {
      invalid(out, path, value, `${path} in body should have at least ${s.minProperties} properties`);
    }
    if (typeof s.maxProperties === 'number' && count > s.maxProperties) {
      out.push({ field: path, message: `Too many: ${count}: must have at most ${s.maxProperties} items`, reason: 'FieldValueTooMany' });
    }
  }
}

function validateNumber(s: OpenApiSchema, value: number, path: string, out: SchemaFieldError[]): void {
  if (typeof s.minimum === 'number') {
    if (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum) {
      invalid(out, path, value, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`);
    }
  }
  if (typeof s.maximum === 'number') {
    if (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum) {
      invalid(out, path, value, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`);
    }
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const quotient = value / s.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) invalid(out, path, value, `${path} in body should be a multiple of ${s.multipleOf}`);
  }
}

/** The string formats kube-apiserver checks in custom resources (a subset of kube-openapi's strfmt). */
const FORMATS: Record<string, (v: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
  cidr: (v) => {
    const [ip, bits, extra] = v.split('/');
    if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
    return (isIPv4(ip) && Number(bits) <= 32) || (isIPv6(ip) && Number(bits) <= 128);
  },
  hostname: (v) => v.length <= 255 && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
  email: (v) => /^[^@\s]+@[^@\s]+$/.test(v),
};

function isIPv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(v: string): boolean {
  if (!v.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(v)) return false;
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const last = groups[groups.length - 1] ?? '';
  const tailIsV4 = last.includes('.');
  if (tailIsV4 && !isIPv4(last)) return false;
  const hexGroups = tailIsV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (tailIsV4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

function validateString(s: OpenApiSchema, value: string, path: string, out: SchemaFieldError[]): void {
  const check = s.format ? FORMATS[s.format] : undefined;
  if (check && !check(value)) {
    out.push({ field: path, message: `Invalid value: ${formatValue(value)}: ${path} in body must be of type ${s.format}: ${formatValue(value)}`, reason: 'FieldValueTypeInvalid' });
  }
  const length = [...value].length; // kube-openapi counts runes, not bytes
  if (typeof s.maxLength === 'number' && length > s.maxLength) {
    out.push({ field: path, message: `Too long: may not be more than ${s.maxLength} bytes`, reason: 'FieldValueTooLong' });
  }
  if (typeof s.minLength === 'number' && length < s.minLength) {
    invalid(out, path, value, `${path} in body should be at least ${s.minLength} chars long`);
  }
  if (typeof s.pattern === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      re = undefined; // an RE2 construct JavaScript lacks; kube-apiserver would have rejected the CRD instead
    }
    if (re && !re.test(value)) invalid(out, path, value, `${path} in body should match '${s.pattern}'`);
  }
}

function validateArray(s: OpenApiSchema, value: unknown[], path: string, out: SchemaFieldError[]): void {
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
    out.push({ field: path, message: `Too many: ${value.length}: must have at most ${s.maxItems} items`, reason: 'FieldValueTooMany' });
  }
  if (typeof s.minItems === 'number' && value.length < s.minItems) {
    invalid(out, path, value, `${path} in body should have at least ${s.minItems} items`);
  }
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (s.uniqueItems === true || listType === 'set') {
    value.forEach((item, i) => {
      if (value.findIndex((other) => deepEqual(other, item)) < i) {
        out.push({ field: `${path}[${i}]`, message: `Duplicate value: ${formatValue(item)}`, reason: 'FieldValueDuplicate' });
      }
    });
  } else if (listType === 'map' && Array.isArray(keys)) {
    const keyOf = (item: unknown): string => JSON.stringify(keys.map((k) => (isRecord(item) ? item[String(k)] : undefined)));
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = keyOf(item);
      if (seen.has(key)) {
        const shown = Object.fromEntries(keys.map((k) => [String(k), isRecord(item) ? item[String(k)] : undefined]));
        out.push({ field: `${path}[${i}]`, message: `Duplicate value: ${JSON.stringify(shown)}`, reason: 'FieldValueDuplicate' });
      }
      seen.add(key);
    });
  }
}
