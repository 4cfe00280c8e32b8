// metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) as metrics-server serves it, so `kubectl top`
// works: the resources appear in discovery like any group, and get/list are answered from the
// nodes' simulated usage (node labels and selectors from the Node objects).
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceDef } from '../../registry/types.js';
import type { ApiClient } from '../client.js';
import { negotiate, send } from '../content.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import type { MetricsBackend } from './backend.js';

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

export function metricsConnectHandlers(metrics: MetricsBackend, client: ApiClient): Map<string, ConnectHandler> {
  const nodes: ConnectHandler = async ({ info, query, req, res }) => {
    if (info.verb !== 'get' && info.verb !== 'list') throw ApiError.methodNotSupported({ group: METRICS_GROUP, resource: 'nodes' }, info.verb);
    // Node labels (and label selectors) come from the Node objects, as metrics-server joins them.
    const objects = info.name ? [await client.get(NODES, '', info.name)] : (await client.list(NODES, '', selectors(query))).items;
    const byName = new Map(metrics.nodeMetrics().map((m) => [m.metadata.name ?? '', m]));
    const items = objects.flatMap((node) => {
      const m = byName.get(node.metadata.name ?? '');
      return m ? [withoutTypeMeta({ ...m, metadata: { ...m.metadata, ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) } })] : [];
    });
    if (info.name && items.length === 0) throw ApiError.notFound({ group: METRICS_GROUP, resource: 'nodes' }, info.name);
    respond(req.headers.accept, query, res, 'NodeMetrics', items, info.name !== '');
  };
  const pods: ConnectHandler = async ({ info, query, req, res }) => {
    if (info.verb !== 'get' && info.verb !== 'list') throw ApiError.methodNotSupported({ group: METRICS_GROUP, resource: 'pods' }, info.verb);
    let items = metrics.podMetrics(info.namespace, query.get('labelSelector') ?? undefined).map(withoutTypeMeta);
    if (info.name) items = items.filter((m) => m.metadata.name === info.name);
    if (info.name && items.length === 0) throw ApiError.notFound({ group: METRICS_GROUP, resource: 'pods' }, info.name);
    respond(req.headers.accept, query, res, 'PodMetrics', items, info.name !== '');
  };
  return new Map([
    [`${METRICS_GROUP}/nodes/`, nodes],
    [`${METRICS_GROUP}/pods/`, pods],
  ]);
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

function selectors(query: URLSearchParams) {
  return { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined };
}

type Usage = { cpu: string; memory: string };
type MetricsItem = KubeObject & { window?: string; usage?: Usage; containers?: { name: string; usage: Usage }[] };

function respond(accept: string | undefined, query: URLSearchParams, res: Parameters<ConnectHandler>[0]['res'], kind: string, objects: KubeObject[], single: boolean): void {
  const items = objects as MetricsItem[];
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
  return `${(item.containers ?? []).reduce((n, c) => n + Number(c.usage.cpu.replace(/n$/, '')), 0)}n`;
}
function sumMemory(item: MetricsItem): string {
  return `${(item.containers ?? []).reduce((n, c) => n + (c.usage.memory.endsWith('Ki') ? Number(c.usage.memory.slice(0, -2)) : Number(c.usage.memory) / 1024), 0)}Ki`;
}
