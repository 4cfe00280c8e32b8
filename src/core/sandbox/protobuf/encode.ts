// JSON value → protobuf message bytes, as gogo marshals the Go object Kubernetes would decode from that
// JSON: fields in number order, value fields (nullable=false) always written (zero when absent), pointer
// fields only when present, map entries sorted by key (Kubernetes' generated code sorts them).
import { KubernetesProtobufError } from './errors.js';
import { parseDuration, parseTime } from './go-values.js';
import { FieldType, type ProtobufSchema, type ProtoField } from './schema.js';
import { isNamedSlice, isPlainObject, WellKnown } from './well-known.js';
import { ProtoWriter, WIRE_FIXED32, WIRE_FIXED64 } from './wire.js';

const utf8 = new TextEncoder();

function invalid(path: string, expected: string, value: unknown): never {
  throw new KubernetesProtobufError('Malformed', `${path}: expected ${expected}, got ${JSON.stringify(value) ?? typeof value}`);
}

function integer(path: string, value: unknown): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value)) invalid(path, 'an integer', value);
  return BigInt(value);
}

function writeScalar(writer: ProtoWriter, field: ProtoField, value: unknown, path: string): void {
  const n = field.number;
  switch (field.type) {
    case FieldType.String:
      if (typeof value !== 'string') invalid(path, 'a string', value);
      writer.bytesField(n, utf8.encode(value));
      return;
    case FieldType.Bytes:
      if (typeof value !== 'string') invalid(path, 'a base64 string', value);
      writer.bytesField(n, Buffer.from(value, 'base64'));
      return;
    case FieldType.Bool:
      if (typeof value !== 'boolean') invalid(path, 'a boolean', value);
      writer.varintField(n, value ? 1n : 0n);
      return;
    case FieldType.Int64:
    case FieldType.Uint64:
    case FieldType.Int32:
    case FieldType.Uint32:
    case FieldType.Enum:
      // Negative int32s are sign-extended to 64 bits, as protobuf requires.
      writer.varintField(n, integer(path, value));
      return;
    case FieldType.Sint32:
    case FieldType.Sint64: {
      const v = integer(path, value);
      writer.varintField(n, v >= 0n ? v * 2n : -v * 2n - 1n);
      return;
    }
    case FieldType.Double:
    case FieldType.Float:
    case FieldType.Fixed64:
    case FieldType.Sfixed64:
    case FieldType.Fixed32:
    case FieldType.Sfixed32: {
      if (typeof value !== 'number') invalid(path, 'a number', value);
      const wide = field.type === FieldType.Double || field.type === FieldType.Fixed64 || field.type === FieldType.Sfixed64;
      const view = new DataView(new ArrayBuffer(wide ? 8 : 4));
      if (field.type === FieldType.Double) view.setFloat64(0, value, true);
      else if (field.type === FieldType.Float) view.setFloat32(0, value, true);
      else if (field.type === FieldType.Fixed64) view.setBigUint64(0, integer(path, value), true);
      else if (field.type === FieldType.Sfixed64) view.setBigInt64(0, integer(path, value), true);
      else if (field.type === FieldType.Fixed32) view.setUint32(0, value, true);
      else view.setInt32(0, value, true);
      writer.fixedField(n, wide ? WIRE_FIXED64 : WIRE_FIXED32, new Uint8Array(view.buffer));
      return;
    }
    default:
      throw new KubernetesProtobufError('Unsupported', `${path}: protobuf type ${field.type} is not supported by the encoder`);
  }
}

function zeroScalar(type: number): unknown {
  if (type === FieldType.String || type === FieldType.Bytes) return '';
  return type === FieldType.Bool ? false : 0;
}

export class MessageEncoder {
  constructor(private readonly schema: ProtobufSchema) {}

  /** Encodes `value` (undefined for the Go zero value) as message `name`. */
  encode(name: string, value: unknown, path: string): Uint8Array {
    const writer = new ProtoWriter();
    if (!this.encodeWellKnown(writer, name, value, path)) {
      if (isNamedSlice(this.schema, name)) {
        if (value !== undefined && value !== null && !Array.isArray(value)) invalid(path, 'an array', value);
        this.encodeObject(writer, name, { items: value ?? [] }, path);
      } else {
        if (value !== undefined && value !== null && !isPlainObject(value)) invalid(path, 'an object', value);
        this.encodeObject(writer, name, value ?? {}, path);
      }
    }
    return writer.finish();
  }

  private encodeWellKnown(writer: ProtoWriter, name: string, value: unknown, path: string): boolean {
    switch (name) {
      case WellKnown.time:
      case WellKnown.microTime: {
        // The zero time marshals to an empty message.
        if (value === undefined || value === null) return true;
        if (typeof value !== 'string') invalid(path, 'an RFC 3339 time string', value);
        const { seconds, nanos } = parseTime(value);
        writer.varintField(1, seconds);
        writer.varintField(2, BigInt(nanos));
        return true;
      }
      case WellKnown.duration: {
        if (value !== undefined && typeof value !== 'string') invalid(path, 'a Go duration string', value);
        writer.varintField(1, value === undefined ? 0n : parseDuration(value));
        return true;
      }
      case WellKnown.quantity: {
        const text = value === undefined ? '0' : typeof value === 'number' ? String(value) : value;
        if (typeof text !== 'string') invalid(path, 'a quantity string', value);
        writer.bytesField(1, utf8.encode(text));
        return true;
      }
      case WellKnown.intOrString: {
        if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') invalid(path, 'an integer or a string', value);
        const isString = typeof value === 'string';
        writer.varintField(1, isString ? 1n : 0n);
        writer.varintField(2, isString || value === undefined ? 0n : integer(path, value));
        writer.bytesField(3, utf8.encode(isString ? value : ''));
        return true;
      }
      case WellKnown.rawExtension:
      case WellKnown.fieldsV1:
        if (value !== undefined && value !== null) writer.bytesField(1, utf8.encode(JSON.stringify(value)));
        return true;
      default:
        return false;
    }
  }

  private encodeObject(writer: ProtoWriter, name: string, object: Record<string, unknown>, path: string): void {
    for (const field of this.schema.fieldsInOrder(name)) {
      if (field.inline) {
        // An inline struct reads its fields from the parent's JSON object.
        writer.bytesField(field.number, this.encode(field.typeName ?? '', object, path));
        continue;
      }
      const key = field.jsonName ?? field.name;
      const value = object[key];
      const fieldPath = `${path}.${key}`;
      if (field.type === FieldType.Message && field.typeName) {
        this.encodeMessageField(writer, field, field.typeName, value, fieldPath);
      } else if (field.repeated) {
        if (value === undefined || value === null) continue;
        if (!Array.isArray(value)) invalid(fieldPath, 'an array', value);
        value.forEach((item, i) => writeScalar(writer, field, item, `${fieldPath}[${i}]`));
      } else if (value !== undefined && value !== null) {
        writeScalar(writer, field, value, fieldPath);
      } else if (!field.pointer) {
        writeScalar(writer, field, zeroScalar(field.type), fieldPath);
      }
    }
  }

  private encodeMessageField(writer: ProtoWriter, field: ProtoField, typeName: string, value: unknown, path: string): void {
    if (this.schema.message(typeName).mapEntry) {
      if (value === undefined || value === null) return;
      if (!isPlainObject(value)) invalid(path, 'an object (map)', value);
      for (const key of Object.keys(value).sort()) {
        writer.bytesField(field.number, this.encodeMapEntry(typeName, key, value[key], `${path}[${JSON.stringify(key)}]`));
      }
      return;
    }
    if (field.repeated) {
      if (value === undefined || value === null) return;
      if (!Array.isArray(value)) invalid(path, 'an array', value);
      value.forEach((item, i) => writer.bytesField(field.number, this.encode(typeName, item, `${path}[${i}]`)));
      return;
    }
    if ((value === undefined || value === null) && field.pointer) return;
    writer.bytesField(field.number, this.encode(typeName, value ?? undefined, path));
  }

  private encodeMapEntry(entryType: string, key: string, value: unknown, path: string): Uint8Array {
    const writer = new ProtoWriter();
    const keyField = this.schema.field(entryType, 1);
    const valueField = this.schema.field(entryType, 2);
    if (!keyField || !valueField) throw new KubernetesProtobufError('Malformed', `${entryType} is not a key/value map entry`);
    writeScalar(writer, keyField, key, path);
    if (valueField.type === FieldType.Message && valueField.typeName) {
      writer.bytesField(2, this.encode(valueField.typeName, value ?? undefined, path));
    } else {
      writeScalar(writer, valueField, value ?? zeroScalar(valueField.type), path);
    }
    return writer.finish();
  }
}
