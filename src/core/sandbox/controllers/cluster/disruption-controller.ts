// The disruption controller: a PodDisruptionBudget's status from the pods its selector matches —
// expectedPods (the pods' controllers' scale when the budget is a percentage or maxUnavailable, else
// the pod count), desiredHealthy, currentHealthy (ready pods), disruptionsAllowed, and the
// DisruptionAllowed condition, as the eviction subresource reads them.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceRef } from '../../apiserver/client.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../registry/selectors/index.js';
import type { Informer } from '../informer.js';
import { QueueController, REFS, asObj, isTerminal, key, podReady, rfc3339, splitKey, tolerate, type ControllerDeps } from './shared.js';

const SCALABLE: Record<string, ResourceRef> = {
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
};

/** GetScaledValueFromIntOrPercent. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

export class DisruptionController extends QueueController {
  private readonly pdbs: Informer;
  private readonly pods: Informer;

  constructor(deps: ControllerDeps) {
    super(deps);
    this.pdbs = this.watch(REFS.pdbs, (e) => e.type !== 'DELETED' && this.queue.add(key(e.object)));
    this.pods = this.watch(REFS.pods, (e) => {
      for (const pdb of this.pdbs.list(e.object.metadata.namespace ?? '')) this.queue.add(key(pdb));
    });
  }

  start(): void {
    this.enqueueAll(this.pdbs);
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const pdb = this.pdbs.get(ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const spec = asObj(pdb.spec);
    const selector = labelSelectorFromObject((spec.selector ?? null) as LabelSelectorObject | null);
    const pods = this.pods.list(ns).filter((p) => !isTerminal(p) && selector.matches(p.metadata.labels ?? {}));
    const currentHealthy = pods.filter((p) => podReady(p) && !p.metadata.deletionTimestamp).length;
    let expectedPods: number;
    let desiredHealthy: number;
    if (spec.maxUnavailable !== undefined) {
      expectedPods = await this.expectedScale(pods);
      desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods, true));
    } else if (typeof spec.minAvailable === 'string' && spec.minAvailable.endsWith('%')) {
      expectedPods = await this.expectedScale(pods);
      desiredHealthy = scaled(spec.minAvailable, expectedPods, true);
    } else {
      expectedPods = pods.length;
      desiredHealthy = scaled(spec.minAvailable ?? 1, expectedPods, true);
    }
    const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
    const old = asObj(pdb.status);
    const oldCondition = (old.conditions as { type?: string; status?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'DisruptionAllowed');
    const conditionStatus = disruptionsAllowed > 0 ? 'True' : 'False';
    const condition = {
      type: 'DisruptionAllowed',
      status: conditionStatus,
      reason: disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: oldCondition?.status === conditionStatus && oldCondition.lastTransitionTime ? oldCondition.lastTransitionTime : rfc3339(this.deps.clock.now()),
    };
    const status = { observedGeneration: pdb.metadata.generation, disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods, conditions: [condition] };
    const unchanged = (['observedGeneration', 'disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const).every((f) => old[f] === status[f]) && oldCondition?.status === conditionStatus;
    if (unchanged) return;
    const updated = await tolerate(() => this.deps.client.update(REFS.pdbs, ns, { ...pdb, status }, { subresource: 'status' }));
    if (!updated) this.queue.addAfter(k, 100);
  }

  /** The sum of the scale of the controllers owning the pods (a Deployment above its ReplicaSets). */
  private async expectedScale(pods: KubeObject[]): Promise<number> {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
      if (!owner) continue;
      let top = { kind: owner.kind, name: owner.name, uid: owner.uid };
      const ns = pod.metadata.namespace ?? '';
      if (top.kind === 'ReplicaSet') {
        const rs = await tolerate(() => this.deps.client.get(SCALABLE.ReplicaSet, ns, top.name), [404]);
        const parent = rs?.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
        if (parent) top = { kind: parent.kind, name: parent.name, uid: parent.uid };
      }
      if (seen.has(top.uid) || !SCALABLE[top.kind]) continue;
      const obj = await tolerate(() => this.deps.client.get(SCALABLE[top.kind], ns, top.name), [404]);
      const replicas = (obj?.spec as { replicas?: number } | undefined)?.replicas;
      seen.set(top.uid, typeof replicas === 'number' ? replicas : 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }
}
