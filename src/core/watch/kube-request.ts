// Requests other than GET against a cluster (access reviews, deletes), authenticated exactly as
// kube-http's GETs are, so an exec plugin or a token works the same for both.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeAnswer, type KubeAnswer } from '../app/kube-http.js';

export type { KubeAnswer };

/**
 * One request; answers every HTTP status with its parsed body (callers decide what a 403 or a 404
 * means) and throws only when the cluster cannot be reached or the credentials cannot be produced.
 */
export function kubeRequest(config: KubeConfig, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<KubeAnswer> {
  return kubeAnswer(config, path, body === undefined ? { method, signal } : { method, body: JSON.stringify(body), contentType: 'application/json', signal });
}

/** The message of a metav1.Status body, or the status line when the body is not one. */
export function statusMessage(answer: KubeAnswer): string {
  const b = answer.body as { message?: unknown } | undefined;
  return typeof b === 'object' && b !== null && typeof b.message === 'string' ? b.message : `HTTP ${answer.status}`;
}
