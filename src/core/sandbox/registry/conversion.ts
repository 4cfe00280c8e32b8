// Version conversion at the API boundary, as kube-apiserver's scheme converts between served
// versions and the storage version: autoscaling/v1 <-> v2 HorizontalPodAutoscalers, and
// events.k8s.io/v1 Events, which share storage with core v1 Events.
import type { KubeObject } from '../../../shared/kube.js';
import type { ResourceDef } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Metrics v1 cannot express travel in this annotation, as kube-apiserver keeps them. */
const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const HPA_CURRENT_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function isCpuUtilization(metric: unknown): metric is Obj {
  if (!isObj(metric) || metric.type !== 'Resource' || !isObj(metric.resource)) return false;
  const target = metric.resource.target;
  return metric.resource.name === 'cpu' && isObj(target) && target.type === 'Utilization';
}

function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = { ...((obj.spec as Obj) ?? {}) };
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  const metrics: unknown[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const extra = annotations[HPA_METRICS_ANNOTATION];
  if (extra) {
    try {
      metrics.push(...(JSON.parse(extra) as unknown[]));
    } catch {
      // A hand-edited annotation that is not JSON is ignored, as the upstream conversion does.
    }
  }
  delete annotations[HPA_METRICS_ANNOTATION];
  delete spec.targetCPUUtilizationPercentage;
  if (metrics.length > 0) spec.metrics = metrics;
  const status = { ...((obj.status as Obj) ?? {}) };
  if (typeof status.currentCPUUtilizationPercentage === 'number') {
    status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    delete status.currentCPUUtilizationPercentage;
  }
  const conditions = annotations[HPA_CONDITIONS_ANNOTATION];
  if (conditions) {
    try {
      status.conditions = JSON.parse(conditions);
    } catch {
      // ignored, as above
    }
    delete annotations[HPA_CONDITIONS_ANNOTATION];
  }
  delete annotations[HPA_CURRENT_ANNOTATION];
  const metadata = { ...obj.metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined };
  if (!metadata.annotations) delete metadata.annotations;
  return { ...obj, apiVersion: 'autoscaling/v2', metadata, spec, ...(obj.status ? { status } : {}) };
}

function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = { ...((obj.spec as Obj) ?? {}) };
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  if (others.length > 0) annotations[HPA_METRICS_ANNOTATION] = JSON.stringify(others);
  delete spec.metrics;
  delete spec.behavior;
  if (cpu) spec.targetCPUUtilizationPercentage = ((cpu.resource as Obj).target as Obj).averageUtilization;
  const status = { ...((obj.status as Obj) ?? {}) };
  const current = Array.isArray(status.currentMetrics) ? status.currentMetrics : [];
  const currentCpu = current.find((m) => isObj(m) && m.type === 'Resource' && isObj(m.resource) && m.resource.name === 'cpu') as Obj | undefined;
  if (currentCpu && isObj(currentCpu.resource) && isObj(currentCpu.resource.current)) {
    status.currentCPUUtilizationPercentage = currentCpu.resource.current.averageUtilization;
  }
  if (Array.isArray(status.conditions) && status.conditions.length > 0) annotations[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  delete status.currentMetrics;
  delete status.conditions;
  const metadata = { ...obj.metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
  return { ...obj, apiVersion: 'autoscaling/v1', metadata, spec, ...(obj.status ? { status } : {}) };
}

const EVENT_FIELDS: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function renameFields(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

/** Converts an object the client sent in `version` to what is stored. */
export function toStorageVersion(def: ResourceDef, version: string, obj: KubeObject): KubeObject {
  if (def.group === 'autoscaling' && def.plural === 'horizontalpodautoscalers' && version === 'v1') return hpaV1ToV2(obj);
  if (def.group === 'events.k8s.io' && def.plural === 'events') return renameFields(obj, EVENT_FIELDS, 'v1');
  return obj;
}

/** Converts a stored object to the version the client asked for. */
export function fromStorageVersion(def: ResourceDef, version: string, obj: KubeObject): KubeObject {
  if (def.group === 'autoscaling' && def.plural === 'horizontalpodautoscalers' && version === 'v1') return hpaV2ToV1(obj);
  if (def.group === 'events.k8s.io' && def.plural === 'events') {
    return renameFields(obj, EVENT_FIELDS.map(([a, b]) => [b, a] as [string, string]), 'events.k8s.io/v1');
  }
  return obj;
}

/** Whether objects of `def` in `version` need converting at all (most never do). */
export function needsConversion(def: ResourceDef, version: string): boolean {
  return (def.group === 'autoscaling' && def.plural === 'horizontalpodautoscalers' && version === 'v1') || (def.group === 'events.k8s.io' && def.plural === 'events');
}
