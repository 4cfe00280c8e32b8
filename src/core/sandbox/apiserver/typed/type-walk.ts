// Finds the values of a write whose JSON type their OpenAPI schema refuses, for the three judges
// kube-apiserver puts a write before: encoding/json decoding a body into the Go struct (create, update,
// JSON and merge patches), runtime.DefaultUnstructuredConverter (strategic merge patch, and server-side
// apply's conversion of the merged object) and structured-merge-diff's typed conversion of an applied
// configuration. They disagree on a few values (1.5 for an int32 is a number to structured-merge-diff,
// an error to the others), so each finding says which judges refuse it. Messages are in type-messages.ts.
import { type OpenApiSchema, type RefResolver, isRecord } from '../../openapi/schema.js';
import { parseQuantity } from '../../registry/kinds/quantity.js';

export type Judge = 'decoder' | 'converter' | 'smd';

export type ScalarGo = 'string' | 'bool' | 'int32' | 'int64' | 'int' | 'float64' | '[]uint8';

/** What a schema node expects, as the Go type behind it. */
export type Shape =
  | { t: 'skip' }
  | { t: 'scalar'; go: ScalarGo }
  | { t: 'quantity' }
  | { t: 'intOrString' }
  | { t: 'time' }
  | { t: 'struct'; goType: string; name: string; props: Record<string, OpenApiSchema>; extra?: OpenApiSchema; closed: boolean; embedded?: boolean; preserve?: boolean }
  | { t: 'map'; goType: string; values: OpenApiSchema }
  | { t: 'list'; goType: string; items: OpenApiSchema | undefined; listType?: string; keys?: string[]; keyDefaults?: Record<string, unknown> }
  /** A field a closed struct does not declare (structured-merge-diff's finding only). */
  | { t: 'undeclared' }
  /** An item of a map list structured-merge-diff cannot name by its keys: "element 0: ...". */
  | { t: 'element'; message: string };

export interface TypeMismatch {
  /** JSON path from the object's root: field names, map keys and list indices. */
  path: (string | number)[];
  /** The Go struct holding the field, and the struct fields from the root (encoding/json's error context). */
  struct: string;
  fields: string[];
  expected: Shape;
  value: unknown;
  refusedBy: ReadonlySet<Judge>;
}

export interface TypedSchema {
  /** The kind's schema (its $refs resolved through `resolve`). */
  root: OpenApiSchema;
  resolve: RefResolver;
  /** The kind's Go struct name ("Deployment"), for the decoder's error context. */
  kind: string;
  /** A custom resource: decoded as unstructured JSON, its undeclared fields are pruning's business. */
  custom: boolean;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
// Decoded from a JSON string by their own UnmarshalJSON (the text's format is not judged here).
const TIMES = new Set(['io.k8s.apimachinery.pkg.apis.meta.v1.Time', 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime']);

/** Key defaults structured-merge-diff has from the Go +default markers, which the published OpenAPI v3 omits. */
const BUILTIN_KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.EndpointPort': { protocol: 'TCP' },
};

const UNDECLARED: Shape = { t: 'undeclared' };
const SMD_ONLY: ReadonlySet<Judge> = new Set(['smd']);
const OBJECT_META = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** What an embedded resource holds whether its schema says so or not (apiextensions adds them for SSA). */
const EMBEDDED_ENVELOPE = ownProps({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: OBJECT_META } }) as Record<string, OpenApiSchema | undefined>;

/** Properties without Object.prototype behind them: a field named "constructor" is not declared. */
function ownProps(props: Record<string, OpenApiSchema>): Record<string, OpenApiSchema> {
  return Object.assign(Object.create(null) as Record<string, OpenApiSchema>, props);
}

const shortName = (ref: string) => ref.slice(ref.lastIndexOf('.') + 1);
/** Go package of a component: "io.k8s.api.core.v1.PodSpec" → "v1". */
const packageOf = (ref: string) => ref.split('.').slice(-2, -1)[0] ?? '';

/** The component a property points at, directly or through kube-apiserver's {allOf: [{$ref}]} wrapper. */
function refOf(schema: OpenApiSchema): string | undefined {
  const raw = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return raw?.replace('#/components/schemas/', '');
}

// Shapes per resolver and schema object: documents do not change once loaded, and every write walks the same few.
const shapes = new WeakMap<RefResolver, WeakMap<OpenApiSchema, Shape>>();
const structuralShapes = new WeakMap<RefResolver, WeakMap<OpenApiSchema, Shape>>();

/**
 * `structural`: a custom resource's own schema (not the built-in components it refers to), where an
 * object without properties is an empty object, not a free-form value.
 */
export function shapeOf(schema: OpenApiSchema, resolve: RefResolver, structural = false): Shape {
  const cache = structural ? structuralShapes : shapes;
  let byResolver = cache.get(resolve);
  if (!byResolver) cache.set(resolve, (byResolver = new WeakMap()));
  let shape = byResolver.get(schema);
  if (!shape) byResolver.set(schema, (shape = computeShape(schema, resolve, structural)));
  return shape;
}

function goTypeOf(schema: OpenApiSchema, resolve: RefResolver): string {
  return goTypeOfShape(shapeOf(schema, resolve));
}

/** The Go type a value of `shape` decodes into, as Go's messages name it. */
export function goTypeOfShape(shape: Shape): string {
  switch (shape.t) {
    case 'scalar':
      return shape.go;
    case 'struct':
    case 'map':
    case 'list':
      return shape.goType;
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'time':
      return 'v1.Time';
    default:
      return 'interface {}';
  }
}

function computeShape(schema: OpenApiSchema, resolve: RefResolver, structural: boolean): Shape {
  const ref = refOf(schema);
  if (ref) {
    if (ref === QUANTITY) return { t: 'quantity' };
    if (TIMES.has(ref)) return { t: 'time' };
    const target = resolve(`#/components/schemas/${ref}`);
    if (!target) return { t: 'skip' };
    if (target['x-kubernetes-int-or-string']) return { t: 'intOrString' };
    if (!target.properties || target['x-kubernetes-preserve-unknown-fields']) return { t: 'skip' };
    return { t: 'struct', goType: `${packageOf(ref)}.${shortName(ref)}`, name: shortName(ref), props: ownProps(target.properties), ...extraOf(target, false) };
  }
  if (schema['x-kubernetes-int-or-string']) return { t: 'intOrString' };
  switch (schema.type) {
    case 'string':
      return { t: 'scalar', go: schema.format === 'byte' ? '[]uint8' : 'string' };
    case 'boolean':
      return { t: 'scalar', go: 'bool' };
    case 'integer':
      return { t: 'scalar', go: schema.format === 'int32' ? 'int32' : schema.format === 'int64' ? 'int64' : 'int' };
    case 'number':
      return { t: 'scalar', go: 'float64' };
    case 'array': {
      const items = schema.items;
      const listType = typeof schema['x-kubernetes-list-type'] === 'string' ? schema['x-kubernetes-list-type'] : undefined;
      const keys = Array.isArray(schema['x-kubernetes-list-map-keys']) ? (schema['x-kubernetes-list-map-keys'] as string[]) : undefined;
      return { t: 'list', goType: `[]${items ? goTypeOf(items, resolve) : 'interface {}'}`, items, listType, keys, keyDefaults: keys && items ? keyDefaultsOf(items, keys, resolve) : undefined };
    }
    case 'object': {
      const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
      const embedded = structural && schema['x-kubernetes-embedded-resource'] === true;
      if (preserve && !schema.properties && !embedded) return { t: 'skip' };
      if (schema.properties || embedded) return { t: 'struct', goType: 'struct', name: '', props: ownProps(schema.properties ?? {}), ...extraOf(schema, preserve), embedded, preserve };
      if (isRecord(schema.additionalProperties)) {
        const values = schema.additionalProperties as OpenApiSchema;
        return { t: 'map', goType: `map[string]${goTypeOf(values, resolve)}`, values };
      }
      // Free-form in a built-in schema (RawExtension-like); in a structural one still a map (its entries free-form).
      return structural && schema.additionalProperties !== true ? { t: 'struct', goType: 'struct', name: '', props: {}, closed: false } : { t: 'skip' };
    }
    default:
      return { t: 'skip' };
  }
}

/** Where a struct's undeclared fields go: its additionalProperties, nowhere (closed), or kept as they are. */
function extraOf(schema: OpenApiSchema, preserve: boolean): { extra?: OpenApiSchema; closed: boolean } {
  const additional = schema.additionalProperties;
  if (isRecord(additional)) return { extra: additional as OpenApiSchema, closed: false };
  return { closed: !preserve && additional !== true };
}

function keyDefaultsOf(items: OpenApiSchema, keys: string[], resolve: RefResolver): Record<string, unknown> | undefined {
  const ref = refOf(items);
  const target = ref ? resolve(`#/components/schemas/${ref}`) : items;
  const out: Record<string, unknown> = { ...(ref ? BUILTIN_KEY_DEFAULTS[ref] : undefined) };
  for (const key of keys) {
    const prop = target?.properties?.[key];
    if (prop && prop.default !== undefined) out[key] = prop.default;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const isInt = (n: number, bits: number) => Number.isInteger(n) && n < 2 ** (bits - 1) && n >= -(2 ** (bits - 1));

/** The judges that refuse `value` where `shape` is expected (containers: only their own JSON type). */
function refusers(shape: Shape, value: unknown): Judge[] {
  switch (shape.t) {
    case 'scalar':
      switch (shape.go) {
        case 'string':
        case '[]uint8':
          return typeof value === 'string' ? [] : ['decoder', 'converter', 'smd'];
        case 'bool':
          return typeof value === 'boolean' ? [] : ['decoder', 'converter', 'smd'];
        case 'float64':
          return typeof value === 'number' ? [] : ['decoder', 'converter', 'smd'];
        default: {
          if (typeof value !== 'number') return ['decoder', 'converter', 'smd'];
          if (isInt(value, shape.go === 'int32' ? 32 : 64)) return [];
          // The converter truncates out-of-range integers silently; only a fraction stops it.
          return Number.isInteger(value) ? ['decoder'] : ['decoder', 'converter'];
        }
      }
    case 'quantity': {
      if (typeof value === 'number') return [];
      if (typeof value === 'string') return parseQuantity(value) === undefined ? ['decoder', 'converter'] : [];
      return typeof value === 'boolean' ? ['decoder', 'converter'] : ['decoder', 'converter', 'smd'];
    }
    case 'time':
      if (typeof value === 'string') return [];
      // structured-merge-diff takes a date-time string for an untyped scalar.
      return typeof value === 'number' || typeof value === 'boolean' ? ['decoder', 'converter'] : ['decoder', 'converter', 'smd'];
    case 'intOrString':
      if (typeof value === 'string' || (typeof value === 'number' && isInt(value, 32))) return [];
      return typeof value === 'number' || typeof value === 'boolean' ? ['decoder', 'converter'] : ['decoder', 'converter', 'smd'];
    case 'struct':
    case 'map':
      return isRecord(value) ? [] : ['decoder', 'converter', 'smd'];
    case 'list':
      return Array.isArray(value) ? [] : ['decoder', 'converter', 'smd'];
    default:
      return [];
  }
}

export interface WalkOptions {
  /** Which judges' refusals to report. */
  judges: ReadonlySet<Judge>;
  /** Stop at the first finding (the decoder and the converter stop; structured-merge-diff lists them all). */
  first: boolean;
  /** Collect the undeclared fields of closed structs as the strict decoder names them ("spec.containers[0].foo"). */
  collectUnknown?: boolean;
  /**
   * Report a closed struct's first undeclared field as structured-merge-diff does ("field not declared
   * in schema") and walk no further in that struct: its validator stops iterating the map there.
   */
  refuseUndeclared?: boolean;
}

interface Walk {
  opts: WalkOptions;
  resolve: RefResolver;
  out: TypeMismatch[];
  unknown: (string | number)[][];
  path: (string | number)[];
  fields: string[];
  struct: string;
}

/**
 * Findings in `value`, the part of an object found at `at` (field names, map keys and indices from the
 * root; empty for a whole object), in document order.
 */
export function findTypeMismatches(typed: TypedSchema, value: unknown, opts: WalkOptions, at: readonly (string | number)[] = []): TypeMismatch[] {
  return walkTypes(typed, value, opts, at).mismatches;
}

export interface UndeclaredFields {
  /** As the strict decoder names them: "spec.containers[0].foo". */
  names: string[];
  /** Their JSON paths, to drop them as decoding into the Go struct does. */
  paths: (string | number)[][];
}

/** findTypeMismatches, with the undeclared fields when `opts.collectUnknown`. */
export function walkTypes(typed: TypedSchema, value: unknown, opts: WalkOptions, at: readonly (string | number)[] = []): { mismatches: TypeMismatch[]; unknown: UndeclaredFields } {
  const located = locate(typed, at);
  if (!located) return { mismatches: [], unknown: { names: [], paths: [] } };
  const walk: Walk = { opts, resolve: typed.resolve, out: [], unknown: [], path: [...at], fields: located.fields, struct: located.struct };
  check(walk, located.schema, value, 0, typed.custom && at.length === 0);
  return { mismatches: walk.out, unknown: { names: walk.unknown.map(strictPath), paths: walk.unknown } };
}

/** The strict decoder's name of a field: "spec.containers[0].foo". */
export function strictPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out;
}

/** The schema at `at`, with the decoder's error context there; undefined where the schema says nothing. */
export function locate(typed: TypedSchema, at: readonly (string | number)[]): { schema: OpenApiSchema; fields: string[]; struct: string } | undefined {
  let schema = typed.root;
  let struct = typed.kind;
  const fields: string[] = [];
  for (const step of at) {
    const shape = shapeOf(schema, typed.resolve);
    if (shape.t === 'struct' && typeof step === 'string' && shape.props[step]) {
      if (shape.name) struct = shape.name;
      fields.push(step);
      schema = shape.props[step];
    } else if (shape.t === 'struct' && shape.extra && typeof step === 'string') schema = shape.extra;
    else if (shape.t === 'map' && typeof step === 'string') schema = shape.values;
    else if (shape.t === 'list' && shape.items && typeof step === 'number') schema = shape.items;
    else return undefined;
  }
  return { schema, fields, struct };
}

function report(walk: Walk, expected: Shape, value: unknown, refused: Judge[]): boolean {
  const relevant = refused.filter((j) => walk.opts.judges.has(j));
  if (relevant.length === 0) return false;
  walk.out.push({ path: [...walk.path], struct: walk.struct, fields: [...walk.fields], expected, value, refusedBy: new Set(relevant) });
  return walk.opts.first;
}

/** Why structured-merge-diff cannot key an item of a map list (typed/helpers.go), if it cannot. */
function unkeyedItem(shape: Extract<Shape, { t: 'list' }>, item: unknown): string | undefined {
  if (item === null) return 'associative list with keys may not have a null element';
  if (!isRecord(item)) return 'associative list with keys may not have non-map elements';
  for (const key of shape.keys ?? []) {
    if (item[key] === undefined && shape.keyDefaults?.[key] === undefined) return `associative list with keys has an element that omits key field "${key}" (and doesn't have default value)`;
  }
  return undefined;
}

/**
 * Returns true when the walk must stop. `inCustom`: inside a custom resource's own schema. `preserving`:
 * below an x-kubernetes-preserve-unknown-fields node, whose descendants keep undeclared fields too in
 * structured-merge-diff's schema (kube-openapi schemaconv), though not the named types they refer to.
 */
function check(walk: Walk, schema: OpenApiSchema, value: unknown, depth: number, inCustom: boolean, preserving = false): boolean {
  // null leaves a Go field untouched and is a valid value of any structured-merge-diff type.
  if (value === null || value === undefined || depth > 64) return false;
  // A $ref leaves the custom resource's schema for a built-in component (ObjectMeta and what it holds).
  // (refOf builds a string: only asked where the answer matters, the walk runs on every write)
  const named = (inCustom || preserving) && refOf(schema) !== undefined;
  const structural = inCustom && !named;
  const shape = shapeOf(schema, walk.resolve, structural);
  if (shape.t === 'skip') return false;
  const open = (preserving && !named) || (shape.t === 'struct' && shape.preserve === true);
  const refused = refusers(shape, value);
  if (refused.length > 0) return report(walk, shape, value, refused);
  if (shape.t === 'struct') {
    const outer = walk.struct;
    if (shape.name) walk.struct = shape.name;
    try {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const property = shape.props[key] ?? (shape.embedded ? EMBEDDED_ENVELOPE[key] : undefined);
        walk.path.push(key);
        let stop = false;
        if (property) {
          walk.fields.push(key);
          // A custom resource's metadata is ObjectMeta whatever its schema says of it.
          stop = check(walk, property, child, depth + 1, structural && !(depth === 0 && key === 'metadata'), open);
          walk.fields.pop();
        } else if (shape.extra) {
          stop = check(walk, shape.extra, child, depth + 1, structural, open);
        } else if (shape.closed && !open && walk.opts.refuseUndeclared) {
          const reported = walk.opts.judges.has('smd') && walk.out.push({ path: [...walk.path], struct: walk.struct, fields: [...walk.fields], expected: UNDECLARED, value: child, refusedBy: SMD_ONLY }) > 0;
          walk.path.pop();
          if (reported && walk.opts.first) return true;
          break;
        } else if (shape.closed && walk.opts.collectUnknown) {
          walk.unknown.push([...walk.path]);
        }
        walk.path.pop();
        if (stop) return true;
      }
    } finally {
      walk.struct = outer;
    }
    return false;
  }
  if (shape.t === 'map') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      walk.path.push(key);
      const stop = check(walk, shape.values, child, depth + 1, structural, open);
      walk.path.pop();
      if (stop) return true;
    }
    return false;
  }
  if (shape.t === 'list' && shape.items) {
    const items = value as unknown[];
    const keyed = shape.listType === 'map' && shape.keys && walk.opts.judges.has('smd') ? shape : undefined;
    for (let i = 0; i < items.length; i++) {
      const unkeyed = keyed && unkeyedItem(keyed, items[i]);
      if (unkeyed) {
        // Without its path element, structured-merge-diff reports the list and walks none of it further.
        walk.out.push({ path: [...walk.path], struct: walk.struct, fields: [...walk.fields], expected: { t: 'element', message: `element ${i}: ${unkeyed}` }, value: items[i], refusedBy: SMD_ONLY });
        return walk.opts.first;
      }
      walk.path.push(i);
      const stop = check(walk, shape.items, items[i], depth + 1, structural, open);
      walk.path.pop();
      if (stop) return true;
    }
  }
  return false;
}
