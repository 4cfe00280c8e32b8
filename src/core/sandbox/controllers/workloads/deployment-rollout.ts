// Deployment rollout steps (pkg/controller/deployment: rolling.go, sync.go, progress.go): scaling
// new and old ReplicaSets within maxSurge/maxUnavailable, proportional scaling, history cleanup,
// status and the Progressing/Available conditions.
import type { KubeObject } from '../../../../shared/kube.js';
import type { EventRecorder } from '../events/recorder.js';
import type { ControllerDeps } from './base.js';
import { DEPLOYMENTS, REPLICASETS, isConflictOrGone, kubeTime, num, sameJson, specOf, statusOf, updateStatus } from './common.js';
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  conditionsOf,
  fenceposts,
  isRollingUpdate,
  maxUnavailable,
  replicasOf,
  revisionOf,
  setCondition,
  sumSpec,
  sumStatus,
  type DeploymentCondition,
} from './deployment-util.js';

export interface RolloutContext {
  /** The deployment being synced; its status may carry conditions set during this sync. */
  d: KubeObject;
  /** The deployment as the sync found it (progress is measured against its status). */
  original: KubeObject;
  newRS: KubeObject | undefined;
  oldRSs: KubeObject[];
}

const creation = (rs: KubeObject) => rs.metadata.creationTimestamp ?? '';

export class RolloutActions {
  constructor(
    private readonly deps: ControllerDeps,
    private readonly recorder: EventRecorder,
    private readonly requeueAfter: (d: KubeObject, ms: number) => void,
  ) {}

  private all(ctx: RolloutContext): KubeObject[] {
    return [...(ctx.newRS ? [ctx.newRS] : []), ...ctx.oldRSs];
  }

  /** NewRSNewReplicas: how big the new ReplicaSet may be now. */
  newReplicaSetReplicas(ctx: RolloutContext, newRS: KubeObject | undefined): number {
    const desired = replicasOf(ctx.d);
    if (!isRollingUpdate(ctx.d)) return desired;
    const { maxSurge } = fenceposts(ctx.d);
    const current = sumSpec(this.all(ctx));
    const maxTotal = desired + maxSurge;
    const newReplicas = replicasOf(newRS);
    if (current >= maxTotal) return newReplicas;
    return newReplicas + Math.min(maxTotal - current, desired - newReplicas);
  }

  /** scaleReplicaSetAndRecordEvent: also refreshes the desired/max replicas annotations. */
  async scale(ctx: RolloutContext, rs: KubeObject, replicas: number): Promise<KubeObject> {
    const desired = replicasOf(ctx.d);
    const max = String(desired + (isRollingUpdate(ctx.d) ? fenceposts(ctx.d).maxSurge : 0));
    const from = replicasOf(rs);
    const annotations = rs.metadata.annotations ?? {};
    const annotationsStale = annotations[DESIRED_REPLICAS] !== String(desired) || annotations[MAX_REPLICAS] !== max;
    if (from === replicas && !annotationsStale) return rs;
    const updated = await this.deps.client.patch(REPLICASETS, rs.metadata.namespace ?? '', rs.metadata.name ?? '', 'merge', {
      metadata: { annotations: { [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: max }, uid: rs.metadata.uid },
      spec: { replicas },
    });
    if (from !== replicas) {
      this.recorder.event(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`);
    }
    return updated;
  }

  async reconcileNewReplicaSet(ctx: RolloutContext): Promise<boolean> {
    const rs = ctx.newRS;
    if (!rs) return false;
    const desired = replicasOf(ctx.d);
    const current = replicasOf(rs);
    if (current === desired) return false;
    const target = current > desired ? desired : this.newReplicaSetReplicas(ctx, rs);
    if (target === current) return false;
    ctx.newRS = await this.scale(ctx, rs, target);
    return true;
  }

  async reconcileOldReplicaSets(ctx: RolloutContext): Promise<boolean> {
    const oldCount = sumSpec(ctx.oldRSs);
    if (oldCount === 0) return false;
    const desired = replicasOf(ctx.d);
    const minAvailable = desired - maxUnavailable(ctx.d);
    const newUnavailable = replicasOf(ctx.newRS) - num(statusOf(ctx.newRS ?? { metadata: {} }).availableReplicas);
    const maxScaledDown = sumSpec(this.all(ctx)) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // First old replicas that are not available anyway: removing them costs no availability.
    ctx.oldRSs.sort((a, b) => creation(a).localeCompare(creation(b)));
    let cleaned = 0;
    for (let i = 0; i < ctx.oldRSs.length && cleaned < maxScaledDown; i++) {
      const rs = ctx.oldRSs[i];
      const replicas = replicasOf(rs);
      const available = num(statusOf(rs).availableReplicas);
      if (replicas === 0 || available >= replicas) continue;
      const down = Math.min(maxScaledDown - cleaned, replicas - available);
      ctx.oldRSs[i] = await this.scale(ctx, rs, replicas - down);
      cleaned += down;
    }
    // Then available ones, as far as minAvailable allows.
    const availableCount = sumStatus(this.all(ctx), 'availableReplicas');
    let scaledDown = 0;
    if (availableCount > minAvailable) {
      const total = availableCount - minAvailable;
      for (let i = 0; i < ctx.oldRSs.length && scaledDown < total; i++) {
        const rs = ctx.oldRSs[i];
        const replicas = replicasOf(rs);
        if (replicas === 0) continue;
        const down = Math.min(replicas, total - scaledDown);
        ctx.oldRSs[i] = await this.scale(ctx, rs, replicas - down);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  /** dc.scale: a scaling event (or a paused deployment) resizes without rolling. */
  async syncScale(ctx: RolloutContext, split: () => void): Promise<void> {
    split();
    const desired = replicasOf(ctx.d);
    const all = this.all(ctx);
    const active = all.filter((rs) => replicasOf(rs) > 0);
    const latest = [...all].sort((a, b) => creation(b).localeCompare(creation(a)))[0];
    const single = active.length === 1 ? active[0] : active.length === 0 ? (ctx.newRS ?? latest) : undefined;
    const replace = (before: KubeObject, after: KubeObject) => {
      if (ctx.newRS === before) ctx.newRS = after;
      else ctx.oldRSs = ctx.oldRSs.map((rs) => (rs === before ? after : rs));
    };
    if (single) {
      replace(single, await this.scale(ctx, single, desired));
    } else if (ctx.newRS && replicasOf(ctx.newRS) === desired && num(statusOf(ctx.newRS).availableReplicas) === desired) {
      for (const rs of [...ctx.oldRSs]) replace(rs, await this.scale(ctx, rs, 0));
    } else if (isRollingUpdate(ctx.d) && active.length > 1) {
      await this.scaleProportionally(ctx, active, replace);
    }
    if (specOf(ctx.d).paused === true) await this.cleanup(ctx);
    await this.writeStatus(ctx, this.calculateStatus(ctx));
  }

  /** Spreads a replica change over active sets in proportion to their size (getProportion). */
  private async scaleProportionally(ctx: RolloutContext, active: KubeObject[], replace: (a: KubeObject, b: KubeObject) => void): Promise<void> {
    const desired = replicasOf(ctx.d);
    const allowed = desired > 0 ? desired + fenceposts(ctx.d).maxSurge : 0;
    const toAdd = allowed - sumSpec(active);
    if (toAdd === 0) return;
    const sorted = [...active].sort((a, b) => (toAdd > 0 ? replicasOf(b) - replicasOf(a) || creation(b).localeCompare(creation(a)) : replicasOf(b) - replicasOf(a) || creation(a).localeCompare(creation(b))));
    const sizes = new Map<KubeObject, number>();
    let added = 0;
    for (const rs of sorted) {
      let share = 0;
      if (desired === 0) share = -replicasOf(rs);
      else {
        const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? num(statusOf(ctx.d).replicas));
        const fraction = annotated > 0 ? Math.round((replicasOf(rs) * allowed) / annotated) - replicasOf(rs) : 0;
        share = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
      }
      sizes.set(rs, replicasOf(rs) + share);
      added += share;
    }
    if (added !== toAdd && sorted[0]) sizes.set(sorted[0], Math.max(0, (sizes.get(sorted[0]) ?? 0) + toAdd - added));
    for (const [rs, size] of sizes) replace(rs, await this.scale(ctx, rs, Math.max(0, size)));
  }

  isComplete(ctx: RolloutContext): boolean {
    const s = this.calculateStatus(ctx);
    const desired = replicasOf(ctx.d);
    return s.updatedReplicas === desired && s.replicas === desired && s.availableReplicas === desired && s.observedGeneration >= (ctx.d.metadata.generation ?? 0);
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(ctx: RolloutContext): Promise<void> {
    const limit = specOf(ctx.d).revisionHistoryLimit;
    if (typeof limit !== 'number') return;
    const cleanable = ctx.oldRSs.filter((rs) => replicasOf(rs) === 0 && num(statusOf(rs).replicas) === 0 && num(statusOf(rs).observedGeneration) >= (rs.metadata.generation ?? 0) && !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || creation(a).localeCompare(creation(b)));
    for (const rs of cleanable.slice(0, excess)) {
      try {
        await this.deps.client.delete(REPLICASETS, rs.metadata.namespace ?? '', rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid } });
      } catch (error) {
        if (!isConflictOrGone(error)) throw error;
      }
      ctx.oldRSs = ctx.oldRSs.filter((o) => o !== rs);
    }
  }

  calculateStatus(ctx: RolloutContext): DeploymentStatus {
    const all = this.all(ctx);
    const desired = replicasOf(ctx.d);
    const available = sumStatus(all, 'availableReplicas');
    const old = statusOf(ctx.d);
    const now = kubeTime(this.deps.clock.now());
    const minAvailable = desired - maxUnavailable(ctx.d);
    const availableCondition: DeploymentCondition =
      available >= minAvailable
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: now, lastTransitionTime: now }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: now, lastTransitionTime: now };
    return {
      observedGeneration: ctx.d.metadata.generation ?? 0,
      replicas: sumStatus(all, 'replicas'),
      updatedReplicas: ctx.newRS ? num(statusOf(ctx.newRS).replicas) : 0,
      readyReplicas: sumStatus(all, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sumSpec(all) - available),
      conditions: setCondition(conditionsOf(old), availableCondition),
      ...(typeof old.collisionCount === 'number' ? { collisionCount: old.collisionCount } : {}),
    };
  }

  async syncStatusOnly(ctx: RolloutContext): Promise<void> {
    await this.writeStatus(ctx, this.calculateStatus(ctx));
  }

  /** syncRolloutStatus: status plus the Progressing condition, and a timer for the progress deadline. */
  async syncRolloutStatus(ctx: RolloutContext): Promise<void> {
    const status = this.calculateStatus(ctx);
    const deadline = specOf(ctx.d).progressDeadlineSeconds;
    const before = statusOf(ctx.original);
    const now = this.deps.clock.now();
    const nowText = kubeTime(now);
    const rsName = ctx.newRS?.metadata.name;
    const dName = ctx.d.metadata.name;
    if (typeof deadline === 'number') {
      const current = status.conditions.find((c) => c.type === 'Progressing');
      const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
      if (!alreadyComplete) {
        const desired = replicasOf(ctx.d);
        const complete = status.updatedReplicas === desired && status.replicas === desired && status.availableReplicas === desired && status.observedGeneration >= (ctx.d.metadata.generation ?? 0);
        const oldBefore = num(before.replicas) - num(before.updatedReplicas);
        const oldNow = status.replicas - status.updatedReplicas;
        const progressed =
          status.updatedReplicas > num(before.updatedReplicas) || oldBefore > oldNow || status.readyReplicas > num(before.readyReplicas) || status.availableReplicas > num(before.availableReplicas);
        if (complete) {
          const message = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${dName}" has successfully progressed.`;
          status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message, lastUpdateTime: nowText, lastTransitionTime: nowText });
        } else if (progressed) {
          const message = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${dName}" is progressing.`;
          const next: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message, lastUpdateTime: nowText, lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : nowText };
          status.conditions = [...status.conditions.filter((c) => c.type !== 'Progressing'), next];
        } else if (current && current.reason !== 'NewReplicaSetAvailable' && (current.reason === 'ProgressDeadlineExceeded' || Date.parse(current.lastUpdateTime) + deadline * 1000 < now.getTime())) {
          const message = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${dName}" has timed out progressing.`;
          status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message, lastUpdateTime: nowText, lastTransitionTime: nowText });
        }
      }
    } else {
      status.conditions = status.conditions.filter((c) => c.type !== 'Progressing');
    }
    // A ReplicaSet that cannot create pods (quota, admission) says so on the deployment too.
    const failure = [ctx.newRS, ...ctx.oldRSs]
      .flatMap((rs) => (rs && Array.isArray(statusOf(rs).conditions) ? (statusOf(rs).conditions as DeploymentCondition[]) : []))
      .find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (failure) {
      status.conditions = setCondition(status.conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastUpdateTime: nowText, lastTransitionTime: failure.lastTransitionTime ?? nowText });
    } else {
      status.conditions = status.conditions.filter((c) => c.type !== 'ReplicaFailure');
    }
    await this.writeStatus(ctx, status);
    this.requeueStuck(ctx, status);
  }

  /** A rollout that makes no progress is looked at again when its deadline passes. */
  private requeueStuck(ctx: RolloutContext, status: DeploymentStatus): void {
    const deadline = specOf(ctx.d).progressDeadlineSeconds;
    const current = status.conditions.find((c) => c.type === 'Progressing');
    if (typeof deadline !== 'number' || !current || current.reason === 'NewReplicaSetAvailable' || current.reason === 'ProgressDeadlineExceeded') return;
    if (specOf(ctx.d).paused === true) return;
    const after = Date.parse(current.lastUpdateTime) + deadline * 1000 - this.deps.clock.now().getTime();
    this.requeueAfter(ctx.d, Math.max(0, after) + 1000);
  }

  private async writeStatus(ctx: RolloutContext, status: DeploymentStatus): Promise<void> {
    const old = statusOf(ctx.original);
    const compact = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== 0 && v !== undefined));
    const changed = !sameJson(compact({ ...status }), compact({ ...old }));
    if (!changed && sameJson(statusOf(ctx.d), old)) return;
    try {
      ctx.d = await updateStatus(this.deps.client, DEPLOYMENTS, ctx.d, status);
      ctx.original = ctx.d;
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
      this.requeueAfter(ctx.d, 0);
    }
  }
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
  collisionCount?: number;
  [key: string]: unknown;
}
