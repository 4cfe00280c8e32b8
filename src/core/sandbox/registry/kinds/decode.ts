// Errors kube-apiserver raises while decoding a request body into the typed object, before any
// defaulting or validation: here malformed base64 (wrong JSON types and malformed quantities are found
// by the API server's type walk, apiserver/typed). They are 400 BadRequest, worded
// "<Kind> in version "<v>" cannot be handled as a <Kind>: <reason>", not 422 causes.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';

function versionOf(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? 'v1';
  return apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
}

export function decodeError(obj: KubeObject, kind: string, reason: string): ApiError {
  return ApiError.badRequest(`${kind} in version "${versionOf(obj)}" cannot be handled as a ${kind}: ${reason}`);
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
