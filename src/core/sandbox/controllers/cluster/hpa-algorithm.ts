// The replica calculation of the horizontal pod autoscaler (pkg/controller/podautoscaler), for
// Resource metrics: utilization against requests (or average value), tolerance 0.1, the default
// behavior (scale up by at most max(100 %, 4 pods) per 15 s, scale down stabilized over 300 s).
import type { KubeObject } from '../../../../shared/kube.js';
import { milliValue, parseQuantity } from '../../registry/kinds/quantity.js';
import type { PodMetrics } from './metrics-source.js';
import { asArray, asObj, podReady } from './shared.js';

export const TOLERANCE = 0.1;

export interface ResourceMetricSpec {
  name: string;
  target: { type: 'Utilization' | 'AverageValue' | string; averageUtilization?: number; averageValue?: string };
}

export interface MetricProposal {
  replicas: number;
  /** currentMetrics entry for status. */
  current: Record<string, unknown>;
  /** "cpu resource utilization (percentage of request)". */
  description: string;
  above: boolean;
}

function milli(value: unknown): number {
  const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  return q ? Number(milliValue(q)) : 0;
}

function formatMilli(m: number, resource: string): string {
  if (resource === 'cpu') return `${Math.round(m)}m`;
  const bytes = Math.round(m / 1000);
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)}Mi` : String(bytes);
}

/** Sum of a pod's container requests for `resource`, or undefined when a container has none. */
function podRequest(pod: KubeObject, resource: string): number | undefined {
  let sum = 0;
  for (const c of asArray(asObj(pod.spec).containers)) {
    const r = asObj(asObj(c.resources).requests)[resource];
    if (r === undefined) return undefined;
    sum += milli(r);
  }
  return sum;
}

export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function resourceProposal(metric: ResourceMetricSpec, pods: KubeObject[], metrics: PodMetrics[], currentReplicas: number): MetricProposal {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const resource = metric.name;
  let usage = 0;
  let requests = 0;
  let counted = 0;
  for (const pod of pods) {
    const m = byName.get(pod.metadata.name ?? '');
    // Pods not ready yet or without a sample are left out, as upstream does for scale decisions.
    if (!m || pod.metadata.deletionTimestamp || !podReady(pod)) continue;
    const request = podRequest(pod, resource);
    if (metric.target.type === 'Utilization' && request === undefined) {
      const container = asArray(asObj(pod.spec).containers).find((c) => asObj(asObj(c.resources).requests)[resource] === undefined);
      throw new MetricError('FailedGetResourceMetric', `failed to get ${resource} utilization: missing request for ${resource} in container ${String(container?.name ?? '')} of Pod ${pod.metadata.name ?? ''}`);
    }
    usage += m.containers.reduce((s, c) => s + milli(c.usage[resource] ?? '0'), 0);
    requests += request ?? 0;
    counted++;
  }
  if (counted === 0) {
    throw new MetricError('FailedGetResourceMetric', `failed to get ${resource} utilization: unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  }
  if (metric.target.type === 'Utilization') {
    const target = metric.target.averageUtilization ?? 80;
    const utilization = Math.trunc((usage * 100) / requests);
    const ratio = usage * 100 / requests / target;
    const replicas = Math.abs(1 - ratio) <= TOLERANCE ? currentReplicas : Math.ceil(ratio * counted);
    return {
      replicas,
      current: { type: 'Resource', resource: { name: resource, current: { averageUtilization: utilization, averageValue: formatMilli(usage / counted, resource) } } },
      description: `${resource} resource utilization (percentage of request)`,
      above: ratio > 1,
    };
  }
  const target = milli(metric.target.averageValue ?? '0');
  const ratio = target > 0 ? usage / counted / target : 0;
  const replicas = Math.abs(1 - ratio) <= TOLERANCE ? currentReplicas : Math.ceil(usage / target);
  return {
    replicas,
    current: { type: 'Resource', resource: { name: resource, current: { averageValue: formatMilli(usage / counted, resource) } } },
    description: `${resource} resource`,
    above: ratio > 1,
  };
}

/** Default scale-up limit per period: max(2 × current, current + 4). */
export function scaleUpLimit(current: number): number {
  return Math.max(current * 2, current + 4);
}
