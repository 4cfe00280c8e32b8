// Wrongly typed values, refused per write path as kube-apiserver 1.32 refuses them; nothing is stored.
// The same walks find a built-in kind's undeclared fields, which decoding into the Go struct drops
// (and which server-side apply refuses, as structured-merge-diff's typed conversion does).
// Patches are checked where they changed the object (the live object already passed), so the cost
// follows the patch, not the object:
// - JSON and merge patch (handlers/patch.go, jsonPatcher): the patched JSON fails decoding, 422
//   `errors.NewInvalid(schema.GroupKind{}, "", field.Invalid(field.NewPath("patch"), string(patchedObjJS),
//   err.Error()))`; kubectl prints `The request is invalid: patch: Invalid value: "{...}": json: cannot
//   unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
// - Strategic merge patch (applyPatchToObject): the converter fails, 422 with the patch map as Go's %+v
//   prints it: `The request is invalid: patch: Invalid value: "map[spec:map[replicas:abc]]":
//   unrecognized type: int32`.
// - Server-side apply (managedfields/internal/structuredmerge.go, Apply): a plain error, so 500 with an
//   empty reason; kubectl prints `Error from server: failed to create typed patch object (default/web;
//   apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string`. Values the
//   typed conversion takes but Go cannot hold (a Quantity "abc", 1.5 for an int32) fail the conversion
//   of the merged object: `failed to convert new object (...) to proper version: unable to convert
//   unstructured object to apps/v1, Kind=Deployment: quantities must match the regular expression ...`.
import { ApiError } from '../errors.js';
import { isRecord } from '../../openapi/schema.js';
import { goQuote, goV } from './go-values.js';
import { converterMessage, decoderMessage, smdErrors } from './type-messages.js';
import { findTypeMismatches, locate, shapeOf, strictPath, walkTypes, type Judge, type TypedSchema, type TypeMismatch, type UndeclaredFields } from './type-walk.js';

const DECODER: ReadonlySet<Judge> = new Set(['decoder']);
const CONVERTER: ReadonlySet<Judge> = new Set(['converter']);
const NO_JUDGE: ReadonlySet<Judge> = new Set();

/** The 422 kube-apiserver answers when a patch's result cannot be decoded: one cause, on "patch". */
export function patchInvalid(rendered: string, detail: string): ApiError {
  const message = `Invalid value: ${goQuote(rendered)}: ${detail}`;
  // GroupKind{} and "" print as ` "" is invalid`; kubectl, seeing no kind nor name, says "The request is invalid".
  return ApiError.make(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
}

/**
 * The Go decoder's error for a whole body (create, update), if any: it goes on past a plain type
 * mismatch (reporting the first) but stops at a type whose own decoder fails (Quantity, IntOrString, Time).
 */
export function decodeBodyError(typed: TypedSchema, obj: unknown): string | undefined {
  return decodeBody(typed, obj).error;
}

/**
 * decodeBodyError, and in the same walk the undeclared fields of a built-in kind, which the strict
 * decoder reports and decoding drops (a custom resource's are pruning's business).
 */
export function decodeBody(typed: TypedSchema, obj: unknown): { error?: string; unknown?: UndeclaredFields } {
  if (typed.custom) return {}; // custom resources are decoded as unstructured JSON
  const { mismatches, unknown } = walkTypes(typed, obj, { judges: DECODER, first: false, collectUnknown: true });
  if (mismatches.length === 0) return { unknown };
  const aborting = mismatches.find((m) => m.expected.t === 'quantity' || m.expected.t === 'intOrString' || m.expected.t === 'time');
  return { error: decoderMessage(aborting ?? mismatches[0]), unknown };
}

/** The undeclared fields of a built-in kind's object (a patch's result), undefined for a custom resource. */
export function undeclaredFields(typed: TypedSchema, obj: unknown): UndeclaredFields | undefined {
  return typed.custom ? undefined : walkTypes(typed, obj, { judges: NO_JUDGE, first: false, collectUnknown: true }).unknown;
}

/** Drops the fields at `paths` from `obj`, in place: what decoding into the Go struct leaves out. */
export function dropFields(obj: unknown, paths: readonly (readonly (string | number)[])[]): void {
  for (const path of paths) {
    const parent = valueAt(obj, path.slice(0, -1));
    const last = path[path.length - 1];
    if (isRecord(parent) && typeof last === 'string') delete parent[last];
  }
}

interface MergeFindings {
  first?: TypeMismatch;
  unknown: UndeclaredFields;
}

/**
 * What a merge patch set (`patch` is the mask over the `patched` object): the first value the object
 * cannot decode, and the undeclared fields. The rest of the object was decoded when it was written.
 */
function mergeWalk(typed: TypedSchema, patched: unknown, patch: unknown, path: (string | number)[], out: MergeFindings): void {
  const here = isRecord(patch) && isRecord(patched) ? locate(typed, path) : undefined;
  const shape = here && shapeOf(here.schema, typed.resolve);
  // Into what the schema says holds fields or entries; anything else the patch set is checked whole.
  if (shape && (shape.t === 'struct' || shape.t === 'map') && isRecord(patch) && isRecord(patched)) {
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || patched[key] === undefined) continue;
      path.push(key);
      if (shape.t === 'struct' && !shape.props[key] && !shape.extra) {
        if (shape.closed) {
          out.unknown.paths.push([...path]);
          out.unknown.names.push(strictPath(path));
        }
      } else mergeWalk(typed, patched[key], value, path, out);
      path.pop();
      if (out.first) return;
    }
    return;
  }
  const { mismatches, unknown } = walkTypes(typed, patched, { judges: DECODER, first: true, collectUnknown: true }, path);
  out.first = mismatches[0];
  out.unknown.names.push(...unknown.names);
  out.unknown.paths.push(...unknown.paths);
}

/** JSON pointer tokens as a path into `doc` ("-" is the item an add appended). */
function pointerPath(doc: unknown, pointer: string): (string | number)[] | undefined {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = token === '-' ? node.length - 1 : Number(token);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return undefined;
      path.push(index);
      node = node[index];
    } else if (isRecord(node)) {
      path.push(token);
      node = node[token];
    } else return undefined;
  }
  return path;
}

function valueAt(doc: unknown, path: readonly (string | number)[]): unknown {
  let node = doc;
  for (const step of path) node = Array.isArray(node) ? node[step as number] : isRecord(node) ? node[String(step)] : undefined;
  return node;
}

function jsonPatchFinding(typed: TypedSchema, patched: unknown, ops: unknown): TypeMismatch | undefined {
  if (!Array.isArray(ops)) return undefined;
  for (const op of ops) {
    if (!isRecord(op) || typeof op.path !== 'string' || !['add', 'replace', 'move', 'copy'].includes(String(op.op))) continue;
    const path = pointerPath(patched, op.path);
    if (!path) continue;
    const found = findTypeMismatches(typed, valueAt(patched, path), { judges: DECODER, first: true }, path)[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * A JSON (`type` json) or merge patch whose result a built-in kind cannot decode: 422 on "patch". A
 * merge patch's undeclared fields come from the same walk (undefined: look for them in the result).
 */
export function checkJsonPatchResult(typed: TypedSchema, type: 'json' | 'merge', patched: unknown, patch: unknown): UndeclaredFields | undefined {
  if (typed.custom) return undefined; // decoded as unstructured JSON: the schema validation answers (422 on the field)
  const merge: MergeFindings = { unknown: { names: [], paths: [] } };
  if (type === 'merge') mergeWalk(typed, patched, patch, [], merge);
  const found = type === 'merge' ? merge.first : jsonPatchFinding(typed, patched, patch);
  if (found) throw patchInvalid(JSON.stringify(patched), decoderMessage(found));
  return type === 'merge' ? merge.unknown : undefined;
}

/** A strategic merge patch carrying a value the converter refuses: 422 with the patch as Go prints it. */
export function checkStrategicPatch(typed: TypedSchema, patch: unknown): void {
  // Directives ($patch, $retainKeys, $setElementOrder/...) are fields no schema declares: the walk skips them.
  const found = findTypeMismatches(typed, patch, { judges: CONVERTER, first: true })[0];
  if (found) throw patchInvalid(goV(patch), converterMessage(found));
}

/** objectGVKNN: "default/web; apps/v1, Kind=Deployment", from the applied configuration as sent. */
function objectGvkNn(applied: Record<string, unknown>, group: string, version: string, kind: string): string {
  const meta = isRecord(applied.metadata) ? applied.metadata : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return `${ns}/${name}; ${group}/${version}, Kind=${kind}`;
}

/**
 * A server-side apply configuration structured-merge-diff refuses (wrong types, undeclared fields of
 * built-in kinds and of custom resources' structural schemas, whatever fieldValidation says), or that
 * the merged object's conversion to Go would refuse: 500, reason empty, nothing stored.
 */
export function checkApplied(typed: TypedSchema, applied: Record<string, unknown>, gv: { group: string; version: string }): void {
  const judges: ReadonlySet<Judge> = new Set<Judge>(typed.custom ? ['smd'] : ['smd', 'converter']);
  const findings = findTypeMismatches(typed, applied, { judges, first: false, refuseUndeclared: true });
  if (findings.length === 0) return;
  const who = objectGvkNn(applied, gv.group, gv.version, typed.kind);
  const typedErrors = findings.filter((m) => m.refusedBy.has('smd'));
  if (typedErrors.length > 0) {
    throw ApiError.make(500, '', `failed to create typed patch object (${who}): ${smdErrors(typed, applied, typedErrors)}`);
  }
  const gvk = `${gv.group}/${gv.version}, Kind=${typed.kind}`;
  throw ApiError.make(500, '', `failed to convert new object (${who}) to proper version: unable to convert unstructured object to ${gvk}: ${converterMessage(findings[0], true)}`);
}
