// Message types whose Go JSON form is not an object of their fields: Kubernetes gives them custom
// MarshalJSON methods (times, durations, quantities, int-or-string, raw JSON) or makes them named
// slices (ExtraValue, Verbs: `repeated string items = 1` in proto, a plain array in JSON).
import { FieldType, type ProtobufSchema } from './schema.js';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export const WellKnown = {
  time: `${META}.Time`,
  microTime: `${META}.MicroTime`,
  duration: `${META}.Duration`,
  fieldsV1: `${META}.FieldsV1`,
  quantity: 'k8s.io.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  rawExtension: 'k8s.io.apimachinery.pkg.runtime.RawExtension',
} as const;

const SCALAR_TYPES: ReadonlySet<number> = new Set([
  FieldType.Double,
  FieldType.Float,
  FieldType.Int64,
  FieldType.Uint64,
  FieldType.Int32,
  FieldType.Fixed64,
  FieldType.Fixed32,
  FieldType.Bool,
  FieldType.String,
  FieldType.Bytes,
  FieldType.Uint32,
  FieldType.Enum,
  FieldType.Sfixed32,
  FieldType.Sfixed64,
  FieldType.Sint32,
  FieldType.Sint64,
]);

export const isScalarType = (type: number): boolean => SCALAR_TYPES.has(type);

/**
 * A Go named slice of scalars (`type ExtraValue []string`): go-to-protobuf wraps it in a message with
 * the single field `repeated items = 1`. Message-typed `items` (DownwardAPIProjection) are real structs.
 */
export function isNamedSlice(schema: ProtobufSchema, name: string): boolean {
  const { fields } = schema.message(name);
  return fields.length === 1 && fields[0].name === 'items' && fields[0].number === 1 && fields[0].repeated === true && isScalarType(fields[0].type);
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
