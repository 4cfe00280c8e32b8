import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn, num, str } from './format.js';

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number; averageValue?: string } };
}
interface MetricStatus {
  type?: string;
  resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string } };
}

/** kubectl's TARGETS for resource metrics: "cpu: 12%/50%", "<unknown>" before the first reading. */
function targets(o: KubeObject): string {
  const specs = (field(o, 'spec.metrics') as MetricSpec[] | undefined) ?? [];
  const current = (field(o, 'status.currentMetrics') as MetricStatus[] | undefined) ?? [];
  const parts = specs.map((m) => {
    if (m.type !== 'Resource' || !m.resource) return `${m.type ?? '?'}`;
    const name = m.resource.name ?? '';
    const now = current.find((c) => c.type === 'Resource' && c.resource?.name === name)?.resource?.current;
    const t = m.resource.target ?? {};
    if (t.averageUtilization !== undefined) return `${name}: ${now?.averageUtilization !== undefined ? `${now.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`;
    return `${name}: ${now?.averageValue ?? '<unknown>'}/${t.averageValue ?? ''}`;
  });
  return parts.join(', ') || '<none>';
}

export const horizontalPodAutoscalersView: KindView = {
  name: 'horizontalpodautoscalers',
  group: 'autoscaling',
  resource: 'horizontalpodautoscalers',
  title: 'kind.horizontalpodautoscalers',
  category: 'config',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'REFERENCE', value: (o) => `${str(o, 'spec.scaleTargetRef.kind')}/${str(o, 'spec.scaleTargetRef.name')}` },
    { header: 'TARGETS', value: targets, tone: (v) => (v.includes('<unknown>') ? 'tone-warn' : undefined) },
    { header: 'MINPODS', value: (o) => String(num(o, 'spec.minReplicas', 1)), sortKey: (o) => num(o, 'spec.minReplicas', 1) },
    { header: 'MAXPODS', value: (o) => String(num(o, 'spec.maxReplicas')), sortKey: (o) => num(o, 'spec.maxReplicas') },
    { header: 'REPLICAS', value: (o) => String(num(o, 'status.currentReplicas')), sortKey: (o) => num(o, 'status.currentReplicas') },
    ageColumn,
  ],
};
