// Go's encoding/json output for a typed value, after the round trip through map[string]interface{}
// that the StatefulSet and DaemonSet controllers make before storing a ControllerRevision: which
// fields appear follows the struct tags (omitempty drops false, 0, "", nil and empty lists and maps,
// never structs), types with MarshalJSON write their own form (Quantity, IntOrString, Time: a zero
// creationTimestamp is `null`), and the map round trip sorts every object's keys.
import { compareGoStrings, type GoField, type GoValue } from './go-types.js';

/** A JSON string as Go writes it: HTML characters and the JS line separators escaped too. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isEmpty(v: GoValue): boolean {
  switch (v.kind) {
    case 'bool':
      return !v.value;
    case 'int':
    case 'uint':
      return v.value === 0n;
    case 'float':
      return v.value === 0;
    case 'string':
      return v.value === '';
    case 'ptr':
      return v.elem === null;
    case 'slice':
      return v.items === null || v.items.length === 0;
    case 'map':
      return v.entries === null || v.entries.length === 0;
    case 'struct':
      return false;
  }
}

const isExported = (field: GoField) => /^\p{Lu}/u.test(field.name);

/** The JSON members of a struct, promoted fields of embedded structs included. */
function members(v: Extract<GoValue, { kind: 'struct' }>, out: Map<string, string>): void {
  for (const { field, value } of v.fields) {
    if (field.json === '-') continue;
    const promoted = field.embedded && (field.json === undefined || field.json === '');
    if (promoted && value.kind === 'struct' && value.json === undefined) {
      members(value, out);
      continue;
    }
    if (!isExported(field)) continue;
    if (field.omitempty && isEmpty(value)) continue;
    const name = field.json || field.name;
    if (!out.has(name)) out.set(name, marshal(value));
  }
}

function marshalJsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  return String(value);
}

function object(entries: Array<[string, string]>): string {
  return `{${entries.sort(([a], [b]) => compareGoStrings(a, b)).map(([k, json]) => `${goQuote(k)}:${json}`).join(',')}}`;
}

function marshal(v: GoValue): string {
  switch (v.kind) {
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
    case 'uint':
      return v.value.toString();
    case 'float':
      return String(v.value);
    case 'string':
      return goQuote(v.value);
    case 'ptr':
      return v.elem === null ? 'null' : marshal(v.elem);
    case 'slice':
      if (v.items === null) return 'null';
      if (v.type === '[]uint8') return goQuote(Buffer.from(v.items.map((b) => (b.kind === 'uint' ? Number(b.value) : 0))).toString('base64'));
      return `[${v.items.map(marshal).join(',')}]`;
    case 'map':
      if (v.entries === null) return 'null';
      return object(v.entries.map(([k, x]) => [k.kind === 'string' ? k.value : marshal(k), marshal(x)]));
    case 'struct': {
      if (v.json !== undefined) return marshalJsonValue(v.json);
      const out = new Map<string, string>();
      members(v, out);
      return object([...out]);
    }
  }
}

/** json.Marshal of the value, with every object's keys sorted as the map round trip leaves them. */
export function goJsonMarshal(v: GoValue): string {
  return marshal(v);
}
