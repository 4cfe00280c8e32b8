// Request bodies in (JSON or YAML, at most 3 MiB as kube-apiserver) and responses out (JSON, YAML,
// or a Table when kubectl asks for server-side printing).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Status } from '../../../shared/kube.js';
import { ApiError } from './errors.js';
import { goJsonSyntaxError } from './go-json-error.js';
import { decodeKubernetesProtobuf, isProtobufContentType, KubernetesProtobufError } from '../protobuf/kubernetes-protobuf.js';

export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/**
 * The request body, at most MAX_REQUEST_BYTES. Listeners rather than `for await`: the async
 * iterator costs a generator and a promise per chunk on every write request.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_REQUEST_BYTES) {
    req.resume();
    return Promise.reject(ApiError.tooLarge());
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        cleanup();
        // Drain the rest so the connection can answer the 413.
        req.resume();
        reject(ApiError.tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the client closed the connection before the end of the request body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes a JSON or YAML body; anything else is 415, bad syntax is 400 as kube-apiserver says it. */
export function decodeBody(body: Buffer, contentType: string | undefined, accepted = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']): unknown {
  const type = mediaType(contentType) || 'application/json';
  if (isProtobufContentType(type) && accepted.includes(type)) return decodeProtobuf(body);
  if (!accepted.includes(type)) throw ApiError.unsupportedMediaType(accepted);
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      return parseYaml(text);
    } catch (error) {
      throw ApiError.badRequest(`error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw ApiError.badRequest(`couldn't get version/kind; json parse error: ${goJsonSyntaxError(text)}`);
  }
}

export interface Negotiated {
  table: boolean;
  /** Table rows carry PartialObjectMetadata (default), the full object, or nothing. */
  includeObject: 'None' | 'Metadata' | 'Object';
  yaml: boolean;
  /** PartialObjectMetadata(List) instead of full objects (client-go metadata informers). */
  partialMetadata: boolean;
}

export function negotiate(accept: string | undefined, query: URLSearchParams): Negotiated {
  const clauses = (accept ?? '').split(',').map((c) => c.trim().toLowerCase());
  const table = clauses.some((c) => c.includes('as=table') && c.includes('g=meta.k8s.io'));
  const partialMetadata = !table && clauses.some((c) => c.includes('as=partialobjectmetadata'));
  const first = mediaType(clauses[0]);
  const include = query.get('includeObject');
  return {
    table,
    includeObject: include === 'None' || include === 'Object' ? include : 'Metadata',
    yaml: first === 'application/yaml',
    partialMetadata,
  };
}

export function send(res: ServerResponse, code: number, body: unknown, yaml = false, headers: Record<string, string> = {}): void {
  const payload = yaml ? stringifyYaml(body) : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(payload);
}

export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (status.details?.retryAfterSeconds) headers['Retry-After'] = String(status.details.retryAfterSeconds);
  send(res, status.code, status, false, headers);
}

export function successStatus(details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

/** kubectl's typed commands (create deployment, create token, auth can-i...) send protobuf. */
function decodeProtobuf(body: Buffer): unknown {
  try {
    return decodeKubernetesProtobuf(body);
  } catch (error) {
    if (error instanceof KubernetesProtobufError) {
      if (error.reason === 'UnknownKind' || error.reason === 'Unsupported') {
        throw ApiError.make(415, 'UnsupportedMediaType', `${error.message}; send this object as application/json`);
      }
      throw ApiError.badRequest(`unable to decode the protobuf body: ${error.message}`);
    }
    throw error;
  }
}
