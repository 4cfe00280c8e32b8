// The StatefulSet controller: pods <set>-<ordinal> with stable hostnames, PVCs from
// volumeClaimTemplates (kept when pods go), OrderedReady or Parallel management, RollingUpdate from
// the highest ordinal down to the partition, OnDelete, ControllerRevisions and status.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer } from '../informer.js';
import { QueueController, type ControllerDeps } from './base.js';
import { adoptOrRelease, ownerKeysForPod } from './ownership.js';
import {
  PODS,
  PVCS,
  STATEFULSETS,
  claimable,
  isConflictOrGone,
  isPodAvailable,
  isPodReady,
  keyOf,
  newControllerRef,
  num,
  obj,
  podFromTemplate,
  podPhase,
  sameStatus,
  specOf,
  splitKey,
  statusOf,
  str,
  untilAvailable,
  updateStatus,
  type Obj,
} from './common.js';
import { REVISION_HASH_LABEL, ensureUpdateRevision, revisionHash, templateFromRevision, truncateHistory } from './history.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

const runningAndReady = (pod: KubeObject) => podPhase(pod) === 'Running' && isPodReady(pod) && !pod.metadata.deletionTimestamp;

export class StatefulSetController extends QueueController {
  constructor(deps: ControllerDeps) {
    super(deps, 'statefulset-controller');
    const { statefulSets, pods } = deps.informers;
    this.listen(statefulSets, (e) => this.enqueue(e.object));
    this.listen(pods, (e) => {
      for (const key of ownerKeysForPod(e.object, e.old, 'StatefulSet', statefulSets)) this.queue.add(key);
    });
  }

  protected primary(): Informer {
    return this.deps.informers.statefulSets;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const set = this.deps.informers.statefulSets.get(namespace, name);
    if (!set) return;
    const spec = specOf(set);
    const { client, informers } = this.deps;
    const claim = claimable(set, this.deps.podIndex.candidates(set), spec.selector);
    const owned = [...claim.owned, ...(await adoptOrRelease(client, PODS, set, claim, newControllerRef(set, 'apps/v1', 'StatefulSet')))];
    if (set.metadata.deletionTimestamp) return;
    const { update, all } = await ensureUpdateRevision(client, set, 'StatefulSet', informers.controllerRevisions);
    const status = statusOf(set);
    const current = all.find((r) => r.metadata.name === status.currentRevision) ?? update;
    const replicas = num(spec.replicas, 1);
    const parallel = spec.podManagementPolicy === 'Parallel';
    const strategy = obj(spec.updateStrategy);
    const rolling = str(strategy.type) !== 'OnDelete';
    const partition = rolling ? num(obj(strategy.rollingUpdate).partition) : 0;
    const byOrdinal = new Map<number, KubeObject>();
    for (const pod of owned) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal !== undefined) byOrdinal.set(ordinal, pod);
    }
    const revisionFor = (ordinal: number) => (rolling && ordinal < partition ? current : update);

    // Pods in range, lowest first: replace failed ones, create missing ones (one at a time unless Parallel).
    let blocked = false;
    for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
      const pod = byOrdinal.get(ordinal);
      if (pod && podPhase(pod) === 'Failed' && !pod.metadata.deletionTimestamp) {
        await this.deletePod(set, pod);
        if (!parallel) blocked = true;
        continue;
      }
      if (!pod) {
        await this.createPod(set, ordinal, revisionFor(ordinal));
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && !runningAndReady(pod)) blocked = true;
    }

    // Pods beyond replicas, highest first (one at a time unless Parallel, and only when the rest is healthy).
    const condemned = [...byOrdinal.entries()].filter(([o]) => o >= replicas).sort(([a], [b]) => b - a);
    for (const [, pod] of condemned) {
      if (blocked && !parallel) break;
      if (pod.metadata.deletionTimestamp) {
        if (!parallel) blocked = true;
        continue;
      }
      await this.deletePod(set, pod);
      if (!parallel) blocked = true;
    }

    // Rolling update: highest ordinal first down to the partition, once everything is Running and Ready.
    const inRange = [...byOrdinal.entries()].filter(([o]) => o < replicas);
    if (rolling && !blocked && inRange.length === replicas && inRange.every(([, p]) => runningAndReady(p))) {
      const stale = inRange.filter(([o, p]) => o >= partition && p.metadata.labels?.[REVISION_HASH_LABEL] !== revisionHash(update)).sort(([a], [b]) => b - a);
      if (stale.length) await this.deletePod(set, stale[0][1]);
    }

    await this.updateStatus(set, [...byOrdinal.values()], current, update, replicas);
    const live = new Set([current.metadata.name ?? '', update.metadata.name ?? '']);
    for (const pod of owned) {
      const hash = pod.metadata.labels?.[REVISION_HASH_LABEL];
      const r = all.find((x) => revisionHash(x) === hash);
      if (r) live.add(r.metadata.name ?? '');
    }
    await truncateHistory(client, set, all, live);
  }

  private async createPod(set: KubeObject, ordinal: number, revision: KubeObject): Promise<void> {
    const setName = set.metadata.name ?? '';
    const podName = `${setName}-${ordinal}`;
    const namespace = set.metadata.namespace ?? '';
    const template = templateFromRevision(revision);
    const pod = podFromTemplate(template, set, newControllerRef(set, 'apps/v1', 'StatefulSet'));
    pod.metadata.name = podName;
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: podName, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revisionHash(revision) ?? '' };
    const podSpec = obj(pod.spec);
    podSpec.hostname = podName;
    const serviceName = str(specOf(set).serviceName);
    if (serviceName) podSpec.subdomain = serviceName;
    const claimTemplates = Array.isArray(specOf(set).volumeClaimTemplates) ? (specOf(set).volumeClaimTemplates as KubeObject[]) : [];
    const volumes = (Array.isArray(podSpec.volumes) ? (podSpec.volumes as Obj[]) : []).filter((v) => !claimTemplates.some((t) => t.metadata?.name === v.name));
    for (const t of claimTemplates) {
      const claimName = `${t.metadata.name}-${setName}-${ordinal}`;
      volumes.push({ name: t.metadata.name, persistentVolumeClaim: { claimName } });
      await this.ensureClaim(set, t, claimName, podName);
    }
    if (volumes.length) podSpec.volumes = volumes;
    try {
      await this.deps.client.create(PODS, namespace, pod);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${setName} successful`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 409) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${setName} failed error: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  /** A claim from a volumeClaimTemplate; it outlives the pod (whenDeleted: Retain). */
  private async ensureClaim(set: KubeObject, template: KubeObject, claimName: string, podName: string): Promise<void> {
    const namespace = set.metadata.namespace ?? '';
    if (this.deps.informers.persistentVolumeClaims.get(namespace, claimName)) return;
    const matchLabels = obj(obj(specOf(set).selector).matchLabels) as Record<string, string>;
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claimName, namespace, labels: { ...(template.metadata?.labels ?? {}), ...matchLabels }, ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}) },
      spec: structuredClone(obj(template.spec)),
    };
    try {
      await this.deps.client.create(PVCS, namespace, claim);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${set.metadata.name} success`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 409) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claimName} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private async deletePod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.deps.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
    }
  }

  private async updateStatus(set: KubeObject, pods: KubeObject[], current: KubeObject, update: KubeObject, replicas: number): Promise<void> {
    const minReadySeconds = num(specOf(set).minReadySeconds);
    const now = this.deps.clock.now();
    const counted = pods.filter((p) => !p.metadata.deletionTimestamp);
    const hash = (p: KubeObject) => p.metadata.labels?.[REVISION_HASH_LABEL];
    let currentRevision = current.metadata.name;
    let currentReplicas = counted.filter((p) => hash(p) === revisionHash(current)).length;
    const updatedReplicas = counted.filter((p) => hash(p) === revisionHash(update)).length;
    const readyReplicas = counted.filter(isPodReady).length;
    // The rollout is complete: the update revision becomes the current one.
    if (updatedReplicas === replicas && readyReplicas === replicas && counted.length === replicas) {
      currentRevision = update.metadata.name;
      currentReplicas = updatedReplicas;
    }
    const old = statusOf(set);
    const status = {
      observedGeneration: set.metadata.generation,
      replicas: counted.length,
      readyReplicas,
      currentReplicas,
      updatedReplicas,
      currentRevision,
      updateRevision: update.metadata.name,
      collisionCount: num(old.collisionCount),
      availableReplicas: counted.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    };
    if (!sameStatus(status, old)) {
      try {
        await updateStatus(this.deps.client, STATEFULSETS, set, status);
      } catch (error) {
        if (!isConflictOrGone(error)) throw error;
        this.enqueue(set);
      }
    }
    const waits = counted.map((p) => untilAvailable(p, minReadySeconds, now)).filter((ms): ms is number => ms !== undefined);
    if (waits.length) this.queue.addAfter(keyOf(set), Math.min(...waits) + 1);
  }
}
