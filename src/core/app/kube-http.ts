// Requests to a cluster with @kubernetes/client-node's authentication (certificates, tokens, exec
// plugins), one path for all so a credential works the same everywhere. GETs answer raw JSON: the UI
// shows objects exactly as the API returns them.
import type { RequestOptions } from 'node:https';
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch, ProxyAgent, type Dispatcher, type Response } from 'undici';

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

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS: Record<KubeMethod, HttpMethod> = { GET: HttpMethod.GET, POST: HttpMethod.POST, PUT: HttpMethod.PUT, PATCH: HttpMethod.PATCH, DELETE: HttpMethod.DELETE };

export interface KubeRequestInit {
  method?: KubeMethod;
  body?: string;
  contentType?: string;
  /** The caller's cancellation: its abort is rethrown as is, not reported as an unreachable server. */
  signal?: AbortSignal;
  /** A deadline, reported as an unreachable server when it passes. */
  timeoutMs?: number;
}

function unreachable(server: string, error: unknown): KubeHttpError {
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return new KubeHttpError(`cannot reach ${server}: ${detail}`, undefined, 'network');
}

/** A TLS option as text: certificates come as strings, Buffers or arrays of either. */
function optionText(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(optionText);
  return value;
}

/**
 * One keep-alive dispatcher per kubeconfig, for as long as its cluster's connection settings
 * (server, proxy, CA, client certificate, TLS verification) stay the same: client-node builds a new
 * undici Agent for every request, so each request paid a TLS handshake (0.25-0.5 s of them in a cold
 * load) and left its socket open for keep-alive on an Agent nobody would use again. Settings that
 * change (a rotated certificate, the sandbox restarted on a new port) give a new dispatcher; the old
 * one closes once its requests end.
 */
const dispatchers = new WeakMap<KubeConfig, { key: string; dispatcher: Dispatcher | undefined }>();

async function authenticate(config: KubeConfig, server: string, url: string, method: KubeMethod): Promise<{ headers: Record<string, string>; dispatcher: Dispatcher | undefined }> {
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const tls = { ca: options.ca, cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase, ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}), ...(options.servername !== undefined ? { servername: options.servername } : {}) };
  const how = config.createDispatcherOptions(config.getCurrentCluster(), tls);
  if (how.type === 'socks') {
    // Its connector is client-node's own: let it build the dispatcher, one per request as before.
    const ctx = new RequestContext(url, METHODS[method]);
    await config.applySecurityAuthentication(ctx);
    return { headers, dispatcher: ctx.getDispatcher() as Dispatcher | undefined };
  }
  const key = JSON.stringify([server, how.type, how.type === 'proxy' ? how.uri : '', optionText(tls.ca), optionText(tls.cert), optionText(tls.key), optionText(tls.pfx), tls.passphrase, options.rejectUnauthorized, options.servername]);
  const cached = dispatchers.get(config);
  if (cached?.key === key) return { headers, dispatcher: cached.dispatcher };
  void cached?.dispatcher?.close().catch(() => undefined);
  const dispatcher = how.type === 'agent' ? new Agent({ connect: how.connect }) : how.type === 'proxy' ? new ProxyAgent({ uri: how.uri, requestTls: how.requestTls, connect: how.connect }) : undefined;
  dispatchers.set(config, { key, dispatcher });
  return { headers, dispatcher };
}

/**
 * One request authenticated as the kubeconfig says, whatever its HTTP status. Throws only when the
 * context names no cluster, the credentials cannot be produced, or the server cannot be reached.
 */
async function kubeFetch(config: KubeConfig, path: string, init: KubeRequestInit): Promise<{ response: Response; server: string }> {
  const method = init.method ?? 'GET';
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeHttpError('the context names no cluster', undefined, 'network');
  let auth: Awaited<ReturnType<typeof authenticate>>;
  try {
    auth = await authenticate(config, cluster.server, cluster.server + path, method);
  } catch (error) {
    throw new KubeHttpError(describeAuthError(error, config), undefined, 'auth');
  }
  const headers: Record<string, string> = { ...auth.headers, accept: 'application/json' };
  if (init.contentType) headers['content-type'] = init.contentType;
  const deadline = init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs);
  const signal = deadline && init.signal ? AbortSignal.any([init.signal, deadline]) : (deadline ?? init.signal);
  const attempt = () => fetch(cluster.server + path, { method, headers, body: init.body, dispatcher: auth.dispatcher, signal });
  try {
    let response: Response;
    try {
      response = await attempt();
    } catch (error) {
      // A kept-alive connection the server closed meanwhile (it restarted, or went away): a GET
      // tries once more on a new connection, as client-go does, which says what is really wrong.
      if (method !== 'GET' || signal?.aborted) throw error;
      response = await attempt();
    }
    return { response, server: cluster.server };
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw unreachable(cluster.server, error);
  }
}

export interface KubeAnswer {
  status: number;
  /** Parsed JSON, or the text when it is not JSON (a proxy's HTML error page, say). */
  body: unknown;
}

/** Any HTTP status is an answer here: callers decide what a 403, 404 or 409 means. */
export async function kubeAnswer(config: KubeConfig, path: string, init: KubeRequestInit = {}): Promise<KubeAnswer> {
  const { response, server } = await kubeFetch(config, path, init);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw unreachable(server, error);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the text itself is the best explanation.
  }
  return { status: response.status, body };
}

async function send(config: KubeConfig, path: string, signal: AbortSignal | undefined): Promise<Response> {
  const { response } = await kubeFetch(config, path, { signal });
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
