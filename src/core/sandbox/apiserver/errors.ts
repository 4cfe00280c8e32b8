// API errors as kube-apiserver words them (k8s.io/apimachinery/pkg/api/errors). Storage errors are
// translated here and only here.
import type { Status, StatusCause } from '../../../shared/kube.js';
import { StorageError } from '../store/storage.js';

export interface Qualified {
  group: string;
  /** Plural resource, e.g. "pods". */
  resource: string;
}

function qualified({ group, resource }: Qualified): string {
  return group ? `${resource}.${group}` : resource;
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'ApiError';
  }

  get code(): number {
    return this.status.code;
  }

  static make(code: number, reason: string, message: string, details?: Status['details']): ApiError {
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) status.details = details;
    return new ApiError(status);
  }

  static notFound(qr: Qualified, name: string): ApiError {
    return ApiError.make(404, 'NotFound', `${qualified(qr)} "${name}" not found`, { name, group: qr.group || undefined, kind: qr.resource });
  }

  static alreadyExists(qr: Qualified, name: string): ApiError {
    return ApiError.make(409, 'AlreadyExists', `${qualified(qr)} "${name}" already exists`, { name, group: qr.group || undefined, kind: qr.resource });
  }

  static conflict(qr: Qualified, name: string, why: string): ApiError {
    return ApiError.make(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(qr)} "${name}": ${why}`, {
      name,
      group: qr.group || undefined,
      kind: qr.resource,
    });
  }

  /** 422: `Kind.group "name" is invalid: [field: reason, ...]` with one cause per field error. */
  static invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? '')));
    const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    return ApiError.make(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
      name,
      group: group || undefined,
      kind,
      causes,
    });
  }

  static badRequest(message: string): ApiError {
    return ApiError.make(400, 'BadRequest', message);
  }

  static unauthorized(message = 'Unauthorized'): ApiError {
    return ApiError.make(401, 'Unauthorized', message);
  }

  /** `User "x" cannot list resource "pods" in API group "" in the namespace "default"`. */
  static forbidden(message: string, qr?: Qualified, name?: string): ApiError {
    return ApiError.make(403, 'Forbidden', message, qr ? { name, group: qr.group || undefined, kind: qr.resource } : undefined);
  }

  static methodNotSupported(qr: Qualified, action: string): ApiError {
    return ApiError.make(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(qr)}"`, {
      group: qr.group || undefined,
      kind: qr.resource,
    });
  }

  static gone(message: string): ApiError {
    return ApiError.make(410, 'Expired', message);
  }

  static tooLarge(message = 'Request entity too large: limit is 3145728'): ApiError {
    return ApiError.make(413, 'RequestEntityTooLarge', message);
  }

  static unsupportedMediaType(accepted: string[]): ApiError {
    return ApiError.make(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  }

  static notAcceptable(message: string): ApiError {
    return ApiError.make(406, 'NotAcceptable', message);
  }

  static tooManyRequests(message: string, retryAfterSeconds = 1): ApiError {
    return ApiError.make(429, 'TooManyRequests', message, { retryAfterSeconds });
  }

  static internal(message: string): ApiError {
    return ApiError.make(500, 'InternalError', `Internal error occurred: ${message}`);
  }

  static timeout(message: string): ApiError {
    return ApiError.make(504, 'Timeout', message);
  }
}

/** Translate a storage-layer error for the resource `qr`; anything unknown becomes a 500. */
export function fromStorageError(error: unknown, qr: Qualified, name: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StorageError) {
    switch (error.code) {
      case 'KeyNotFound':
        return ApiError.notFound(qr, name);
      case 'KeyExists':
        return ApiError.alreadyExists(qr, name);
      case 'ResourceVersionConflict':
        return ApiError.conflict(qr, name, 'the object has been modified; please apply your changes to the latest version and try again');
      case 'Expired':
        return ApiError.gone(`The resourceVersion for the provided list is too old.`);
      case 'TooLargeResourceVersion':
        return ApiError.make(504, 'Timeout', `Too large resource version: ${error.message}`, { retryAfterSeconds: 1 });
      case 'InvalidObj':
        return ApiError.internal(error.message);
      case 'Unavailable':
        return ApiError.make(503, 'ServiceUnavailable', error.message);
    }
  }
  return ApiError.internal(error instanceof Error ? error.message : String(error));
}
