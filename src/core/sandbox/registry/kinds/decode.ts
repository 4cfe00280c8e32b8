// Errors kube-apiserver raises while decoding a request body into the typed object, before any
// defaulting or validation: malformed quantities and base64. They are 400 BadRequest, worded
// "<Kind> in version "<v>" cannot be handled as a <Kind>: <reason>", not 422 causes.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import { parseQuantity, QUANTITY_REGEX_MESSAGE } from './quantity.js';
import { isObj } from './util.js';

/** Keys whose values are ResourceLists (maps of resource name to quantity) in built-in kinds. */
const RESOURCE_LIST_KEYS = new Set(['limits', 'requests', 'capacity', 'allocatable', 'hard', 'used', 'overhead']);

function versionOf(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? 'v1';
  return apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
}

export function decodeError(obj: KubeObject, kind: string, reason: string): ApiError {
  return ApiError.badRequest(`${kind} in version "${versionOf(obj)}" cannot be handled as a ${kind}: ${reason}`);
}

function isBadQuantity(value: unknown): boolean {
  if (typeof value === 'number') return false;
  return typeof value !== 'string' || parseQuantity(value) === undefined;
}

/** Throws the decode error for the first malformed quantity under a ResourceList key (or `extraKeys`). */
export function assertQuantities(obj: KubeObject, kind: string, extraKeys: string[] = []): void {
  const listKeys = new Set([...RESOURCE_LIST_KEYS, ...extraKeys]);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isObj(value)) return;
    for (const [k, v] of Object.entries(value)) {
      if (listKeys.has(k) && isObj(v)) {
        for (const q of Object.values(v)) if (isBadQuantity(q)) throw decodeError(obj, kind, QUANTITY_REGEX_MESSAGE);
      } else if (k === 'sizeLimit' && v !== undefined && v !== null && isBadQuantity(v)) {
        throw decodeError(obj, kind, QUANTITY_REGEX_MESSAGE);
      } else {
        walk(v);
      }
    }
  };
  walk(obj.spec);
  walk(obj.status);
}

/** Go's base64.StdEncoding error for the first invalid byte, or undefined when valid. */
export function base64Error(value: string): string | undefined {
  const valid = /^[A-Za-z0-9+/]*={0,2}$/;
  for (let i = 0; i < value.length; i++) {
    if (!/[A-Za-z0-9+/=]/.test(value[i])) return `illegal base64 data at input byte ${i}`;
  }
  const pad = value.indexOf('=');
  if (pad >= 0 && (!valid.test(value) || value.length % 4 !== 0)) return `illegal base64 data at input byte ${pad}`;
  if (value.length % 4 !== 0) return `illegal base64 data at input byte ${value.length - (value.length % 4)}`;
  return undefined;
}
