// Each judge's wording of a type finding, byte for byte as kube-apiserver 1.32 prints it:
// - encoding/json (sigs.k8s.io/json), decoding a body into the Go struct: "json: cannot unmarshal
//   string into Go struct field DeploymentSpec.spec.replicas of type int32";
// - runtime.DefaultUnstructuredConverter (k8s.io/apimachinery/pkg/runtime/converter.go):
//   "unrecognized type: int32", "cannot convert int64 to string", "cannot restore slice from map";
// - structured-merge-diff v4 typed validation (typed/validate.go, typed/helpers.go):
//   ".spec.replicas: expected numeric (int or float), got string".
// Types with their own JSON decoding answer with their decoder's error: Quantity's regular expression,
// IntOrString's "json: cannot unmarshal bool into Go value of type int32".
import { isRecord } from '../../openapi/schema.js';
import { QUANTITY_REGEX_MESSAGE } from '../../registry/kinds/quantity.js';
import { goQuote, goSharpV, goTypeName, goV, jsonKind, reflectKind } from './go-values.js';
import { goTypeOfShape, shapeOf, type Shape, type TypedSchema, type TypeMismatch } from './type-walk.js';

/** encoding/json adds the literal to a number it cannot store: "number 1.5". */
function numberDetail(value: unknown): string {
  return typeof value === 'number' ? ` ${String(value)}` : '';
}

/** The Go JSON decoder's error for a create, an update, or a JSON or merge patch's result. */
export function decoderMessage(m: TypeMismatch): string {
  const where = `Go struct field ${m.struct}.${m.fields.join('.')}`;
  switch (m.expected.t) {
    case 'quantity':
      return QUANTITY_REGEX_MESSAGE;
    case 'intOrString':
      return `json: cannot unmarshal ${jsonKind(m.value)}${numberDetail(m.value)} into ${where} of type int32`;
    case 'time':
      return `json: cannot unmarshal ${jsonKind(m.value)} into ${where} of type string`;
    case 'scalar': {
      const integer = m.expected.go === 'int32' || m.expected.go === 'int64' || m.expected.go === 'int';
      return `json: cannot unmarshal ${jsonKind(m.value)}${integer ? numberDetail(m.value) : ''} into ${where} of type ${m.expected.go}`;
    }
    default:
      return `json: cannot unmarshal ${jsonKind(m.value)} into ${where} of type ${goTypeOfShape(m.expected)}`;
  }
}

/** runtime.DefaultUnstructuredConverter's error (strategic merge patch; server-side apply's conversion). */
export function converterMessage(m: TypeMismatch, floats = false): string {
  const kind = reflectKind(m.value, floats);
  const expected = m.expected;
  switch (expected.t) {
    case 'quantity':
      return QUANTITY_REGEX_MESSAGE;
    case 'intOrString':
      return `json: cannot unmarshal ${jsonKind(m.value)}${numberDetail(m.value)} into Go value of type int32`;
    case 'time':
      return `json: cannot unmarshal ${jsonKind(m.value)} into Go value of type string`;
    case 'struct':
      return `cannot restore struct from: ${kind}`;
    case 'map':
      return `cannot restore map from ${kind}`;
    case 'list':
      return `cannot restore slice from ${kind}`;
    case 'scalar':
      if (expected.go === '[]uint8') return `cannot restore slice from ${kind}`;
      // Go converts between integer kinds and from an integral float; never from or to a string or a bool.
      if (expected.go === 'string' && (kind === 'int64' || kind === 'float64')) return `cannot convert ${kind} to string`;
      if (expected.go !== 'string' && expected.go !== 'bool' && kind === 'float64') return `cannot convert float64 to ${expected.go}`;
      return `unrecognized type: ${expected.go}`;
    default:
      return `unrecognized type: ${kind}`;
  }
}

/** structured-merge-diff's message for one finding (server-side apply bodies: numbers are float64). */
function smdMessage(m: TypeMismatch): string {
  const boxed = `&{${goV(m.value, true)}}`;
  switch (m.expected.t) {
    case 'undeclared':
      return 'field not declared in schema';
    case 'element':
      return m.expected.message;
    case 'quantity':
    case 'intOrString':
    case 'time':
      return `expected any scalar, got ${boxed}`;
    case 'struct':
    case 'map':
      return `expected map, got ${boxed}`;
    case 'list':
      return `expected list, got ${boxed}`;
    case 'scalar':
      if (m.expected.go === 'string' || m.expected.go === '[]uint8') return `expected string, got &value.valueUnstructured{Value:${goSharpV(m.value, true)}}`;
      if (m.expected.go === 'bool') return `expected boolean, got ${boxed}`;
      return `expected numeric (int or float), got ${goTypeName(m.value, true)}`;
    default:
      return '';
  }
}

/**
 * structured-merge-diff's path of a finding (fieldpath.Path.String): ".spec.containers[name="nginx"]
 * .ports[containerPort=80,protocol="TCP"].containerPort"; items of map lists by their keys, of sets by
 * their value, of atomic lists by index.
 */
export function smdPath(typed: TypedSchema, root: unknown, path: readonly (string | number)[]): string {
  let out = '';
  let schema = typed.root;
  let value: unknown = root;
  for (const step of path) {
    const shape = shapeOf(schema, typed.resolve);
    if (typeof step === 'number' && shape.t === 'list' && Array.isArray(value)) {
      const item = value[step];
      out += listElement(shape, item, step);
      if (shape.items) schema = shape.items;
      value = item;
      continue;
    }
    out += `.${String(step)}`;
    value = isRecord(value) ? value[String(step)] : undefined;
    if (shape.t === 'struct' && shape.props[String(step)]) schema = shape.props[String(step)];
    else if (shape.t === 'map') schema = shape.values;
  }
  return out;
}

function smdScalar(value: unknown): string {
  return typeof value === 'string' ? goQuote(value) : goV(value, true);
}

function listElement(shape: Extract<Shape, { t: 'list' }>, item: unknown, index: number): string {
  if (shape.listType === 'set') return `[=${smdScalar(item)}]`;
  if (shape.listType !== 'map' || !shape.keys || !isRecord(item)) return `[${index}]`;
  const parts: string[] = [];
  for (const key of [...shape.keys].sort()) {
    const v = item[key] ?? shape.keyDefaults?.[key];
    if (v !== undefined && v !== null) parts.push(`${key}=${smdScalar(v)}`);
  }
  return `[${parts.join(',')}]`;
}

/** ValidationErrors.Error(): one error alone, several as an indented list. */
export function smdErrors(typed: TypedSchema, root: unknown, findings: TypeMismatch[]): string {
  const lines = findings.map((m) => `${smdPath(typed, root, m.path)}: ${smdMessage(m)}`);
  return lines.length === 1 ? lines[0] : ['errors:', ...lines.map((l) => `  ${l}`)].join('\n');
}
