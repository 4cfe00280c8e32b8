// kube-scheduler as a client of the API: informers over pods, nodes, namespaces, claims and storage
// classes; one pod at a time is filtered and scored against a cache of nodes and the pods on them
// (bound or assumed), then bound through pods/binding asynchronously while the next pod is scheduled.
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import { objectKey, type Informer } from '../controllers/informer.js';
import { InformerSet } from '../controllers/cluster/shared.js';
import { EventRecorder } from '../controllers/events/recorder.js';
import type { EventSink } from '../controllers/cluster/shared.js';
import { fitErrorMessage, NO_VICTIMS, NOT_HELPFUL, preemptionMessage, type Diagnosis } from './fit-error.js';
import { prepareCycle, runFilters, type CycleState, type FilterStatus } from './filters.js';
import { compileTerm, podSpec, requiredTerms } from './matching.js';
import { NodeInfo } from './node-info.js';
import { findCandidate, priorityOf } from './preemption.js';
import { SchedulingQueue } from './queue.js';
import { selectHost } from './scoring.js';
import { checkVolumes, isBound, SELECTED_NODE, VOLUME_NODE_CONFLICT, volumesFit } from './volumes.js';

export const SCHEDULER_NAME = 'default-scheduler';
const PODS: ResourceRef = { group: '', resource: 'pods' };
const PVCS: ResourceRef = { group: '', resource: 'persistentvolumeclaims' };
/** VolumeBinding's bindTimeout: how long a pod waits for its WaitForFirstConsumer claims. */
const BIND_TIMEOUT_MS = 600_000;

/** Posts the Binding (pods/<name>/binding) that assigns `pod` to `nodeName`. */
export type Binder = (pod: KubeObject, nodeName: string) => Promise<void>;

export interface SchedulerDeps {
  client: ApiClient;
  clock: Clock;
  bind: Binder;
  events?: EventSink;
  onError?: (error: unknown) => void;
  /** Informers shared with other components (started here if not yet; disposed by their owner). */
  informers?: InformerSet;
  /** Breaks ties between equally scored nodes; Math.random by default. */
  random?: () => number;
}

type Obj = Record<string, unknown>;

function phase(pod: KubeObject): string | undefined {
  return (pod.status as { phase?: string } | undefined)?.phase;
}

function assignedNode(pod: KubeObject): string | undefined {
  const n = podSpec(pod).nodeName;
  return typeof n === 'string' && n ? n : undefined;
}

function isTerminal(pod: KubeObject): boolean {
  const p = phase(pod);
  return p === 'Succeeded' || p === 'Failed';
}

function ours(pod: KubeObject): boolean {
  const name = podSpec(pod).schedulerName;
  return (name === undefined || name === SCHEDULER_NAME) && !pod.metadata.deletionTimestamp && !isTerminal(pod);
}

function gated(pod: KubeObject): boolean {
  const gates = podSpec(pod).schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

/** What a pod update must change for a parked pod to be worth another attempt. */
function schedulingRelevant(pod: KubeObject): string {
  return JSON.stringify([pod.metadata.labels, pod.metadata.annotations, pod.spec]);
}

function nodeRelevant(node: KubeObject): string {
  const status = (node.status ?? {}) as Obj;
  return JSON.stringify([node.metadata.labels, node.spec, status.allocatable]);
}

export class Scheduler implements Disposable {
  readonly pods: Informer;
  readonly nodes: Informer;
  private readonly namespaces: Informer;
  private readonly claims: Informer;
  private readonly classes: Informer;
  private readonly volumes: Informer;
  private readonly queue: SchedulingQueue;
  private readonly events: EventSink;
  private readonly nodeInfos = new Map<string, NodeInfo>();
  /** pod key -> node it is counted on (bound or assumed). */
  private readonly podNode = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private readonly antiIndex = new Map<string, { pod: KubeObject; node: string; terms: ReturnType<typeof compileTerm>[] }>();
  private readonly subscriptions: Disposable[] = [];
  private pumping = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private disposed = false;
  private readonly random: () => number;
  private readonly informers: InformerSet;
  private readonly ownInformers: boolean;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly deps: SchedulerDeps) {
    const { client, clock } = deps;
    this.onError = deps.onError ?? (() => undefined);
    this.random = deps.random ?? Math.random;
    // kube-scheduler records through events.k8s.io (series of isomorphic events), not client-go's
    // legacy correlator: no combining or rate limit per pod.
    this.events = deps.events ?? new EventRecorder(client, clock, SCHEDULER_NAME, undefined, this.onError, { correlate: false });
    this.ownInformers = deps.informers === undefined;
    this.informers = deps.informers ?? new InformerSet(client, this.onError);
    this.pods = this.informers.get(PODS);
    this.nodes = this.informers.get({ group: '', resource: 'nodes' });
    this.namespaces = this.informers.get({ group: '', resource: 'namespaces' });
    this.claims = this.informers.get(PVCS);
    this.classes = this.informers.get({ group: 'storage.k8s.io', resource: 'storageclasses' });
    this.volumes = this.informers.get({ group: '', resource: 'persistentvolumes' });
    this.queue = new SchedulingQueue(clock, () => this.kick());
    this.subscriptions.push(
      this.nodes.onDidChange((e) => this.onNode(e.type, e.object, e.old)),
      this.pods.onDidChange((e) => this.onPod(e.type, e.object, e.old)),
      this.claims.onDidChange(() => this.queue.moveAllToActive()),
      this.classes.onDidChange(() => this.queue.moveAllToActive()),
    );
  }

  async start(): Promise<void> {
    await this.informers.start();
    // Objects listed before we subscribed (a shared, already started set) produced no event for us.
    for (const node of this.nodes.list()) if (!this.nodeInfos.has(node.metadata.name ?? '')) this.onNode('ADDED', node, undefined);
    for (const pod of this.pods.list()) this.onPod('ADDED', pod, undefined);
  }

  /** Resolves once no pod is queued for an attempt and no binding is in flight (tests). */
  idle(): Promise<void> {
    if (!this.pumping && this.inFlight === 0 && this.queue.activeCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.queue.dispose();
    for (const s of this.subscriptions) s.dispose();
    if (this.ownInformers) this.informers.dispose();
  }

  private onNode(type: string, node: KubeObject, old: KubeObject | undefined): void {
    const name = node.metadata.name ?? '';
    if (type === 'DELETED') {
      this.nodeInfos.delete(name);
      return;
    }
    const info = this.nodeInfos.get(name);
    if (info) {
      info.node = node;
      if (old && nodeRelevant(old) === nodeRelevant(node)) return;
    } else {
      const created = new NodeInfo(node);
      for (const pod of this.pods.list()) {
        if (assignedNode(pod) === name && !isTerminal(pod)) created.setPod(objectKey(pod), pod);
      }
      this.nodeInfos.set(name, created);
    }
    this.queue.moveAllToActive();
  }

  private onPod(type: string, pod: KubeObject, old: KubeObject | undefined): void {
    const key = objectKey(pod);
    const node = assignedNode(pod);
    if (type === 'DELETED' || (node && isTerminal(pod))) {
      this.queue.forget(key);
      if (this.uncount(key)) this.queue.moveAllToActive();
      return;
    }
    if (node) {
      this.queue.forget(key);
      const wasCounted = this.podNode.get(key) === node;
      this.assumed.delete(key);
      this.count(key, pod, node);
      // A new pod elsewhere can satisfy a parked pod's affinity; anything else only takes room.
      if (!wasCounted) this.queue.moveAllToActive();
      return;
    }
    if (!ours(pod) || this.assumed.has(key)) return;
    if (gated(pod)) {
      this.queue.forget(key);
      void this.writeCondition(pod, { status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' });
      return;
    }
    if (type === 'MODIFIED' && old && this.queue.isUnschedulable(key) && schedulingRelevant(old) === schedulingRelevant(pod)) return;
    this.queue.add(key, priorityOf(pod));
  }

  private count(key: string, pod: KubeObject, node: string): void {
    const previous = this.podNode.get(key);
    if (previous && previous !== node) this.nodeInfos.get(previous)?.removePod(key);
    this.podNode.set(key, node);
    this.nodeInfos.get(node)?.setPod(key, pod);
    const terms = requiredTerms(pod, 'podAntiAffinity').map((t) => compileTerm(t, pod.metadata.namespace ?? ''));
    if (terms.length > 0) this.antiIndex.set(key, { pod, node, terms });
    else this.antiIndex.delete(key);
  }

  private uncount(key: string): boolean {
    const node = this.podNode.get(key);
    this.podNode.delete(key);
    this.assumed.delete(key);
    this.antiIndex.delete(key);
    return node !== undefined && (this.nodeInfos.get(node)?.removePod(key) ?? false);
  }

  private kick(): void {
    if (this.pumping || this.disposed) return;
    this.pumping = true;
    // Run on a later tick so a burst of informer events is queued before the first attempt.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    let n = 0;
    try {
      for (let key = this.queue.pop(); key !== undefined && !this.disposed; key = this.queue.pop()) {
        this.scheduleOne(key);
        // Let informer events (bindings landing) through now and then.
        if (++n % 50 === 0) await new Promise((r) => setImmediate(r));
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.pumping = false;
      this.checkIdle();
    }
  }

  private checkIdle(): void {
    if (this.pumping || this.inFlight > 0 || this.queue.activeCount > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private scheduleOne(key: string): void {
    const [ns, name] = key.split('/');
    const pod = this.pods.get(ns, name);
    if (!pod || assignedNode(pod) || !ours(pod) || gated(pod) || this.assumed.has(key)) return;
    const nodes = [...this.nodeInfos.values()];
    const volumes = checkVolumes(pod, this.claims, this.classes, this.volumes);
    const statuses = new Map<string, FilterStatus>();
    const feasible: NodeInfo[] = [];
    let state: CycleState | undefined;
    if (!volumes.preFilterMsg) {
      const anti = [...this.antiIndex.values()].flatMap((a) => {
        const info = this.nodeInfos.get(a.node);
        return info ? [{ pod: a.pod, node: info, terms: a.terms }] : [];
      });
      state = prepareCycle(pod, nodes, (n) => this.namespaces.get('', n)?.metadata.labels, anti);
      for (const info of nodes) {
        // VolumeBinding runs after the other filters, so only a node that passed them reports it.
        let status = runFilters(state, info);
        if (!status && !volumesFit(volumes, info.node)) status = { plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: [VOLUME_NODE_CONFLICT] };
        if (status) statuses.set(info.name, status);
        else feasible.push(info);
      }
    }
    if (!state || feasible.length === 0) {
      this.unschedulable(pod, key, nodes, statuses, volumes.preFilterMsg, state);
      return;
    }
    const host = selectHost(state, feasible, this.random);
    // Assume: count the pod on the node now so the next pod sees it before the binding lands.
    this.assumed.add(key);
    this.count(key, pod, host.name);
    this.inFlight++;
    void this.bindCycle(pod, key, host.name, volumes.delayed).finally(() => {
      this.inFlight--;
      this.checkIdle();
    });
  }

  private unschedulable(pod: KubeObject, key: string, nodes: NodeInfo[], statuses: Map<string, FilterStatus>, preFilterMsg: string | undefined, state: CycleState | undefined): void {
    const diagnosis: Diagnosis = { numAllNodes: nodes.length, preFilterMsg, statuses };
    const eligible = podSpec(pod).preemptionPolicy !== 'Never';
    const waiting = eligible && this.victimsTerminating(pod);
    const candidate = eligible && !waiting && state ? findCandidate(state, nodes, statuses) : undefined;
    if (!eligible) diagnosis.postFilterMsg = 'preemption: not eligible due to preemptionPolicy=Never.';
    else if (waiting) diagnosis.postFilterMsg = 'preemption: not eligible due to a terminating pod on the nominated node.';
    else if (candidate) void this.preempt(pod, candidate.node, candidate.victims);
    else if (nodes.length > 0) {
      const perNode = nodes.map((n) => {
        const status = statuses.get(n.name);
        return !preFilterMsg && status?.code === 'Unschedulable' ? NO_VICTIMS : NOT_HELPFUL;
      });
      diagnosis.postFilterMsg = preemptionMessage(nodes.length, perNode);
    }
    const message = fitErrorMessage(diagnosis);
    this.queue.markUnschedulable(key, priorityOf(pod));
    this.events.event(pod, 'Warning', 'FailedScheduling', message);
    void this.writeCondition(pod, { status: 'False', reason: 'Unschedulable', message });
  }

  /** A preemptor waits for the victims it already chose rather than pick more. */
  private victimsTerminating(pod: KubeObject): boolean {
    const nominated = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    const info = nominated ? this.nodeInfos.get(nominated) : undefined;
    if (!info) return false;
    return [...info.pods.values()].some((p) => p.metadata.deletionTimestamp && priorityOf(p) < priorityOf(pod));
  }

  /** Evict the victims and nominate the node; the pod is retried when they are gone. */
  private async preempt(pod: KubeObject, node: string, victims: KubeObject[]): Promise<void> {
    const { client } = this.deps;
    try {
      const status = (pod.status ?? {}) as Obj;
      if (status.nominatedNodeName !== node) {
        await client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', { status: { nominatedNodeName: node } }, { subresource: 'status', fieldManager: SCHEDULER_NAME });
      }
      for (const victim of victims) {
        this.events.event(victim, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid ?? ''} on node ${node}`);
        await client.delete(PODS, victim.metadata.namespace ?? '', victim.metadata.name ?? '', { preconditions: { uid: victim.metadata.uid } });
      }
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) this.onError(error);
    }
  }

  private async writeCondition(pod: KubeObject, condition: { status: string; reason?: string | null; message?: string | null }): Promise<void> {
    const conditions = ((pod.status as { conditions?: Obj[] } | undefined)?.conditions ?? []) as { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    const existing = conditions.find((c) => c.type === 'PodScheduled');
    if (existing && existing.status === condition.status && (existing.reason ?? null) === (condition.reason ?? null) && (existing.message ?? null) === (condition.message ?? null)) return;
    const now = this.deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const lastTransitionTime = existing?.status === condition.status ? existing.lastTransitionTime : now;
    const patch = { status: { conditions: [{ type: 'PodScheduled', lastProbeTime: null, lastTransitionTime, ...condition }] } };
    try {
      await this.deps.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', patch, { subresource: 'status', fieldManager: SCHEDULER_NAME });
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) this.onError(error);
    }
  }

  private async bindCycle(pod: KubeObject, key: string, node: string, delayed: KubeObject[]): Promise<void> {
    let bindAt: Date | undefined;
    try {
      for (const pvc of delayed) {
        if (pvc.metadata.annotations?.[SELECTED_NODE] === node) continue;
        await this.deps.client.patch(PVCS, pvc.metadata.namespace ?? '', pvc.metadata.name ?? '', 'merge', { metadata: { annotations: { [SELECTED_NODE]: node } } }, { fieldManager: SCHEDULER_NAME });
      }
      if (delayed.length > 0) await this.waitForClaims(pod, delayed);
      // In process the kubelet sees the binding (and records Pulling) before bind() returns; dating
      // Scheduled from the bind request keeps it first in kubectl describe, as on a real cluster.
      bindAt = this.deps.clock.now();
      await this.deps.bind(pod, node);
    } catch (error) {
      if (!this.assumed.has(key)) return;
      this.uncount(key);
      if (!(error instanceof ApiError && error.code === 404)) {
        this.onError(error);
        this.events.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${error instanceof Error ? error.message : String(error)}`);
        this.queue.backoff(key, priorityOf(pod));
      }
      return;
    }
    this.events.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${node}`, bindAt);
    // The kubelet reports PodScheduled=True with the pod's first status; clear an Unschedulable
    // verdict at once though, so `kubectl describe` does not show a stale failure meanwhile.
    const latest = this.pods.get(pod.metadata.namespace ?? '', pod.metadata.name ?? '') ?? pod;
    const conditions = ((latest.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []);
    if (conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False')) await this.writeCondition(latest, { status: 'True', reason: null, message: null });
  }

  /** PreBind of VolumeBinding: the provisioner binds the claims, then the pod may go. */
  private waitForClaims(pod: KubeObject, claims: KubeObject[]): Promise<void> {
    const ns = pod.metadata.namespace ?? '';
    const allBound = () => claims.every((c) => isBound(this.claims, ns, c.metadata.name ?? ''));
    if (allBound()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = this.deps.clock.setTimeout(() => {
        sub.dispose();
        reject(new Error(`binding volumes: context deadline exceeded (timed out waiting for the claims of pod ${ns}/${pod.metadata.name ?? ''})`));
      }, BIND_TIMEOUT_MS);
      const sub = this.claims.onDidChange(() => {
        if (this.disposed || allBound()) {
          sub.dispose();
          timer.dispose();
          resolve();
        }
      });
    });
  }
}
