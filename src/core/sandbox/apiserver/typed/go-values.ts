// Go's fmt renderings of decoded JSON values (map[string]interface{}, []interface{}, string, int64,
// float64, bool, nil), which kube-apiserver puts verbatim into its type errors. `floats`: every number
// is a float64 (sigs.k8s.io/yaml decodes server-side apply bodies so); otherwise integral numbers are
// int64, as k8s.io/apimachinery/pkg/util/json decodes patches.
import { isRecord } from '../../openapi/schema.js';

/** strconv.Quote: printable characters kept, the rest escaped as Go escapes them. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch in SHORT_ESCAPES) out += SHORT_ESCAPES[ch];
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (!NOT_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** %v of a float64: strconv's shortest 'g' form, with an exponent from 1e6 up and below 1e-4 (as fmt.Println(1e6) prints 1e+06). */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exp] = n.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(n);
}

function goNumber(n: number, floats: boolean): string {
  return !floats && Number.isSafeInteger(n) ? String(n) : goFloat(n);
}

/** fmt's %v (and %+v): maps with sorted keys as map[k:v], slices as [a b], nil as <nil>. */
export function goV(value: unknown, floats = false): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value, floats);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => goV(v, floats)).join(' ')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goV(value[k], floats)}`).join(' ')}]`;
  }
  return String(value);
}

/** fmt's %#v of a value held in an interface{}: Go syntax, as map[string]interface {}{"a":1}. */
export function goSharpV(value: unknown, floats = false): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value, floats);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map((v) => goSharpV(v, floats)).join(', ')}}`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${goSharpV(value[k], floats)}`).join(', ')}}`;
  }
  return String(value);
}

/** encoding/json's name of a JSON value's kind in "cannot unmarshal <kind> into ...". */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** reflect.Kind of a decoded JSON value, as runtime.DefaultUnstructuredConverter names it. */
export function reflectKind(value: unknown, floats = false): string {
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return !floats && Number.isSafeInteger(value) ? 'int64' : 'float64';
  return 'map';
}

/** %T of a decoded JSON value. */
export function goTypeName(value: unknown, floats = false): string {
  const kind = reflectKind(value, floats);
  if (kind === 'slice') return '[]interface {}';
  if (kind === 'map') return 'map[string]interface {}';
  return kind;
}
