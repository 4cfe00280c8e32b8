// The Deployment controller: owns ReplicaSets named <deployment>-<pod-template-hash>, rolls from
// old to new ones by the RollingUpdate or Recreate strategy, numbers revisions, keeps
// revisionHistoryLimit old sets and reports progress through status and conditions.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer } from '../informer.js';
import { QueueController, type ControllerDeps } from './base.js';
import { adoptOrRelease, ownerKeysForPod } from './ownership.js';
import {
  DEPLOYMENTS,
  REPLICASETS,
  claimable,
  controllerRefOf,
  isConflictOrGone,
  keyOf,
  kubeTime,
  newControllerRef,
  num,
  obj,
  podPhase,
  sameJson,
  specOf,
  splitKey,
  statusOf,
  templateOf,
  updateStatus,
} from './common.js';
import {
  DESIRED_REPLICAS,
  HASH_LABEL,
  MAX_REPLICAS,
  REVISION,
  conditionsOf,
  copiedAnnotations,
  fenceposts,
  isRollingUpdate,
  podTemplateHash,
  replicasOf,
  revisionOf,
  setCondition,
  templateWithoutHash,
  type DeploymentCondition,
} from './deployment-util.js';
import { RolloutActions, type RolloutContext } from './deployment-rollout.js';

export class DeploymentController extends QueueController {
  private readonly actions: RolloutActions;

  constructor(deps: ControllerDeps) {
    // --concurrent-deployment-syncs defaults to 5.
    super(deps, 'deployment-controller', 5);
    this.actions = new RolloutActions(deps, this.recorder, (d, ms) => this.queue.addAfter(keyOf(d), ms));
    const { deployments, replicaSets, pods } = deps.informers;
    this.listen(deployments, (e) => this.enqueue(e.object));
    this.listen(replicaSets, (e) => {
      for (const key of ownerKeysForPod(e.object, e.old, 'Deployment', deployments)) this.queue.add(key);
    });
    // Recreate waits for old pods to be gone.
    this.listen(pods, (e) => {
      if (e.type !== 'DELETED') return;
      const ref = controllerRefOf(e.object);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = replicaSets.get(e.object.metadata.namespace ?? '', ref.name);
      const owner = rs && controllerRefOf(rs);
      if (owner?.kind === 'Deployment') this.queue.add(`${e.object.metadata.namespace}/${owner.name}`);
    });
  }

  protected primary(): Informer {
    return this.deps.informers.deployments;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const cached = this.deps.informers.deployments.get(namespace, name);
    if (!cached) return;
    const d = structuredClone(cached);
    const claim = claimable(d, this.deps.informers.replicaSets.list(namespace), specOf(d).selector);
    const adopted = await adoptOrRelease(this.deps.client, REPLICASETS, d, claim, newControllerRef(d, 'apps/v1', 'Deployment'));
    const rsList = [...claim.owned, ...adopted].filter((rs) => !rs.metadata.deletionTimestamp);
    const ctx: RolloutContext = { d, original: cached, oldRSs: rsList, newRS: undefined };
    if (d.metadata.deletionTimestamp) {
      this.split(ctx);
      return this.actions.syncStatusOnly(ctx);
    }
    await this.checkPausedConditions(ctx);
    if (specOf(d).paused === true) return this.actions.syncScale(ctx, () => this.split(ctx));
    if (this.isScalingEvent(ctx)) return this.actions.syncScale(ctx, () => this.split(ctx));
    if (isRollingUpdate(d)) return this.rolloutRolling(ctx);
    return this.rolloutRecreate(ctx);
  }

  /** Separates the new ReplicaSet (template equal to the deployment's, ignoring the hash) from old ones. */
  private split(ctx: RolloutContext): void {
    const all = [...(ctx.newRS ? [ctx.newRS] : []), ...ctx.oldRSs];
    const want = templateWithoutHash(templateOf(ctx.d));
    const matching = all.filter((rs) => sameJson(templateWithoutHash(templateOf(rs)), want)).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    ctx.newRS = matching[0];
    ctx.oldRSs = all.filter((rs) => rs !== ctx.newRS);
  }

  private isScalingEvent(ctx: RolloutContext): boolean {
    this.split(ctx);
    const desired = replicasOf(ctx.d);
    return [ctx.newRS, ...ctx.oldRSs].some((rs) => {
      if (!rs || replicasOf(rs) === 0) return false;
      const annotated = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return annotated !== undefined && Number(annotated) !== desired;
    });
  }

  private async checkPausedConditions(ctx: RolloutContext): Promise<void> {
    if (num(specOf(ctx.d).progressDeadlineSeconds, 600) === 0 && specOf(ctx.d).progressDeadlineSeconds !== undefined) return;
    const status = statusOf(ctx.d);
    const progressing = conditionsOf(status).find((c) => c.type === 'Progressing');
    const paused = specOf(ctx.d).paused === true;
    const now = kubeTime(this.deps.clock.now());
    let next: DeploymentCondition | undefined;
    if (paused && progressing?.reason !== 'DeploymentPaused') {
      next = { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused', lastUpdateTime: now, lastTransitionTime: now };
    } else if (!paused && progressing?.reason === 'DeploymentPaused') {
      next = { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed', lastUpdateTime: now, lastTransitionTime: now };
    }
    if (!next) return;
    ctx.d.status = { ...status, conditions: setCondition(conditionsOf(status), next) };
    ctx.d = await updateStatus(this.deps.client, DEPLOYMENTS, ctx.d, ctx.d.status);
    ctx.original = ctx.d;
  }

  private async rolloutRolling(ctx: RolloutContext): Promise<void> {
    await this.getAllReplicaSets(ctx, true);
    if (await this.actions.reconcileNewReplicaSet(ctx)) return this.actions.syncRolloutStatus(ctx);
    if (await this.actions.reconcileOldReplicaSets(ctx)) return this.actions.syncRolloutStatus(ctx);
    if (this.actions.isComplete(ctx)) await this.actions.cleanup(ctx);
    return this.actions.syncRolloutStatus(ctx);
  }

  private async rolloutRecreate(ctx: RolloutContext): Promise<void> {
    await this.getAllReplicaSets(ctx, false);
    let scaled = false;
    for (let i = 0; i < ctx.oldRSs.length; i++) {
      if (replicasOf(ctx.oldRSs[i]) === 0) continue;
      ctx.oldRSs[i] = await this.actions.scale(ctx, ctx.oldRSs[i], 0);
      scaled = true;
    }
    if (scaled) return this.actions.syncRolloutStatus(ctx);
    if (this.oldPodsRunning(ctx)) return this.actions.syncRolloutStatus(ctx);
    if (!ctx.newRS) await this.getAllReplicaSets(ctx, true);
    if (ctx.newRS && replicasOf(ctx.newRS) !== replicasOf(ctx.d)) ctx.newRS = await this.actions.scale(ctx, ctx.newRS, replicasOf(ctx.d));
    if (this.actions.isComplete(ctx)) await this.actions.cleanup(ctx);
    return this.actions.syncRolloutStatus(ctx);
  }

  private oldPodsRunning(ctx: RolloutContext): boolean {
    if (ctx.oldRSs.some((rs) => num(statusOf(rs).replicas) > 0)) return true;
    return ctx.oldRSs.some((rs) =>
      this.deps.podIndex.candidates(rs).some((p) => controllerRefOf(p)?.uid === rs.metadata.uid && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed'),
    );
  }

  /** getAllReplicaSetsAndSyncRevision: finds (or creates) the new ReplicaSet and numbers its revision. */
  private async getAllReplicaSets(ctx: RolloutContext, create: boolean): Promise<void> {
    this.split(ctx);
    const maxOld = Math.max(0, ...ctx.oldRSs.map(revisionOf));
    const newRevision = String(maxOld + 1);
    const { client } = this.deps;
    const namespace = ctx.d.metadata.namespace ?? '';
    const now = kubeTime(this.deps.clock.now());
    const hasDeadline = specOf(ctx.d).progressDeadlineSeconds !== undefined;
    if (ctx.newRS) {
      const rs = ctx.newRS;
      const annotations = { ...(rs.metadata.annotations ?? {}), ...copiedAnnotations(ctx.d) };
      if (revisionOf(rs) < maxOld + 1) annotations[REVISION] = newRevision;
      const minReady = num(specOf(ctx.d).minReadySeconds);
      if (!sameJson(annotations, rs.metadata.annotations ?? {}) || num(specOf(rs).minReadySeconds) !== minReady) {
        ctx.newRS = await client.patch(REPLICASETS, namespace, rs.metadata.name ?? '', 'merge', { metadata: { annotations }, spec: { minReadySeconds: minReady } });
      }
      await this.setDeploymentRevision(ctx, ctx.newRS.metadata.annotations?.[REVISION] ?? newRevision);
      const conditions = conditionsOf(statusOf(ctx.d));
      if (hasDeadline && !conditions.some((c) => c.type === 'Progressing')) {
        const message = `Found new replica set "${rs.metadata.name}"`;
        ctx.d.status = { ...statusOf(ctx.d), conditions: setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message, lastUpdateTime: now, lastTransitionTime: now }) };
      }
      return;
    }
    if (!create) return;
    const hash = podTemplateHash(ctx.d);
    const template = structuredClone(templateOf(ctx.d));
    const meta = obj(template.metadata);
    template.metadata = { ...meta, labels: { ...(obj(meta.labels) as Record<string, string>), [HASH_LABEL]: hash } };
    const selector = obj(specOf(ctx.d).selector);
    const desired = replicasOf(ctx.d);
    const { maxSurge } = fenceposts(ctx.d);
    const replicas = this.actions.newReplicaSetReplicas(ctx, undefined);
    const name = `${ctx.d.metadata.name}-${hash}`;
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace,
        labels: { ...(obj(meta.labels) as Record<string, string>), [HASH_LABEL]: hash },
        annotations: { ...copiedAnnotations(ctx.d), [REVISION]: newRevision, [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(desired + (isRollingUpdate(ctx.d) ? maxSurge : 0)) },
        ownerReferences: [newControllerRef(ctx.d, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas,
        minReadySeconds: num(specOf(ctx.d).minReadySeconds),
        selector: { ...selector, matchLabels: { ...(obj(selector.matchLabels) as Record<string, string>), [HASH_LABEL]: hash } },
        template,
      },
    };
    let created: KubeObject;
    let alreadyExisted = false;
    try {
      created = await client.create(REPLICASETS, namespace, rs);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
      // Ours already (a stale cache) or a hash collision: the latter bumps collisionCount and retries.
      const existing = await client.get(REPLICASETS, namespace, name);
      const mine = controllerRefOf(existing)?.uid === ctx.d.metadata.uid;
      if (!mine || !sameJson(templateWithoutHash(templateOf(existing)), templateWithoutHash(templateOf(ctx.d)))) {
        const status = statusOf(ctx.d);
        ctx.d.status = { ...status, collisionCount: num(status.collisionCount) + 1 };
        await client.update(DEPLOYMENTS, namespace, ctx.d, { subresource: 'status' });
        throw new Error(`ReplicaSet ${name} exists with another template (hash collision): retrying with collisionCount ${num(status.collisionCount) + 1}`);
      }
      created = existing;
      alreadyExisted = true;
    }
    ctx.newRS = created;
    if (!alreadyExisted && replicas > 0) this.recorder.event(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    await this.setDeploymentRevision(ctx, newRevision);
    if (!alreadyExisted && hasDeadline) {
      const message = `Created new replica set "${name}"`;
      ctx.d.status = { ...statusOf(ctx.d), conditions: setCondition(conditionsOf(statusOf(ctx.d)), { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message, lastUpdateTime: now, lastTransitionTime: now }) };
    }
  }

  /** The deployment carries its current revision too (kubectl rollout history reads it). */
  private async setDeploymentRevision(ctx: RolloutContext, revision: string): Promise<void> {
    if (ctx.d.metadata.annotations?.[REVISION] === revision) return;
    try {
      await this.deps.client.patch(DEPLOYMENTS, ctx.d.metadata.namespace ?? '', ctx.d.metadata.name ?? '', 'merge', { metadata: { annotations: { [REVISION]: revision } } });
      // Read back: the patch response may carry the previous resourceVersion (see updateStatus).
      const stored = await this.deps.client.get(DEPLOYMENTS, ctx.d.metadata.namespace ?? '', ctx.d.metadata.name ?? '');
      ctx.d.metadata = { ...ctx.d.metadata, annotations: stored.metadata.annotations, resourceVersion: stored.metadata.resourceVersion };
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
    }
  }
}
