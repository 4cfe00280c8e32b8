// Plain GETs against a cluster with @kubernetes/client-node's authentication (certificates, tokens,
// exec plugins), answering raw JSON: the UI shows objects exactly as the API returns them.
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher, type Response } from 'undici';

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

async function send(config: KubeConfig, path: string, signal: AbortSignal | undefined): Promise<Response> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeHttpError('the context names no cluster', undefined, 'network');
  const ctx = new RequestContext(cluster.server + path, HttpMethod.GET);
  try {
    await config.applySecurityAuthentication(ctx);
  } catch (error) {
    throw new KubeHttpError(describeAuthError(error, config), undefined, 'auth');
  }
  let response: Response;
  try {
    response = await fetch(cluster.server + path, {
      method: 'GET',
      headers: { ...ctx.getHeaders(), accept: 'application/json' },
      dispatcher: ctx.getDispatcher() as Dispatcher | undefined,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    throw new KubeHttpError(`cannot reach ${cluster.server}: ${detail}`, undefined, 'network');
  }
  if (response.status === 401) throw new KubeHttpError(`the server refused the credentials (401 Unauthorized)`, 401, 'auth');
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const message = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : response.statusText;
    throw new KubeHttpError(`GET ${path} failed: ${response.status} ${message}`, response.status, 'http');
  }
  return response;
}

export async function kubeGet(config: KubeConfig, path: string, signal?: AbortSignal): Promise<unknown> {
  const response = await send(config, path, signal);
  return response.json();
}

/**
 * A watch stream: `onOpen` once the server accepted it, then one call per event line. Resolves when
 * the server ends the stream; rejects on HTTP errors (410 included, with its status) or a broken
 * connection. A stream silent for `idleMs` is treated as dead: proxies drop connections quietly.
 */
export async function kubeWatch(
  config: KubeConfig,
  path: string,
  handlers: { onOpen(): void; onEvent(type: string, object: unknown): void },
  signal: AbortSignal,
  idleMs = 6 * 60_000,
): Promise<void> {
  const idle = new AbortController();
  const both = AbortSignal.any([signal, idle.signal]);
  let timer = setTimeout(() => idle.abort(), idleMs);
  try {
    const response = await send(config, path, both);
    handlers.onOpen();
    const body = response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of body) {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), idleMs);
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        let event: { type?: unknown; object?: unknown };
        try {
          event = JSON.parse(line) as { type?: unknown; object?: unknown };
        } catch {
          throw new KubeHttpError(`the watch on ${path} sent a line that is not JSON`, undefined, 'http');
        }
        if (typeof event.type === 'string') handlers.onEvent(event.type, event.object);
      }
    }
  } catch (error) {
    if (idle.signal.aborted && !signal.aborted) throw new KubeHttpError(`the watch on ${path} was silent for ${idleMs / 1000} s`, undefined, 'network');
    if (signal.aborted) return;
    if (error instanceof KubeHttpError) throw error;
    throw new KubeHttpError(`the watch on ${path} broke: ${error instanceof Error ? error.message : String(error)}`, undefined, 'network');
  } finally {
    clearTimeout(timer);
  }
}
