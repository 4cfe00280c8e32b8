// pods/proxy and services/proxy: one HTTP request relayed to a port of a pod (or of a ready pod
// behind the service), as `kubectl proxy` and the dashboard-style URLs
// /api/v1/namespaces/<ns>/services/[<scheme>:]<name>[:<port>]/proxy/<path> use them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import type { PodStreamBackend } from './backend.js';
import { PODS, podSpec } from './pods.js';

const SERVICES = { group: '', resource: 'services' };
const ENDPOINTS = { group: '', resource: 'endpoints' };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

/** "[scheme:]name[:port]" as the proxy subresource's name segment carries it. */
export function splitProxyName(raw: string): { scheme: string; name: string; port: string } {
  const parts = raw.split(':');
  if (parts.length === 3) return { scheme: parts[0], name: parts[1], port: parts[2] };
  if (parts.length === 2) return { scheme: '', name: parts[0], port: parts[1] };
  return { scheme: '', name: raw, port: '' };
}

/** The path after ".../proxy" in the raw URL, with its query; undefined when nothing follows (redirect to ".../proxy/"). */
function proxiedPath(req: IncomingMessage): string | undefined {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const m = /\/(?:pods|services)\/[^/]+\/proxy(\/.*)?$/.exec(pathname);
  if (!m?.[1]) return undefined;
  return m[1] + (q < 0 ? '' : url.slice(q));
}

async function relay(req: IncomingMessage, res: ServerResponse, backend: PodStreamBackend, pod: KubeObject, port: number, path: string): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string' && !HOP_BY_HOP.has(k) && k !== 'authorization') headers[k] = v;
  }
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const spec of podSpec(pod).containers ?? []) {
    const container = backend.container(namespace, name, spec.name);
    if (!container || !container.listeningPorts().includes(port)) continue;
    const answer = await container.http(port, { method: req.method ?? 'GET', path, headers });
    if (!answer) continue;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) out[k] = v;
    out['Content-Length'] = String(answer.body.length);
    res.writeHead(answer.status, out);
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(answer.body));
    return;
  }
  const ip = ((pod.status ?? {}) as { podIP?: string }).podIP ?? '';
  throw ApiError.make(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
}

function redirectToSlash(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const location = (q < 0 ? url : url.slice(0, q)) + '/' + (q < 0 ? '' : url.slice(q));
  res.writeHead(301, { Location: location, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<a href="${location}">Moved Permanently</a>.\n\n`);
}

export function podProxyHandler(backend: PodStreamBackend, client: ApiClient): ConnectHandler {
  return async ({ info, req, res }) => {
    const path = proxiedPath(req);
    if (path === undefined) return redirectToSlash(req, res);
    const { name, port } = splitProxyName(info.name);
    const pod = await client.get(PODS, info.namespace, name);
    let number = port === '' ? 80 : Number(port);
    if (!Number.isInteger(number)) {
      const named = (podSpec(pod).containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === port);
      if (!named?.containerPort) throw ApiError.badRequest(`invalid port name "${port}" for pod ${name}`);
      number = named.containerPort;
    }
    await relay(req, res, backend, pod, number, path);
  };
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

export function serviceProxyHandler(backend: PodStreamBackend, client: ApiClient): ConnectHandler {
  return async ({ info, req, res }) => {
    const path = proxiedPath(req);
    if (path === undefined) return redirectToSlash(req, res);
    const { name, port } = splitProxyName(info.name);
    const service = await client.get(SERVICES, info.namespace, name);
    const spec = (service.spec ?? {}) as { ports?: ServicePort[]; selector?: Record<string, string> };
    const ports = spec.ports ?? [];
    const servicePort = port === '' ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => p.name === port || String(p.port) === port);
    if (!servicePort) throw ApiError.make(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
    for (const pod of await backendPods(client, info.namespace, name, spec.selector)) {
      const target = targetPortOf(pod, servicePort);
      if (target === undefined) continue;
      const namespace = pod.metadata.namespace ?? '';
      const listening = (podSpec(pod).containers ?? []).some((c) => backend.container(namespace, pod.metadata.name ?? '', c.name)?.listeningPorts().includes(target));
      if (!listening) continue;
      return relay(req, res, backend, pod, target, path);
    }
    throw ApiError.make(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  };
}

/** Ready pods behind a service: from its Endpoints when the controller keeps them, else by its selector. */
async function backendPods(client: ApiClient, namespace: string, service: string, selector: Record<string, string> | undefined): Promise<KubeObject[]> {
  try {
    const endpoints = await client.get(ENDPOINTS, namespace, service);
    const subsets = (endpoints as { subsets?: { addresses?: { targetRef?: { kind?: string; name?: string } }[] }[] }).subsets ?? [];
    const names = subsets.flatMap((s) => s.addresses ?? []).filter((a) => a.targetRef?.kind === 'Pod').map((a) => a.targetRef!.name!);
    if (names.length > 0) {
      const pods = await Promise.all(names.map((n) => client.get(PODS, namespace, n).catch(() => undefined)));
      return pods.filter((p): p is KubeObject => p !== undefined);
    }
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 404)) throw error;
  }
  if (!selector || Object.keys(selector).length === 0) return [];
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await client.list(PODS, namespace, { labelSelector });
  return list.items.filter((p) => ((p.status ?? {}) as { phase?: string }).phase === 'Running' && !p.metadata.deletionTimestamp);
}

function targetPortOf(pod: KubeObject, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return (podSpec(pod).containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
}
