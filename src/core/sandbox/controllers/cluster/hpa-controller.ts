// The HorizontalPodAutoscaler controller (autoscaling/v2 as stored): every 15 s it reads the target's
// scale and the pods' metrics from a MetricsSource, computes the desired replicas (hpa-algorithm.ts),
// stabilizes scale-downs over the behavior's window (300 s by default), clamps to min/max, rescales
// the target and reports conditions AbleToScale/ScalingActive/ScalingLimited and events as upstream.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceRef } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../registry/selectors/index.js';
import type { Informer } from '../informer.js';
import { MetricError, resourceProposal, scaleUpLimit, type MetricProposal, type ResourceMetricSpec } from './hpa-algorithm.js';
import type { MetricsSource } from './metrics-source.js';
import { QueueController, REFS, asArray, asObj, key, rfc3339, splitKey, tolerate, type ControllerDeps } from './shared.js';

const SYNC_PERIOD_MS = 15_000;
const TARGETS: Record<string, ResourceRef> = {
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
};

type Condition = { type: string; status: string; reason: string; message: string; lastTransitionTime?: string };

export class HorizontalPodAutoscalerController extends QueueController {
  private readonly hpas: Informer;
  private readonly recommendations = new Map<string, { at: number; replicas: number }[]>();
  private timer: Disposable | undefined;
  private stopped = false;

  constructor(
    deps: ControllerDeps,
    private readonly metrics: MetricsSource,
  ) {
    super(deps);
    this.hpas = this.watch(REFS.hpas, (e) => {
      if (e.type === 'DELETED') this.recommendations.delete(key(e.object));
      else if (!e.old || JSON.stringify(e.old.spec) !== JSON.stringify(e.object.spec)) this.queue.add(key(e.object));
    });
  }

  start(): void {
    this.enqueueAll(this.hpas);
    this.tick();
  }

  override dispose(): void {
    this.stopped = true;
    this.timer?.dispose();
    super.dispose();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.enqueueAll(this.hpas);
      this.tick();
    }, SYNC_PERIOD_MS);
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const hpa = this.hpas.get(ns, name);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    const spec = asObj(hpa.spec);
    const targetRef = asObj(spec.scaleTargetRef) as { kind?: string; name?: string };
    const ref = TARGETS[targetRef.kind ?? ''];
    const minReplicas = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const maxReplicas = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : minReplicas;
    const now = this.deps.clock.now();
    const conditions: Condition[] = [];
    const target = ref ? await tolerate(() => this.deps.client.get(ref, ns, targetRef.name ?? ''), [404]) : undefined;
    if (!ref || !target) {
      const what = ref ? `${ref.resource}.${ref.group || ''}`.replace(/\.$/, '') : `kind ${targetRef.kind ?? ''}`;
      const message = ref ? `${what} "${targetRef.name ?? ''}" not found` : `no matches for ${what}`;
      this.deps.events.event(hpa, 'Warning', 'FailedGetScale', message);
      conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${message}` });
      return this.writeStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, conditions);
    }
    const current = typeof asObj(target.spec).replicas === 'number' ? (asObj(target.spec).replicas as number) : 1;
    // status.currentReplicas is the scale's observed count (status.replicas), as upstream reports it.
    const observed = typeof asObj(target.status).replicas === 'number' ? (asObj(target.status).replicas as number) : current;
    let desired = current;
    let reason = '';
    let currentMetrics: Record<string, unknown>[] | undefined;
    if (current === 0 && minReplicas !== 0) {
      conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (current > maxReplicas) {
      desired = maxReplicas;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < minReplicas) {
      desired = minReplicas;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const computed = await this.compute(hpa, target, current, conditions);
      if (!computed) return this.writeStatus(hpa, { currentReplicas: observed, desiredReplicas: current }, conditions);
      currentMetrics = computed.proposals.map((p) => p.current);
      const best = computed.proposals.reduce((a, b) => (b.replicas > a.replicas ? b : a));
      conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${best.description}` });
      desired = this.stabilize(k, hpa, current, best.replicas, now.getTime(), conditions);
      reason = desired > current ? `${best.description} above target` : 'All metrics below target';
      desired = this.limit(desired, current, minReplicas, maxReplicas, conditions);
    }
    if (desired !== current) {
      const scaled = await this.rescale(ref, target, desired, hpa, conditions);
      if (scaled) this.deps.events.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      else desired = current;
    } else if (!conditions.some((c) => c.type === 'AbleToScale')) {
      conditions.unshift({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    const scaledNow = desired !== current;
    await this.writeStatus(hpa, { currentReplicas: observed, desiredReplicas: desired, ...(currentMetrics ? { currentMetrics } : {}), ...(scaledNow ? { lastScaleTime: rfc3339(now) } : {}) }, conditions);
  }

  private async compute(hpa: KubeObject, target: KubeObject, current: number, conditions: Condition[]): Promise<{ proposals: MetricProposal[] } | undefined> {
    const ns = hpa.metadata.namespace ?? '';
    const selector = labelSelectorFromObject((asObj(target.spec).selector ?? null) as LabelSelectorObject | null).toString();
    let specs = asArray(asObj(hpa.spec).metrics)
      .filter((m) => m.type === 'Resource')
      .map((m) => asObj(m.resource) as unknown as ResourceMetricSpec);
    if (asArray(asObj(hpa.spec).metrics).length === 0) specs = [{ name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } }];
    const pods = (await this.deps.client.list(REFS.pods, ns, { labelSelector: selector })).items;
    const proposals: MetricProposal[] = [];
    let firstError: MetricError | undefined;
    const samples = await this.metrics.podMetrics(ns, selector).catch((error: unknown) => {
      firstError = new MetricError('FailedGetResourceMetric', `unable to get metrics for resource: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    for (const spec of specs) {
      try {
        proposals.push(resourceProposal(spec, pods, samples, current));
      } catch (error) {
        if (!(error instanceof MetricError)) throw error;
        firstError ??= error;
        this.deps.events.event(hpa, 'Warning', error.reason, error.message);
      }
    }
    if (proposals.length > 0) return { proposals };
    const message = firstError?.message ?? 'no metrics';
    this.deps.events.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${specs.length} invalid out of ${specs.length}), first error is: failed to get ${specs[0]?.name ?? 'cpu'} resource metric value: ${message}`);
    conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' });
    conditions.push({ type: 'ScalingActive', status: 'False', reason: firstError?.reason ?? 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${message}` });
    return undefined;
  }

  /** Recommendations over the behavior windows: scale down only to the highest of the last 300 s. */
  private stabilize(k: string, hpa: KubeObject, current: number, proposed: number, now: number, conditions: Condition[]): number {
    const behavior = asObj(asObj(hpa.spec).behavior);
    const downWindow = (asObj(behavior.scaleDown).stabilizationWindowSeconds as number | undefined) ?? 300;
    const upWindow = (asObj(behavior.scaleUp).stabilizationWindowSeconds as number | undefined) ?? 0;
    const history = (this.recommendations.get(k) ?? []).filter((r) => now - r.at <= Math.max(downWindow, upWindow) * 1000);
    let up = proposed;
    let down = proposed;
    for (const r of history) {
      if (now - r.at < upWindow * 1000) up = Math.min(up, r.replicas);
      if (now - r.at < downWindow * 1000) down = Math.max(down, r.replicas);
    }
    history.push({ at: now, replicas: proposed });
    this.recommendations.set(k, history);
    let result = current;
    if (result < up) result = up;
    if (result > down) result = down;
    if (result !== proposed) {
      conditions.unshift({ type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    }
    return result;
  }

  private limit(desired: number, current: number, min: number, max: number, conditions: Condition[]): number {
    let condition: Condition = { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    if (desired > current && desired > scaleUpLimit(current)) {
      desired = scaleUpLimit(current);
      condition = { type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
    }
    if (desired > max) {
      desired = max;
      condition = { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    } else if (desired < min) {
      desired = min;
      condition = { type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
    conditions.push(condition);
    return desired;
  }

  private async rescale(ref: ResourceRef, target: KubeObject, desired: number, hpa: KubeObject, conditions: Condition[]): Promise<boolean> {
    try {
      await this.deps.client.patch(ref, target.metadata.namespace ?? '', target.metadata.name ?? '', 'merge', { spec: { replicas: desired } }, { fieldManager: 'horizontal-pod-autoscaler' });
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      this.deps.events.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; error: ${message}`);
      conditions.unshift({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${message}` });
      return false;
    }
    const i = conditions.findIndex((c) => c.type === 'AbleToScale');
    if (i >= 0) conditions.splice(i, 1);
    conditions.unshift({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` });
    return true;
  }

  private async writeStatus(hpa: KubeObject, fields: Record<string, unknown>, conditions: Condition[]): Promise<void> {
    const old = asObj(hpa.status);
    const oldConditions = asArray(old.conditions) as unknown as Condition[];
    const now = rfc3339(this.deps.clock.now());
    const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
    const merged = [...conditions]
      .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
      .map((c) => {
        const prev = oldConditions.find((o) => o.type === c.type);
        return { ...c, lastTransitionTime: prev?.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
      });
    const status: Record<string, unknown> = {
      observedGeneration: hpa.metadata.generation,
      ...(old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}),
      ...fields,
      conditions: merged,
    };
    if (!fields.currentMetrics && old.currentMetrics && merged.some((c) => c.type === 'ScalingActive' && c.status === 'True')) status.currentMetrics = old.currentMetrics;
    if (JSON.stringify(old) === JSON.stringify(status)) return;
    await tolerate(() => this.deps.client.update(REFS.hpas, hpa.metadata.namespace ?? '', { ...hpa, status }, { subresource: 'status' }));
  }
}
