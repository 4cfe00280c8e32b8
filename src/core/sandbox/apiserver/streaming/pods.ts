// The checks kube-apiserver makes on a pod before it proxies a streaming request to the kubelet,
// with its wording.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';

export const PODS = { group: '', resource: 'pods' };

interface ContainerSpec {
  name: string;
  ports?: { containerPort?: number; name?: string }[];
}

export interface PodSpecLite {
  nodeName?: string;
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
}

export function podSpec(pod: KubeObject): PodSpecLite {
  return (pod.spec ?? {}) as PodSpecLite;
}

export function allContainerNames(pod: KubeObject): string[] {
  const spec = podSpec(pod);
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
}

/** The pod and the container a request names (or its only container), as the apiserver resolves it. */
export async function resolveContainer(client: ApiClient, namespace: string, podName: string, requested: string | null): Promise<{ pod: KubeObject; container: string }> {
  const pod = await client.get(PODS, namespace, podName);
  const spec = podSpec(pod);
  const names = (spec.containers ?? []).map((c) => c.name);
  let container = requested ?? '';
  if (container === '') {
    if (names.length === 1) container = names[0];
    else {
      const init = (spec.initContainers ?? []).map((c) => c.name);
      const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
      throw ApiError.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]${initPart}`);
    }
  }
  if (!allContainerNames(pod).includes(container)) throw ApiError.badRequest(`container ${container} is not valid for pod ${podName}`);
  return { pod, container };
}

export function requireNode(pod: KubeObject): string {
  const node = podSpec(pod).nodeName;
  if (!node) throw ApiError.badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  return node;
}

/** A plain-text failure, as the kubelet answers a streaming request it cannot serve (the apiserver relays it). */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
