// metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) as metrics-server serves it, so `kubectl top`
// works: the resources appear in discovery like any group, and get/list are answered from the
// nodes' simulated usage joined with the Node and Pod objects (labels, selectors, namespaces).
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceDef } from '../../registry/types.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../client.js';
import { negotiate, send } from '../content.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import type { MetricsBackend } from './backend.js';
import { PODS } from './pods.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const NODES = { group: '', resource: 'nodes' };

export function metricsResources(): ResourceDef[] {
  const base = { group: METRICS_GROUP, versions: [VERSION], verbs: ['get' as const, 'list' as const], strategy: {} };
  return [
    { ...base, kind: 'NodeMetrics', listKind: 'NodeMetricsList', plural: 'nodes', singular: '', namespaced: false, storagePrefix: '/registry/metrics.k8s.io/nodes' },
    { ...base, kind: 'PodMetrics', listKind: 'PodMetricsList', plural: 'pods', singular: '', namespaced: true, storagePrefix: '/registry/metrics.k8s.io/pods' },
  ];
}

/** metrics-server's quantities: CPU in nanocores ("41639406n"), memory in kibibytes ("1604612Ki"). */
export function cpuQuantity(nanoCores: number): string {
  return `${Math.max(0, Math.round(nanoCores))}n`;
}
export function memoryQuantity(bytes: number): string {
  const b = Math.max(0, Math.round(bytes));
  return b % 1024 === 0 ? `${b / 1024}Ki` : String(b);
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function meta(obj: KubeObject, now: Date): Record<string, unknown> {
  return {
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    creationTimestamp: rfc3339(now),
    ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}),
  };
}

export function metricsConnectHandlers(metrics: MetricsBackend, client: ApiClient, clock: Clock): Map<string, ConnectHandler> {
  const nodes: ConnectHandler = async ({ info, query, req, res }) => {
    if (info.verb !== 'get' && info.verb !== 'list') throw ApiError.methodNotSupported({ group: METRICS_GROUP, resource: 'nodes' }, info.verb);
    const now = clock.now();
    const usage = new Map(metrics.nodeUsage().map((u) => [u.name, u]));
    const objects = info.name ? [await client.get(NODES, '', info.name)] : (await client.list(NODES, '', selectors(query))).items;
    const items = objects.flatMap((node) => {
      const u = usage.get(node.metadata.name ?? '');
      if (!u) return [];
      return [{ metadata: meta(node, now), timestamp: rfc3339(u.timestamp), window: `${u.windowSeconds}s`, usage: { cpu: cpuQuantity(u.cpuNanoCores), memory: memoryQuantity(u.memoryBytes) } }];
    });
    if (info.name && items.length === 0) throw ApiError.notFound({ group: METRICS_GROUP, resource: 'nodes' }, info.name);
    respond(req.headers.accept, query, res, 'NodeMetrics', items, info.name !== '');
  };
  const pods: ConnectHandler = async ({ info, query, req, res }) => {
    if (info.verb !== 'get' && info.verb !== 'list') throw ApiError.methodNotSupported({ group: METRICS_GROUP, resource: 'pods' }, info.verb);
    const now = clock.now();
    const usage = new Map(metrics.podUsage(info.namespace).map((u) => [`${u.namespace}/${u.name}`, u]));
    const objects = info.name ? [await client.get(PODS, info.namespace, info.name)] : (await client.list(PODS, info.namespace, selectors(query))).items;
    const items = objects.flatMap((pod) => {
      const u = usage.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
      if (!u) return [];
      const containers = u.containers.map((c) => ({ name: c.name, usage: { cpu: cpuQuantity(c.cpuNanoCores), memory: memoryQuantity(c.memoryBytes) } }));
      return [{ metadata: meta(pod, now), timestamp: rfc3339(u.timestamp), window: `${u.windowSeconds}s`, containers }];
    });
    if (info.name && items.length === 0) throw ApiError.notFound({ group: METRICS_GROUP, resource: 'pods' }, info.name);
    respond(req.headers.accept, query, res, 'PodMetrics', items, info.name !== '');
  };
  return new Map([
    [`${METRICS_GROUP}/nodes/`, nodes],
    [`${METRICS_GROUP}/pods/`, pods],
  ]);
}

function selectors(query: URLSearchParams) {
  return { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined };
}

type MetricsItem = { metadata: Record<string, unknown>; timestamp: string; window: string; usage?: { cpu: string; memory: string }; containers?: { name: string; usage: { cpu: string; memory: string } }[] };

function respond(accept: string | undefined, query: URLSearchParams, res: Parameters<ConnectHandler>[0]['res'], kind: string, items: MetricsItem[], single: boolean): void {
  const negotiated = negotiate(accept, query);
  const apiVersion = `${METRICS_GROUP}/${VERSION}`;
  if (negotiated.table) {
    const usageOf = (item: MetricsItem) => item.usage ?? { cpu: sumCpu(item), memory: sumMemory(item) };
    return send(res, 200, {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '' },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        { name: 'CPU', type: 'string', format: '', description: 'CPU usage', priority: 0 },
        { name: 'Memory', type: 'string', format: '', description: 'Memory usage', priority: 0 },
        { name: 'Window', type: 'string', format: '', description: 'Time window', priority: 0 },
      ],
      rows: items.map((item) => ({
        cells: [item.metadata.name, usageOf(item).cpu, usageOf(item).memory, item.window],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
      })),
    });
  }
  if (single) return send(res, 200, { kind, apiVersion, ...items[0] }, negotiated.yaml);
  send(res, 200, { kind: `${kind}List`, apiVersion, metadata: {}, items }, negotiated.yaml);
}

function sumCpu(item: MetricsItem): string {
  return cpuQuantity((item.containers ?? []).reduce((n, c) => n + Number(c.usage.cpu.replace(/n$/, '')), 0));
}
function sumMemory(item: MetricsItem): string {
  return memoryQuantity((item.containers ?? []).reduce((n, c) => n + (c.usage.memory.endsWith('Ki') ? Number(c.usage.memory.slice(0, -2)) * 1024 : Number(c.usage.memory)), 0));
}
