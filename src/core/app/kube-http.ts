// Plain GETs against a cluster with @kubernetes/client-node's authentication (certificates, tokens,
// exec plugins), answering raw JSON: the UI shows objects exactly as the API returns them.
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher } from 'undici';

export class KubeHttpError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly kind: 'network' | 'auth' | 'http') {
    super(message);
    this.name = 'KubeHttpError';
  }
}

/** Client-node hides the cause of exec-plugin failures in messages: name the binary when it is missing. */
export function describeAuthError(error: unknown, config: KubeConfig): string {
  const message = error instanceof Error ? error.message : String(error);
  const exec = config.getCurrentUser()?.exec as { command?: unknown } | undefined;
  if (exec && typeof exec.command === 'string' && /ENOENT|not found/i.test(message)) {
    return `the credential plugin "${exec.command}" is not installed or not on PATH (${message}); install it or fix the kubeconfig's exec.command`;
  }
  return message;
}

export async function kubeGet(config: KubeConfig, path: string, signal?: AbortSignal): Promise<unknown> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeHttpError('the context names no cluster', undefined, 'network');
  const ctx = new RequestContext(cluster.server + path, HttpMethod.GET);
  try {
    await config.applySecurityAuthentication(ctx);
  } catch (error) {
    throw new KubeHttpError(describeAuthError(error, config), undefined, 'auth');
  }
  let response;
  try {
    response = await fetch(cluster.server + path, {
      method: 'GET',
      headers: { ...ctx.getHeaders(), accept: 'application/json' },
      dispatcher: ctx.getDispatcher() as Dispatcher | undefined,
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    throw new KubeHttpError(`cannot reach ${cluster.server}: ${detail}`, undefined, 'network');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 401) throw new KubeHttpError(`the server refused the credentials (401 Unauthorized)`, 401, 'auth');
  if (!response.ok) {
    const message = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : response.statusText;
    throw new KubeHttpError(`GET ${path} failed: ${response.status} ${message}`, response.status, 'http');
  }
  return body;
}
