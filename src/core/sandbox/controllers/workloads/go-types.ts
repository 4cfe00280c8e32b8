// The Go value a controller of kube-controller-manager holds for an object: our JSON turned into the
// typed struct of k8s.io/api (field order, Go names, named scalar types from go-types-generated.ts), as
// the controller decodes it from the API server's protobuf. The controllers' hashes print that value
// (go-spew) or marshal it (encoding/json), so it must be the same value, nil where Go has nil.
import { canonicalQuantity } from '../../registry/kinds/quantity.js';
import { parseTime } from '../../protobuf/go-values.js';
import { quantityValue } from './go-quantity.js';

export type GoKind =
  | 'bool' | 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr'
  | 'float32' | 'float64' | 'string' | 'ptr' | 'slice' | 'array' | 'map' | 'struct';

export interface GoField {
  /** The Go field name (go-spew prints it). */
  name: string;
  /** The reflect name of the field's type, a key of the table. */
  type: string;
  embedded?: boolean;
  /** The name in the json struct tag; absent without a tag, '-' when never encoded. */
  json?: string;
  omitempty?: boolean;
  inline?: boolean;
}

export interface GoType {
  kind: string;
  elem?: string;
  key?: string;
  len?: number;
  fields?: GoField[];
}

export type GoTypeTable = Record<string, GoType>;

/** A decoded Go value; `type` is its reflect name (`v1.Container`, `*v1.Probe`, `v1.Protocol`). */
export type GoValue =
  | { kind: 'struct'; type: string; fields: Array<{ field: GoField; value: GoValue }>; json?: unknown }
  | { kind: 'ptr'; type: string; elem: GoValue | null }
  | { kind: 'slice'; type: string; items: GoValue[] | null }
  | { kind: 'map'; type: string; entries: Array<[GoValue, GoValue]> | null }
  | { kind: 'string'; type: string; value: string }
  | { kind: 'int' | 'uint'; type: string; value: bigint }
  | { kind: 'float'; type: string; value: number }
  | { kind: 'bool'; type: string; value: boolean };

const INT_KINDS = new Set(['int', 'int8', 'int16', 'int32', 'int64']);
const UINT_KINDS = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's string order (bytes of UTF-8), which differs from JS's UTF-16 order above U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class GoDecoder {
  constructor(private readonly table: GoTypeTable) {}

  private typeOf(name: string): GoType {
    const t = this.table[name];
    if (!t) throw new Error(`Go type ${name} is missing from go-types-generated.ts; rerun node scripts/gen-go-types.mjs`);
    return t;
  }

  /** Decodes JSON as the typed Go value; absent values give Go's zero value. */
  decode(type: string, json: Json): GoValue {
    const special = this.decodeSpecial(type, json);
    if (special) return special;
    const t = this.typeOf(type);
    switch (t.kind) {
      case 'ptr':
        return { kind: 'ptr', type, elem: json === undefined || json === null ? null : this.decode(t.elem ?? '', json) };
      case 'slice':
      case 'array':
        return { kind: 'slice', type, items: this.decodeItems(t, json) };
      case 'map':
        return { kind: 'map', type, entries: this.decodeEntries(t, json) };
      case 'struct':
        return this.decodeStruct(type, t, json);
      case 'string':
        return { kind: 'string', type, value: typeof json === 'string' ? json : '' };
      case 'bool':
        return { kind: 'bool', type, value: json === true };
      case 'float32':
      case 'float64':
        return { kind: 'float', type, value: typeof json === 'number' ? json : 0 };
      default:
        if (INT_KINDS.has(t.kind) || UINT_KINDS.has(t.kind)) {
          const n = typeof json === 'number' && Number.isFinite(json) ? BigInt(Math.trunc(json)) : typeof json === 'string' && /^-?\d+$/.test(json) ? BigInt(json) : 0n;
          return { kind: INT_KINDS.has(t.kind) ? 'int' : 'uint', type, value: n };
        }
        throw new Error(`cannot decode Go type ${type} of kind ${t.kind}`);
    }
  }

  // Protobuf, which the controller decodes, has no empty list or map apart from an absent one: both
  // come back nil.
  private decodeItems(t: GoType, json: Json): GoValue[] | null {
    if (t.elem === 'uint8' && typeof json === 'string') {
      const bytes = Buffer.from(json, 'base64');
      return bytes.length ? [...bytes].map((b) => ({ kind: 'uint', type: 'uint8', value: BigInt(b) })) : null;
    }
    if (!Array.isArray(json) || json.length === 0) return null;
    return json.map((item) => this.decode(t.elem ?? '', item));
  }

  private decodeEntries(t: GoType, json: Json): Array<[GoValue, GoValue]> | null {
    if (!isObject(json)) return null;
    const keys = Object.keys(json).filter((k) => json[k] !== undefined);
    if (keys.length === 0) return null;
    return keys.sort(compareGoStrings).map((k) => [this.decode(t.key ?? '', k), this.decode(t.elem ?? '', json[k])]);
  }

  private decodeStruct(type: string, t: GoType, json: Json): GoValue {
    const object = isObject(json) ? json : {};
    const fields = (t.fields ?? []).map((field) => {
      // An embedded struct without a JSON name has its fields at the level of its parent.
      const inline = field.embedded && (field.json === undefined || field.json === '');
      const source = inline ? object : field.json && field.json !== '-' ? object[field.json] : undefined;
      return { field, value: this.decode(field.type, source) };
    });
    return { kind: 'struct', type, fields };
  }

  /** Types with their own JSON form (MarshalJSON/UnmarshalJSON upstream). */
  private decodeSpecial(type: string, json: Json): GoValue | undefined {
    if (type === 'resource.Quantity') {
      const text = json === undefined || json === null ? undefined : canonicalQuantity(json);
      return quantityValue(this, typeof text === 'string' ? text : undefined);
    }
    if (type === 'intstr.IntOrString') {
      const isString = typeof json === 'string';
      return this.struct(type, { Type: isString ? 1 : 0, IntVal: isString ? 0 : json, StrVal: isString ? json : '' }, json ?? 0);
    }
    if (type === 'v1.Time') return timeValue(this, typeof json === 'string' ? json : undefined);
    return undefined;
  }

  /** A struct built from Go field names rather than JSON names (for types with unexported fields). */
  struct(type: string, values: Record<string, Json>, json?: Json): GoValue {
    const t = this.typeOf(type);
    const fields = (t.fields ?? []).map((field) => {
      const v = values[field.name];
      return { field, value: isGoValue(v) ? v : this.decode(field.type, v) };
    });
    return { kind: 'struct', type, fields, ...(json !== undefined ? { json } : {}) };
  }
}

function isGoValue(v: Json): v is GoValue {
  return isObject(v) && typeof v.kind === 'string' && typeof v.type === 'string' && ('fields' in v || 'elem' in v || 'items' in v || 'entries' in v || 'value' in v);
}

// time.Time{wall, ext, loc}: without a monotonic reading, wall holds the nanoseconds and ext the seconds
// since year 1. The controller's loc is time.Local, printed as nil here: templates carry no timestamps.
const SECONDS_FROM_YEAR_ONE_TO_UNIX = 62135596800n;

function timeValue(decoder: GoDecoder, text: string | undefined): GoValue {
  let wall = 0n;
  let ext = 0n;
  if (text) {
    const { seconds, nanos } = parseTime(text);
    wall = BigInt(nanos);
    ext = seconds + SECONDS_FROM_YEAR_ONE_TO_UNIX;
  }
  const time = decoder.struct('time.Time', { wall: { kind: 'uint', type: 'uint64', value: wall }, ext: { kind: 'int', type: 'int64', value: ext } });
  return decoder.struct('v1.Time', { Time: time }, text ?? null);
}
