// A streaming GET against a cluster with client-node's authentication (certificates, tokens, exec
// plugins): the log endpoints answer text that must be read as it arrives.
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher, type Response } from 'undici';

export class KubeStreamError extends Error {
  /** `fatal`: retrying cannot help (credentials, configuration). */
  constructor(message: string, readonly status?: number, readonly fatal = false) {
    super(message);
    this.name = 'KubeStreamError';
  }
}

export async function kubeStream(config: KubeConfig, path: string, signal: AbortSignal): Promise<Response> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeStreamError('the context names no cluster: fix the kubeconfig');
  const ctx = new RequestContext(cluster.server + path, HttpMethod.GET);
  try {
    await config.applySecurityAuthentication(ctx);
  } catch (error) {
    throw new KubeStreamError(`cannot authenticate to ${cluster.server}: ${error instanceof Error ? error.message : String(error)}`, undefined, true);
  }
  let response: Response;
  try {
    response = await fetch(cluster.server + path, { method: 'GET', headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher() as Dispatcher | undefined, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: unknown }).cause;
    throw new KubeStreamError(`cannot reach ${cluster.server}: ${cause instanceof Error ? cause.message : String(error)}`);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let message = text || response.statusText;
    try {
      const body = JSON.parse(text) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // Plain text error.
    }
    throw new KubeStreamError(`GET ${path} failed: ${response.status} ${message}`, response.status);
  }
  return response;
}

/** The lines each chunk of a streamed body completes (a final line without newline included). */
export async function* bodyLines(response: Response): AsyncGenerator<string[]> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    const last = buffered.lastIndexOf('\n');
    if (last < 0) continue;
    const lines = buffered.slice(0, last).split('\n');
    buffered = buffered.slice(last + 1);
    yield lines;
  }
  buffered += decoder.decode();
  if (buffered !== '') yield [buffered];
}
