// Requests other than GET against a cluster (access reviews, deletes), authenticated exactly as
// kube-http's GETs are, so an exec plugin or a token works the same for both.
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher } from 'undici';
import { describeAuthError, KubeHttpError } from '../app/kube-http.js';

export interface KubeAnswer {
  status: number;
  body: unknown;
}

const METHODS = { GET: HttpMethod.GET, POST: HttpMethod.POST, DELETE: HttpMethod.DELETE } as const;

/**
 * One request; answers every HTTP status with its parsed body (callers decide what a 403 or a 404
 * means) and throws only when the cluster cannot be reached or the credentials cannot be produced.
 */
export async function kubeRequest(config: KubeConfig, method: keyof typeof METHODS, path: string, body?: unknown, signal?: AbortSignal): Promise<KubeAnswer> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeHttpError('the context names no cluster', undefined, 'network');
  const ctx = new RequestContext(cluster.server + path, METHODS[method]);
  try {
    await config.applySecurityAuthentication(ctx);
  } catch (error) {
    throw new KubeHttpError(describeAuthError(error, config), undefined, 'auth');
  }
  try {
    const response = await fetch(cluster.server + path, {
      method,
      headers: { ...ctx.getHeaders(), accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: ctx.getDispatcher() as Dispatcher | undefined,
      signal,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's HTML error page): the text itself is the best explanation.
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    throw new KubeHttpError(`cannot reach ${cluster.server}: ${detail}`, undefined, 'network');
  }
}

/** The message of a metav1.Status body, or the status line when the body is not one. */
export function statusMessage(answer: KubeAnswer): string {
  const b = answer.body as { message?: unknown } | undefined;
  return typeof b === 'object' && b !== null && typeof b.message === 'string' ? b.message : `HTTP ${answer.status}`;
}
