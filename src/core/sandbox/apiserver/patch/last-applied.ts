// kubectl.kubernetes.io/last-applied-configuration and server-side apply: kube-apiserver lets
// `kubectl apply --server-side` (manager "kubectl") take over fields a client-side apply set, and keeps
// the annotation in sync so that going back to client-side apply still works.
import type { KubeObject } from '../../../../shared/kube.js';
import type { FieldSet } from './field-set.js';
import { clone, isObject, type JsonObject } from './json-value.js';
import type { TypedWalker } from './typed-value.js';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager kube-apiserver treats as kubectl's server-side apply for the upgrade from client-side apply. */
export const kubectlApplyManager = 'kubectl';

function annotationOf(obj: JsonObject): string | undefined {
  const meta = obj.metadata;
  if (!isObject(meta) || !isObject(meta.annotations)) return undefined;
  const value = meta.annotations[lastAppliedAnnotation];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Fields a conflict may be forced on: those of the last-applied configuration whose value is still the
 * live one (kube-apiserver's lastAppliedManager). Undefined when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: JsonObject, walker: TypedWalker): FieldSet | undefined {
  const text = annotationOf(live);
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(lastApplied)) return undefined;
  try {
    const fields = walker.toFieldSet(lastApplied);
    const diff = walker.compare(lastApplied, live);
    return fields.difference(diff.modified).difference(diff.added).difference(diff.removed);
  } catch {
    return undefined;
  }
}

/** Go's encoding/json output: keys sorted, <, > and & escaped, a trailing newline (json.Encoder). */
export function goJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const key of Object.keys(v).sort()) out[key] = sortKeys(v[key]);
    return out;
  };
  const text = JSON.stringify(sortKeys(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${text}\n`;
}

/** After a server-side apply by "kubectl": the annotation, if present, becomes the applied configuration. */
export function syncLastApplied(object: KubeObject, applied: KubeObject): void {
  if (!annotationOf(object as JsonObject)) return;
  const config = clone(applied) as JsonObject;
  if (isObject(config.metadata) && isObject(config.metadata.annotations)) delete config.metadata.annotations[lastAppliedAnnotation];
  const annotations = object.metadata.annotations ?? {};
  annotations[lastAppliedAnnotation] = goJson(config);
  object.metadata.annotations = annotations;
}
