// Helpers shared by the admission plugins: how kube-apiserver words an admission rejection
// (admission.NewForbidden) and small narrowing helpers over untyped JSON objects.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient, ListQuery, ResourceRef } from '../client.js';
import { ApiError } from '../errors.js';
import type { AdmissionAttributes } from './types.js';

export { isObj, peek, child, objs, str, type Obj } from '../../../../shared/json.js';
import { peek, type Obj } from '../../../../shared/json.js';

/** A map of strings (labels, annotations, resource lists), dropping non-string values. */
export function strMap(obj: unknown, key: string): Record<string, string> {
  const value = peek(obj, key);
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
  }
  return out;
}

export function isResource(attributes: AdmissionAttributes, group: string, plural: string): boolean {
  return attributes.resource.group === group && attributes.resource.plural === plural;
}

/** "pods", "deployments.apps": schema.GroupResource.String(). */
export function groupResource(attributes: AdmissionAttributes): string {
  const { group, plural } = attributes.resource;
  return group ? `${plural}.${group}` : plural;
}

/**
 * The name admission errors report, as admission's extractResourceName: the request's name, else
 * the object's name or generateName (names are not generated yet on some paths), else "Unknown".
 */
export function resourceName(attributes: AdmissionAttributes): string {
  if (attributes.name) return attributes.name;
  const meta = attributes.object?.metadata;
  return meta?.name || meta?.generateName || 'Unknown';
}

/** admission.NewForbidden: `pods "x" is forbidden: <message>`, reason Forbidden, details {name, group, kind}. */
export function forbidden(attributes: AdmissionAttributes, message: string): ApiError {
  const name = resourceName(attributes);
  const { group, plural } = attributes.resource;
  return ApiError.forbidden(`${groupResource(attributes)} "${name}" is forbidden: ${message}`, { group, resource: plural }, name);
}

/** errors.NewInternalError for a failed lookup that is not the caller's fault. */
export function internal(error: unknown): ApiError {
  return ApiError.internal(error instanceof Error ? error.message : String(error));
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.code === 404;
}

/** The pod spec of an admission object, or undefined when it has none. */
export function podSpec(obj: KubeObject | undefined): Obj | undefined {
  return obj ? peek(obj, 'spec') : undefined;
}

/**
 * Reads what kube-apiserver's admission plugins read through their informers' listers: any recent
 * state, from the watch cache, so a create never waits on another request's write reaching disk.
 */
export const LISTER: ListQuery = { resourceVersion: '0' };

/**
 * The items of a list, or none when the resource is not served (yet): an optional kind (say,
 * IngressClasses) missing from the registry must not make every write that consults it fail.
 */
export async function listOrEmpty(client: ApiClient, ref: ResourceRef, namespace: string, query?: ListQuery): Promise<KubeObject[]> {
  try {
    return (await client.list(ref, namespace, query)).items;
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
