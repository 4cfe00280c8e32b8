// Field errors as k8s.io/apimachinery/pkg/util/validation/field builds them and as kube-apiserver
// serializes them into Status causes: {reason, message: ErrorBody(), field}. Messages must match
// kube-apiserver byte for byte because kubectl prints them verbatim.
import type { StatusCause } from '../../../../shared/kube.js';

export type Cause = StatusCause;

/** Go's %q for a string: double quotes, backslash escapes for quotes and control characters. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u007f/g, '\\x7f');
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * A bad value as field.Error.ErrorBody prints it: strings %q, numbers and booleans %v, nil "null",
 * map[string]string and []string with Go's %#v (keys sorted, as fmt does).
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map(goQuote).join(', ')}}`;
  }
  if (isStringRecord(value)) {
    const keys = Object.keys(value).sort();
    return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(value[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string | undefined): string {
  return detail ? `${head}: ${detail}` : head;
}

export function invalid(field: string, value: unknown, detail: string): Cause {
  return { reason: 'FieldValueInvalid', message: withDetail(`Invalid value: ${formatValue(value)}`, detail), field };
}

export function required(field: string, detail = ''): Cause {
  return { reason: 'FieldValueRequired', message: withDetail('Required value', detail), field };
}

export function forbidden(field: string, detail: string): Cause {
  return { reason: 'FieldValueForbidden', message: withDetail('Forbidden', detail), field };
}

export function duplicate(field: string, value: unknown): Cause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${formatValue(value)}`, field };
}

export function notFound(field: string, value: unknown): Cause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${formatValue(value)}`, field };
}

export function notSupported(field: string, value: unknown, valid: readonly string[]): Cause {
  const detail = valid.length > 0 ? `supported values: ${valid.map(goQuote).join(', ')}` : '';
  return { reason: 'FieldValueNotSupported', message: withDetail(`Unsupported value: ${formatValue(value)}`, detail), field };
}

export function tooLong(field: string, maxLength: number): Cause {
  return { reason: 'FieldValueTooLong', message: `Too long: must have at most ${maxLength} bytes`, field };
}

export function tooMany(field: string, actual: number, max: number): Cause {
  return { reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items`, field };
}

/** ValidateImmutableField: `Invalid value: <new>: field is immutable`. */
export function immutable(field: string, value: unknown): Cause {
  return invalid(field, value, 'field is immutable');
}

/** One Invalid cause per message, as most apimachinery validators report IsDNS1123Label etc. */
export function invalidEach(field: string, value: unknown, messages: string[]): Cause[] {
  return messages.map((m) => invalid(field, value, m));
}

/** `spec.containers[0]`-style paths. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** `metadata.labels[app]`-style paths (field.Path.Key). */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export function validateNonnegative(field: string, value: unknown): Cause[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

export function validatePositive(field: string, value: unknown): Cause[] {
  return typeof value === 'number' && value <= 0 ? [invalid(field, value, 'must be greater than 0')] : [];
}

export function validateEnum(field: string, value: unknown, valid: readonly string[], isRequired = false): Cause[] {
  if (value === undefined || value === '') return isRequired ? [required(field, '')] : [];
  return typeof value === 'string' && valid.includes(value) ? [] : [notSupported(field, value, valid)];
}
