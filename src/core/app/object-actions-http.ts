// Writes to a cluster (PATCH, POST, DELETE) with @kubernetes/client-node's authentication. Unlike
// kubeGet, HTTP errors are answers here, not exceptions: a 409 or 422 carries the Status the editor
// places on the offending lines. Only an unreachable server or refused credentials throw.
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher } from 'undici';
import type { KubeObject, Status, StatusCause } from '../../shared/kube.js';
import type { ApplyConflict, WriteOutcome } from '../../shared/rpc/object-contract.js';
import { describeAuthError, KubeHttpError } from './kube-http.js';

export interface KubeAnswer {
  status: number;
  body: unknown;
}

const METHODS: Record<string, HttpMethod> = { GET: HttpMethod.GET, POST: HttpMethod.POST, PUT: HttpMethod.PUT, PATCH: HttpMethod.PATCH, DELETE: HttpMethod.DELETE };

export async function kubeRequest(
  config: KubeConfig,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<KubeAnswer> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeHttpError('the context names no cluster', undefined, 'network');
  const ctx = new RequestContext(cluster.server + path, METHODS[method]);
  try {
    await config.applySecurityAuthentication(ctx);
  } catch (error) {
    throw new KubeHttpError(describeAuthError(error, config), undefined, 'auth');
  }
  const headers: Record<string, string> = { ...ctx.getHeaders(), accept: 'application/json' };
  if (options.contentType) headers['content-type'] = options.contentType;
  let response;
  try {
    response = await fetch(cluster.server + path, {
      method,
      headers,
      body: options.body,
      dispatcher: ctx.getDispatcher() as Dispatcher | undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    throw new KubeHttpError(`cannot reach ${cluster.server}: ${detail}`, undefined, 'network');
  }
  if (response.status === 401) throw new KubeHttpError('the server refused the credentials (401 Unauthorized)', 401, 'auth');
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, say: kept as text for the message.
  }
  return { status: response.status, body };
}

function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/** SSA conflict causes read `conflict with "kubectl-edit" using apps/v1` on field `.spec.replicas`. */
export function conflictsOf(causes: StatusCause[]): ApplyConflict[] {
  return causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? c.message ?? '', field: c.field ?? '', message: c.message ?? '' }));
}

/** A write's answer as the UI wants it. `created` is the API's 201. */
export function outcomeOf(answer: KubeAnswer, what: string): WriteOutcome {
  if (answer.status >= 200 && answer.status < 300 && typeof answer.body === 'object' && answer.body !== null) {
    return { ok: true, object: answer.body as KubeObject, created: answer.status === 201 };
  }
  if (isStatus(answer.body)) {
    const causes = answer.body.details?.causes ?? [];
    return { ok: false, code: answer.status, reason: answer.body.reason, message: answer.body.message ?? `${what} failed (${answer.status})`, causes, conflicts: conflictsOf(causes) };
  }
  const text = typeof answer.body === 'string' ? answer.body.slice(0, 300) : '';
  return { ok: false, code: answer.status, message: `${what} failed: HTTP ${answer.status} ${text}`.trim(), causes: [], conflicts: [] };
}

/** For reads: the body, or an error carrying the API's message. */
export function bodyOrThrow(answer: KubeAnswer, what: string): unknown {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const message = isStatus(answer.body) ? answer.body.message : typeof answer.body === 'string' ? answer.body.slice(0, 300) : '';
  throw new KubeHttpError(`${what} failed: ${answer.status} ${message ?? ''}`.trim(), answer.status, 'http');
}
