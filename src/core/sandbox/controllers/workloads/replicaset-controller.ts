// The ReplicaSet controller: as many active pods as spec.replicas, adopted and released by selector,
// surplus pods chosen as upstream does (unscheduled, pending, not ready, newest first), and a status
// counting fully labeled, ready and available pods.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { Expectations, QueueController, type ControllerDeps } from './base.js';
import { adoptOrRelease, ownerKeysForPod } from './ownership.js';
import {
  PODS,
  REPLICASETS,
  claimable,
  isConflictOrGone,
  isPodActive,
  isPodAvailable,
  isPodReady,
  keyOf,
  newControllerRef,
  num,
  obj,
  podCondition,
  podFromTemplate,
  podPhase,
  sameJson,
  specOf,
  splitKey,
  statusOf,
  templateOf,
  untilAvailable,
} from './common.js';

/** Upstream's burstReplicas: at most this many creations or deletions per sync. */
const BURST = 500;

export class ReplicaSetController extends QueueController {
  private readonly expectations: Expectations;

  constructor(deps: ControllerDeps) {
    // --concurrent-replicaset-syncs defaults to 5.
    super(deps, 'replicaset-controller', 5);
    this.expectations = new Expectations(deps.clock);
    const { replicaSets, pods } = deps.informers;
    this.listen(replicaSets, (e) => {
      if (e.type === 'DELETED') this.expectations.forget(keyOf(e.object));
      this.enqueue(e.object);
    });
    this.listen(pods, (e) => {
      const keys = ownerKeysForPod(e.object, e.old, 'ReplicaSet', replicaSets);
      for (const key of keys) {
        if (e.type === 'ADDED') this.expectations.creationObserved(key);
        if (e.type === 'DELETED' || (e.object.metadata.deletionTimestamp && !e.old?.metadata.deletionTimestamp)) {
          this.expectations.deletionObserved(key, e.object.metadata.uid);
        }
        this.queue.add(key);
      }
    });
  }

  protected primary(): Informer {
    return this.deps.informers.replicaSets;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const rs = this.deps.informers.replicaSets.get(namespace, name);
    if (!rs) return this.expectations.forget(key);
    const spec = specOf(rs);
    const candidates = this.deps.podIndex.candidates(rs);
    const claim = claimable(rs, candidates, spec.selector);
    // Nothing to adopt or release (the usual sync): no round through the API client.
    const adopted = claim.orphans.length + claim.release.length > 0 ? await adoptOrRelease(this.deps.client, PODS, rs, claim, newControllerRef(rs, 'apps/v1', 'ReplicaSet')) : [];
    const active = claim.owned.filter(isPodActive);
    for (const pod of adopted) if (isPodActive(pod)) active.push(pod);
    let manageError: unknown;
    if (this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, active);
      } catch (error) {
        manageError = error;
      }
    }
    await this.updateStatus(rs, active, manageError);
    if (manageError) throw manageError;
  }

  private async manageReplicas(key: string, rs: KubeObject, active: KubeObject[]): Promise<void> {
    const diff = active.length - num(specOf(rs).replicas, 1);
    const { client } = this.deps;
    if (diff < 0) {
      const count = Math.min(-diff, BURST);
      this.expectations.expect(key, count);
      const template = templateOf(rs);
      const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
      let failure: unknown;
      // Slow start (1, 2, 4, ...): a template the API refuses fails once, not `count` times.
      let created = 0;
      for (let batch = 1; created < count && !failure; batch *= 2) {
        const size = Math.min(batch, count - created);
        await Promise.all(
          Array.from({ length: size }, async () => {
            try {
              const pod = await client.create(PODS, rs.metadata.namespace ?? '', podFromTemplate(template, rs, ref, `${rs.metadata.name}-`));
              this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
            } catch (error) {
              this.expectations.creationObserved(key);
              this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${error instanceof Error ? error.message : String(error)}`);
              failure ??= error;
            }
          }),
        );
        created += size;
      }
      // Pods never attempted are not expected either.
      for (let i = created; i < count; i++) this.expectations.creationObserved(key);
      if (failure) throw failure;
    } else if (diff > 0) {
      const victims = podsToDelete(active, Math.min(diff, BURST));
      this.expectations.expect(key, 0, victims.map((p) => p.metadata.uid ?? ''));
      await Promise.all(
        victims.map(async (pod) => {
          try {
            await client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
            this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          } catch (error) {
            this.expectations.deletionObserved(key, pod.metadata.uid);
            if (!isConflictOrGone(error)) {
              this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${error instanceof Error ? error.message : String(error)}`);
              throw error;
            }
          }
        }),
      );
    }
  }

  private async updateStatus(rs: KubeObject, active: KubeObject[], manageError: unknown): Promise<void> {
    const spec = specOf(rs);
    const minReadySeconds = num(spec.minReadySeconds);
    const now = this.deps.clock.now();
    const templateLabels = Object.entries(obj(obj(templateOf(rs).metadata).labels) as Record<string, string>);
    // One pass over the pods (a sync follows each burst of pod changes).
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    let wait: number | undefined;
    for (const p of active) {
      const labels = p.metadata.labels;
      if (templateLabels.every(([k, v]) => labels?.[k] === v)) fullyLabeled++;
      if (isPodReady(p)) ready++;
      if (isPodAvailable(p, minReadySeconds, now)) available++;
      const ms = untilAvailable(p, minReadySeconds, now);
      if (ms !== undefined && (wait === undefined || ms < wait)) wait = ms;
    }
    const old = statusOf(rs);
    const previous = Array.isArray(old.conditions) ? (old.conditions as { type: string }[]) : [];
    // As upstream: a failure already reported stays as first worded (each retry's message names
    // another generated pod, and rewriting it would wake this controller again at once).
    const conditions = manageError ? previous : previous.filter((c) => c.type !== 'ReplicaFailure');
    if (manageError && !previous.some((c) => c.type === 'ReplicaFailure')) {
      const message = manageError instanceof Error ? manageError.message : String(manageError);
      conditions.push({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } as { type: string });
    }
    const status: Record<string, unknown> = {
      replicas: active.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
      ...(conditions.length ? { conditions } : {}),
    };
    // The API omits zero counts: compare as it would store them.
    const compact = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== 0 && v !== undefined));
    if (!sameJson(compact(status), compact({ ...old, conditions: old.conditions }))) {
      try {
        await this.deps.client.update(REPLICASETS, rs.metadata.namespace ?? '', { ...rs, status }, { subresource: 'status' });
      } catch (error) {
        if (!isConflictOrGone(error)) throw error;
        this.enqueue(rs);
      }
    }
    // A ready pod becomes available minReadySeconds later: look again then.
    if (wait !== undefined) this.queue.addAfter(keyOf(rs), wait + 1);
  }
}

/** Which `n` pods go first when scaling down (controller.ActivePods ordering). */
export function podsToDelete(pods: KubeObject[], n: number): KubeObject[] {
  const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const readySince = (p: KubeObject) => Date.parse(podCondition(p, 'Ready')?.lastTransitionTime ?? '') || 0;
  const restarts = (p: KubeObject) => {
    const statuses = statusOf(p).containerStatuses;
    return Array.isArray(statuses) ? statuses.reduce((sum: number, s) => sum + num(obj(s).restartCount), 0) : 0;
  };
  const sorted = [...pods].sort((a, b) => {
    const assignedA = obj(a.spec).nodeName ? 1 : 0;
    const assignedB = obj(b.spec).nodeName ? 1 : 0;
    if (assignedA !== assignedB) return assignedA - assignedB;
    const phaseA = phaseRank[podPhase(a)] ?? 1;
    const phaseB = phaseRank[podPhase(b)] ?? 1;
    if (phaseA !== phaseB) return phaseA - phaseB;
    const readyA = isPodReady(a) ? 1 : 0;
    const readyB = isPodReady(b) ? 1 : 0;
    if (readyA !== readyB) return readyA - readyB;
    // Ready more recently goes first.
    if (readyA && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const createdA = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const createdB = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return createdB - createdA;
  });
  return sorted.slice(0, n);
}
