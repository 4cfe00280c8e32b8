// The DaemonSet controller: one pod per eligible node, pinned there by node affinity (the scheduler
// binds it), with the daemon tolerations; RollingUpdate within maxUnavailable or OnDelete;
// ControllerRevisions; status counts per node.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { Expectations, QueueController, type ControllerDeps } from './base.js';
import { adoptOrRelease, ownerKeysForPod } from './ownership.js';
import {
  DAEMONSETS,
  PODS,
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
  scaledValue,
  specOf,
  splitKey,
  statusOf,
  str,
  untilAvailable,
  updateStatus,
} from './common.js';
import { daemonPodNode, daemonTolerations, pinToNode, placement } from './daemonset-placement.js';
import { REVISION_HASH_LABEL, ensureUpdateRevision, revisionHash, truncateHistory } from './history.js';

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export class DaemonSetController extends QueueController {
  private readonly expectations: Expectations;

  constructor(deps: ControllerDeps) {
    super(deps, 'daemonset-controller');
    this.expectations = new Expectations(deps.clock);
    const { daemonSets, pods, nodes } = deps.informers;
    this.listen(daemonSets, (e) => {
      if (e.type === 'DELETED') this.expectations.forget(keyOf(e.object));
      this.enqueue(e.object);
    });
    this.listen(pods, (e) => {
      for (const key of ownerKeysForPod(e.object, e.old, 'DaemonSet', daemonSets)) {
        if (e.type === 'ADDED') this.expectations.creationObserved(key);
        if (e.type === 'DELETED' || (e.object.metadata.deletionTimestamp && !e.old?.metadata.deletionTimestamp)) this.expectations.deletionObserved(key, e.object.metadata.uid);
        this.queue.add(key);
      }
    });
    // Node labels, taints and existence decide placement: every DaemonSet looks again.
    this.listen(nodes, (e) => {
      if (e.type === 'MODIFIED' && e.old && JSON.stringify([e.old.metadata.labels, specOf(e.old)]) === JSON.stringify([e.object.metadata.labels, specOf(e.object)])) return;
      for (const ds of daemonSets.list()) this.enqueue(ds);
    });
  }

  protected primary(): Informer {
    return this.deps.informers.daemonSets;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const ds = this.deps.informers.daemonSets.get(namespace, name);
    if (!ds) return this.expectations.forget(key);
    const { client, informers } = this.deps;
    const claim = claimable(ds, this.deps.podIndex.candidates(ds), specOf(ds).selector);
    const owned = [...claim.owned, ...(await adoptOrRelease(client, PODS, ds, claim, newControllerRef(ds, 'apps/v1', 'DaemonSet')))];
    if (ds.metadata.deletionTimestamp) return;
    const { update, all } = await ensureUpdateRevision(client, ds, 'DaemonSet', informers.controllerRevisions);
    const hash = revisionHash(update) ?? '';
    const nodes = informers.nodes.list();
    const live = owned.filter((p) => !p.metadata.deletionTimestamp);
    const byNode = new Map<string, KubeObject[]>();
    const toDelete: KubeObject[] = [];
    for (const pod of live) {
      const node = daemonPodNode(pod);
      if (!node || !nodes.some((n) => n.metadata.name === node)) toDelete.push(pod);
      else byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const toCreate: string[] = [];
    const eligible: { node: KubeObject; pods: KubeObject[] }[] = [];
    let misscheduled = 0;
    for (const node of nodes) {
      const nodeName = node.metadata.name ?? '';
      const pods = (byNode.get(nodeName) ?? []).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
      const { shouldRun, shouldContinueRunning } = placement(ds, node);
      if (shouldRun) eligible.push({ node, pods });
      else if (pods.length) misscheduled++;
      // A failed daemon pod is replaced.
      const failed = pods.filter((p) => podPhase(p) === 'Failed');
      toDelete.push(...failed);
      const running = pods.filter((p) => podPhase(p) !== 'Failed');
      if (shouldRun && running.length === 0) toCreate.push(nodeName);
      if (shouldRun && running.length > 1) toDelete.push(...running.slice(1));
      if (!shouldContinueRunning) toDelete.push(...running);
    }
    if (this.expectations.satisfied(key)) {
      const rolling = this.rollingDeletes(ds, eligible, hash, toCreate.length + toDelete.length === 0);
      await this.manage(key, ds, toCreate, [...toDelete, ...rolling], hash);
    }
    await this.updateStatus(ds, eligible, misscheduled, hash);
    const used = new Set(live.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
    await truncateHistory(client, ds, all, new Set(all.filter((r) => r === update || used.has(revisionHash(r))).map((r) => r.metadata.name ?? '')));
  }

  /** RollingUpdate: old pods go, unavailable ones first, keeping at most maxUnavailable nodes without an available pod. */
  private rollingDeletes(ds: KubeObject, eligible: { node: KubeObject; pods: KubeObject[] }[], hash: string, quiet: boolean): KubeObject[] {
    const strategy = obj(specOf(ds).updateStrategy);
    if (str(strategy.type) === 'OnDelete' || !quiet) return [];
    const minReady = num(specOf(ds).minReadySeconds);
    const now = this.deps.clock.now();
    const maxUnavailable = scaledValue(obj(strategy.rollingUpdate).maxUnavailable ?? 1, eligible.length, true);
    const available = (pods: KubeObject[]) => pods.some((p) => isPodAvailable(p, minReady, now));
    let unavailable = eligible.filter((e) => !available(e.pods)).length;
    const out: KubeObject[] = [];
    const old = eligible.filter((e) => e.pods.length && e.pods.every((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== hash));
    for (const e of old) if (!available(e.pods)) out.push(...e.pods);
    for (const e of old) {
      if (!available(e.pods)) continue;
      if (unavailable >= maxUnavailable) break;
      out.push(...e.pods);
      unavailable++;
    }
    return out;
  }

  private async manage(key: string, ds: KubeObject, nodes: string[], victims: KubeObject[], hash: string): Promise<void> {
    const unique = [...new Map(victims.map((p) => [p.metadata.uid, p])).values()];
    if (nodes.length + unique.length === 0) return;
    this.expectations.expect(key, nodes.length, unique.map((p) => p.metadata.uid ?? ''));
    const namespace = ds.metadata.namespace ?? '';
    let failure: unknown;
    await Promise.all([
      ...nodes.map(async (node) => {
        try {
          const pod = await this.deps.client.create(PODS, namespace, this.podFor(ds, node, hash));
          this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (error) {
          this.expectations.creationObserved(key);
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${error instanceof Error ? error.message : String(error)}`);
          failure ??= error;
        }
      }),
      ...unique.map(async (pod) => {
        try {
          await this.deps.client.delete(PODS, namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (error) {
          this.expectations.deletionObserved(key, pod.metadata.uid);
          if (!isConflictOrGone(error)) failure ??= error;
        }
      }),
    ]);
    if (failure) throw failure;
  }

  private podFor(ds: KubeObject, node: string, hash: string): KubeObject {
    const template = structuredClone(obj(specOf(ds).template));
    const pod = podFromTemplate(template, ds, newControllerRef(ds, 'apps/v1', 'DaemonSet'), `${ds.metadata.name}-`);
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation ?? 1) };
    const spec = obj(pod.spec);
    spec.tolerations = daemonTolerations(spec);
    pinToNode(spec, node);
    return pod;
  }

  private async updateStatus(ds: KubeObject, eligible: { node: KubeObject; pods: KubeObject[] }[], misscheduled: number, hash: string): Promise<void> {
    const minReady = num(specOf(ds).minReadySeconds);
    const now = this.deps.clock.now();
    const scheduled = eligible.filter((e) => e.pods.length > 0);
    const available = eligible.filter((e) => e.pods.some((p) => isPodAvailable(p, minReady, now))).length;
    const status = {
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: eligible.length,
      numberReady: eligible.filter((e) => e.pods.some(isPodReady)).length,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: eligible.filter((e) => e.pods.some((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash)).length,
      numberAvailable: available,
      numberUnavailable: eligible.length - available,
    };
    if (!sameStatus(status, statusOf(ds))) {
      try {
        await updateStatus(this.deps.client, DAEMONSETS, ds, status);
      } catch (error) {
        if (!isConflictOrGone(error)) throw error;
        this.enqueue(ds);
      }
    }
    const waits = eligible.flatMap((e) => e.pods.map((p) => untilAvailable(p, minReady, now))).filter((ms): ms is number => ms !== undefined);
    if (waits.length) this.queue.addAfter(keyOf(ds), Math.min(...waits) + 1);
  }
}
