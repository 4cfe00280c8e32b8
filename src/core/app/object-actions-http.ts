// Writes to a cluster (PATCH, POST, DELETE) with @kubernetes/client-node's authentication. Unlike
// kubeGet, HTTP errors are answers here, not exceptions: a 409 or 422 carries the Status the editor
// places on the offending lines. Only an unreachable server or refused credentials throw.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, Status, StatusCause } from '../../shared/kube.js';
import type { ApplyConflict, WriteOutcome } from '../../shared/rpc/object-contract.js';
import { kubeAnswer, KubeHttpError, type KubeAnswer, type KubeMethod } from './kube-http.js';

export type { KubeAnswer };

/** A write or read whose HTTP errors are answers; refused credentials (401) throw. */
export async function kubeRequest(
  config: KubeConfig,
  method: KubeMethod,
  path: string,
  options: { body?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<KubeAnswer> {
  const answer = await kubeAnswer(config, path, { method, body: options.body, contentType: options.contentType, timeoutMs: options.timeoutMs ?? 30_000 });
  if (answer.status === 401) throw new KubeHttpError('the server refused the credentials (401 Unauthorized)', 401, 'auth');
  return answer;
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
