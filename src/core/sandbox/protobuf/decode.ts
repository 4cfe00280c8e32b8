// Protobuf message → the JSON value Kubernetes' Go JSON encoding would write for the same Go object.
//
// Presence rules, from gogo's marshalling: a Go value field (nullable=false) is always on the wire,
// a pointer only when non-nil, a slice or map only when non-empty. So:
// - messages present on the wire are kept, empty ones as {} (a pointer to an empty struct such as
//   `emptyDir: {}` means something; a value struct is always written by Go's JSON too: `status: {}`);
//   the zero metav1.Time is the exception (Go writes null; we omit the field);
// - pointer scalars are kept whatever their value (`replicas: 0`, `automountServiceAccountToken: false`,
//   `storageClassName: ""`);
// - value scalars equal to their zero value are dropped, as `omitempty` does, unless the field's Go
//   tag lacks omitempty (`always`: containerPort, key), where Go's JSON writes the zero too;
// - empty repeated fields and maps cannot be told from nil ones and are omitted (Go writes [] or null);
// - value fields missing from the wire (writers other than gogo) are filled as Go would hold them.
// The result equals what kubectl's own JSON for the same object holds, minus its nulls (zero times,
// nil lists without omitempty): the kubectl tests compare the two field by field.
import { KubernetesProtobufError } from './errors.js';
import { formatDuration, formatMicroTime, formatTime } from './go-values.js';
import { FieldType, type ProtobufSchema, type ProtoField } from './schema.js';
import { isNamedSlice, WellKnown } from './well-known.js';
import { ProtoReader, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, type WireField } from './wire.js';

/** Decodes a nested k8s-envelope (RawExtension holding protobuf, as in WatchEvent). */
export type EnvelopeDecoder = (bytes: Uint8Array) => unknown;

const utf8 = new TextDecoder('utf-8', { fatal: false });

function varintOf(field: ProtoField, wire: WireField): bigint {
  if (wire.wireType !== WIRE_VARINT || wire.varint === undefined) {
    throw new KubernetesProtobufError('Malformed', `field ${field.name} (${field.number}) should be a varint, got wire type ${wire.wireType}`);
  }
  return wire.varint;
}

function fixedView(field: ProtoField, wire: WireField, wireType: number): DataView {
  if (wire.wireType !== wireType || !wire.bytes) {
    throw new KubernetesProtobufError('Malformed', `field ${field.name} (${field.number}) should have wire type ${wireType}, got ${wire.wireType}`);
  }
  return new DataView(wire.bytes.buffer, wire.bytes.byteOffset, wire.bytes.byteLength);
}

function scalarValue(field: ProtoField, wire: WireField): unknown {
  switch (field.type) {
    case FieldType.String:
    case FieldType.Bytes: {
      if (wire.wireType !== WIRE_BYTES || !wire.bytes) {
        throw new KubernetesProtobufError('Malformed', `field ${field.name} (${field.number}) should be length-delimited, got wire type ${wire.wireType}`);
      }
      return field.type === FieldType.String ? utf8.decode(wire.bytes) : Buffer.from(wire.bytes).toString('base64');
    }
    case FieldType.Bool:
      return varintOf(field, wire) !== 0n;
    case FieldType.Int64:
      return Number(BigInt.asIntN(64, varintOf(field, wire)));
    case FieldType.Uint64:
      return Number(BigInt.asUintN(64, varintOf(field, wire)));
    case FieldType.Int32:
    case FieldType.Enum:
      return Number(BigInt.asIntN(32, varintOf(field, wire)));
    case FieldType.Uint32:
      return Number(BigInt.asUintN(32, varintOf(field, wire)));
    case FieldType.Sint32:
    case FieldType.Sint64: {
      const v = varintOf(field, wire);
      return Number((v >> 1n) ^ -(v & 1n));
    }
    case FieldType.Double:
      return fixedView(field, wire, WIRE_FIXED64).getFloat64(0, true);
    case FieldType.Float:
      return fixedView(field, wire, WIRE_FIXED32).getFloat32(0, true);
    case FieldType.Fixed64:
      return Number(fixedView(field, wire, WIRE_FIXED64).getBigUint64(0, true));
    case FieldType.Sfixed64:
      return Number(fixedView(field, wire, WIRE_FIXED64).getBigInt64(0, true));
    case FieldType.Fixed32:
      return fixedView(field, wire, WIRE_FIXED32).getUint32(0, true);
    case FieldType.Sfixed32:
      return fixedView(field, wire, WIRE_FIXED32).getInt32(0, true);
    default:
      throw new KubernetesProtobufError('Unsupported', `field ${field.name} has protobuf type ${field.type}, which the decoder does not support`);
  }
}

/** Scalars of a wire field: several for a packed repeated field. */
function scalarValues(field: ProtoField, wire: WireField): unknown[] {
  const packable = field.type !== FieldType.String && field.type !== FieldType.Bytes;
  if (!field.repeated || !packable || wire.wireType !== WIRE_BYTES || !wire.bytes) return [scalarValue(field, wire)];
  const reader = new ProtoReader(wire.bytes);
  const out: unknown[] = [];
  const size = field.type === FieldType.Double || field.type === FieldType.Fixed64 || field.type === FieldType.Sfixed64 ? 8 : 4;
  const fixed = [FieldType.Double, FieldType.Float, FieldType.Fixed32, FieldType.Fixed64, FieldType.Sfixed32, FieldType.Sfixed64].some((t) => t === field.type);
  let offset = 0;
  while (fixed ? offset < wire.bytes.length : !reader.done) {
    if (fixed) {
      const bytes = wire.bytes.subarray(offset, offset + size);
      offset += size;
      out.push(scalarValue(field, { number: field.number, wireType: size === 8 ? WIRE_FIXED64 : WIRE_FIXED32, bytes }));
    } else {
      out.push(scalarValue(field, { number: field.number, wireType: WIRE_VARINT, varint: reader.varint() }));
    }
  }
  return out;
}

function appendTo(out: Record<string, unknown>, key: string, values: unknown[]): void {
  const list = out[key];
  if (Array.isArray(list)) list.push(...values);
  else out[key] = values;
}

const isZero = (value: unknown): boolean => value === '' || value === 0 || value === false;

function zeroScalar(type: number): unknown {
  if (type === FieldType.String || type === FieldType.Bytes) return '';
  return type === FieldType.Bool ? false : 0;
}

export class MessageDecoder {
  constructor(
    private readonly schema: ProtobufSchema,
    private readonly decodeEnvelope: EnvelopeDecoder,
  ) {}

  /** The JSON value of a message of type `name`; undefined when Go would write nothing (zero Time). */
  decode(name: string, bytes: Uint8Array): unknown {
    const special = this.decodeWellKnown(name, bytes);
    if (special.known) return special.value;
    if (isNamedSlice(this.schema, name)) {
      return this.decodeObject(name, bytes).items ?? [];
    }
    return this.decodeObject(name, bytes);
  }

  private decodeWellKnown(name: string, bytes: Uint8Array): { known: boolean; value?: unknown } {
    switch (name) {
      case WellKnown.time:
      case WellKnown.microTime: {
        if (bytes.length === 0) return { known: true, value: undefined };
        const { seconds, nanos } = this.numbers(bytes);
        return { known: true, value: name === WellKnown.time ? formatTime(seconds) : formatMicroTime(seconds, Number(nanos)) };
      }
      case WellKnown.duration:
        return { known: true, value: formatDuration(this.numbers(bytes).seconds) };
      case WellKnown.quantity:
        return { known: true, value: this.strings(bytes).get(1) ?? '0' };
      case WellKnown.intOrString: {
        const { seconds: type, nanos: intVal } = this.numbers(bytes);
        return { known: true, value: type === 1n ? (this.strings(bytes).get(3) ?? '') : Number(BigInt.asIntN(32, intVal)) };
      }
      case WellKnown.rawExtension:
      case WellKnown.fieldsV1:
        return { known: true, value: this.rawJson(name, this.rawBytes(bytes)) };
      default:
        return { known: false };
    }
  }

  /** Varint fields 1 and 2 (seconds/nanos, duration, type/intVal). */
  private numbers(bytes: Uint8Array): { seconds: bigint; nanos: bigint } {
    const reader = new ProtoReader(bytes);
    let seconds = 0n;
    let nanos = 0n;
    while (!reader.done) {
      const wire = reader.field();
      if (wire.wireType !== WIRE_VARINT || wire.varint === undefined) continue;
      if (wire.number === 1) seconds = BigInt.asIntN(64, wire.varint);
      else if (wire.number === 2) nanos = BigInt.asIntN(64, wire.varint);
    }
    return { seconds, nanos };
  }

  private strings(bytes: Uint8Array): Map<number, string> {
    const reader = new ProtoReader(bytes);
    const out = new Map<number, string>();
    while (!reader.done) {
      const wire = reader.field();
      if (wire.wireType === WIRE_BYTES && wire.bytes) out.set(wire.number, utf8.decode(wire.bytes));
    }
    return out;
  }

  private rawBytes(bytes: Uint8Array): Uint8Array | undefined {
    const reader = new ProtoReader(bytes);
    let raw: Uint8Array | undefined;
    while (!reader.done) {
      const wire = reader.field();
      if (wire.number === 1 && wire.wireType === WIRE_BYTES) raw = wire.bytes;
    }
    return raw;
  }

  private rawJson(name: string, raw: Uint8Array | undefined): unknown {
    if (!raw || raw.length === 0) return undefined;
    // An object embedded by the protobuf serializer (WatchEvent, List items) keeps its own envelope.
    if (raw.length >= 4 && raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0) return this.decodeEnvelope(raw);
    try {
      return JSON.parse(utf8.decode(raw)) as unknown;
    } catch (error) {
      throw new KubernetesProtobufError('Malformed', `${name} holds ${raw.length} bytes that are neither JSON nor a k8s protobuf envelope`, { cause: error });
    }
  }

  private decodeObject(name: string, bytes: Uint8Array): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const reader = new ProtoReader(bytes);
    while (!reader.done) {
      const wire = reader.field();
      // Unknown numbers come from newer Kubernetes versions; Go's decoder skips them too.
      const field = this.schema.field(name, wire.number);
      if (field) this.decodeField(name, field, wire, out);
    }
    this.fillValueFields(name, out);
    return out;
  }

  /**
   * gogo always writes Go value fields, but other writers may skip them; Go would still have them, so
   * JSON gets what Go's encoder writes for a zero value: {} for a struct, 0/""/false without omitempty.
   */
  private fillValueFields(name: string, out: Record<string, unknown>): void {
    for (const field of this.schema.fieldsInOrder(name)) {
      if (field.repeated || field.pointer) continue;
      if (field.type === FieldType.Message && field.typeName) {
        // A nil named slice (Verbs) is JSON null, which we leave out like other empty lists.
        if (field.inline || (field.jsonName ?? field.name) in out || isNamedSlice(this.schema, field.typeName)) continue;
        const value = this.decode(field.typeName, new Uint8Array());
        if (value !== undefined) out[field.jsonName ?? field.name] = value;
      } else if (field.always && !((field.jsonName ?? field.name) in out)) {
        out[field.jsonName ?? field.name] = zeroScalar(field.type);
      }
    }
  }

  private decodeField(parent: string, field: ProtoField, wire: WireField, out: Record<string, unknown>): void {
    const key = field.jsonName ?? field.name;
    if (field.type !== FieldType.Message) {
      const values = scalarValues(field, wire);
      if (field.repeated) {
        appendTo(out, key, values);
        return;
      }
      const value = values[0];
      const emptyBytes = field.type === FieldType.Bytes && value === '';
      if ((isZero(value) && !field.pointer && !field.always) || (emptyBytes && !field.always)) delete out[key];
      else out[key] = value;
      return;
    }
    if (wire.wireType !== WIRE_BYTES || !wire.bytes || !field.typeName) {
      throw new KubernetesProtobufError('Malformed', `${parent}.${field.name} (${field.number}) should be a length-delimited message, got wire type ${wire.wireType}`);
    }
    const child = this.schema.message(field.typeName);
    if (child.mapEntry) {
      const map = (out[key] as Record<string, unknown> | undefined) ?? {};
      const [entryKey, entryValue] = this.decodeMapEntry(field.typeName, wire.bytes);
      map[entryKey] = entryValue;
      out[key] = map;
      return;
    }
    const value = this.decode(field.typeName, wire.bytes);
    if (field.repeated) {
      appendTo(out, key, [value ?? null]);
    } else if (field.inline) {
      Object.assign(out, value);
    } else if (value === undefined) {
      delete out[key];
    } else {
      out[key] = value;
    }
  }

  private decodeMapEntry(entryType: string, bytes: Uint8Array): [string, unknown] {
    const entry: Record<string, unknown> = {};
    const reader = new ProtoReader(bytes);
    while (!reader.done) {
      const wire = reader.field();
      const field = this.schema.field(entryType, wire.number);
      if (!field) continue;
      // Map keys and values keep empty strings: `app: ""` is a real label.
      entry[field.name] =
        field.type === FieldType.Message && field.typeName && wire.bytes
          ? (this.decode(field.typeName, wire.bytes) ?? null)
          : scalarValues(field, wire)[0];
    }
    const valueField = this.schema.field(entryType, 2);
    if (!('value' in entry) && valueField) {
      entry.value = valueField.type === FieldType.Message && valueField.typeName ? (this.decode(valueField.typeName, new Uint8Array()) ?? null) : zeroScalar(valueField.type);
    }
    return [String(entry.key ?? ''), entry.value];
  }
}
