// The node lifecycle controller and taint-based eviction: a node whose Lease in kube-node-lease is
// not renewed within the grace period (40 s) gets Ready=Unknown and the unreachable taints; pods
// that do not tolerate NoExecute taints are deleted once their tolerationSeconds have passed (300 s
// by default, from the DefaultTolerationSeconds admission plugin); a renewed lease clears it all.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { firstUntolerated, tolerates, type Taint, type Toleration } from '../../scheduler/matching.js';
import { QueueController, REFS, asArray, asObj, isTerminal, rfc3339, tolerate, type ControllerDeps } from './shared.js';
import type { EventSink } from './shared.js';
import { EventRecorder } from '../events/recorder.js';

export const NODE_MONITOR_GRACE_MS = 40_000;
const NODE_MONITOR_PERIOD_MS = 5_000;
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const STOPPED = 'Kubelet stopped posting node status.';
const PASS = 'pass';

export class NodeLifecycleController extends QueueController {
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  /** node -> [renewTime seen, local time it was first seen]: the controller trusts its own clock. */
  private readonly observed = new Map<string, { renewTime: string; at: number }>();
  private timer: Disposable | undefined;
  private stopped = false;

  constructor(
    deps: ControllerDeps,
    private readonly evictionEvents: EventSink,
  ) {
    super(deps);
    this.nodes = this.watch(REFS.nodes, () => this.queue.add(PASS));
    this.leases = this.watch(REFS.leases, (e) => e.object.metadata.namespace === 'kube-node-lease' && this.queue.add(PASS));
    this.pods = this.watch(REFS.pods, (e) => e.type !== 'DELETED' && this.taintedNode(e.object) && this.queue.add(PASS));
  }

  start(): void {
    this.queue.add(PASS);
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
      this.queue.add(PASS);
      this.tick();
    }, NODE_MONITOR_PERIOD_MS);
  }

  private taintedNode(pod: KubeObject): boolean {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    return node !== undefined && taintsOf(this.nodes.get('', node)).some((t) => t.effect === 'NoExecute');
  }

  protected async sync(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    for (const node of this.nodes.list()) {
      const name = node.metadata.name ?? '';
      const renewTime = String(asObj(this.leases.get('kube-node-lease', name)?.spec).renewTime ?? '');
      const seen = this.observed.get(name);
      let renewed = false;
      // Every start of the controller registers the nodes it finds, as kube-controller-manager's does.
      if (!seen) this.deps.events.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      if (!seen || seen.renewTime !== renewTime) {
        this.observed.set(name, { renewTime, at: now });
        renewed = seen !== undefined;
      }
      const lastSeen = this.observed.get(name)?.at ?? now;
      const stale = now - lastSeen > NODE_MONITOR_GRACE_MS;
      const unreachable = taintsOf(node).some((t) => t.key === UNREACHABLE);
      if (stale && !unreachable) await this.markUnreachable(node);
      else if (!stale && unreachable && (renewed || readyStatus(node) !== 'Unknown')) await this.markReachable(node);
      else if (!stale) await this.followReadiness(node);
      await this.followSchedulable(node);
      await this.evict(node, now);
    }
  }

  private async markUnreachable(node: KubeObject): Promise<void> {
    const { client, clock } = this.deps;
    const now = rfc3339(clock.now());
    const name = node.metadata.name ?? '';
    const status = asObj(node.status);
    const conditions = asArray(status.conditions).map((c) =>
      c.status === 'Unknown' ? c : { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: STOPPED, lastTransitionTime: now },
    );
    await tolerate(() => client.update(REFS.nodes, '', { ...node, status: { ...status, conditions } }, { subresource: 'status' }));
    await this.setTaints(name, (taints) => [
      ...taints.filter((t) => t.key !== UNREACHABLE),
      { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: now },
      { key: UNREACHABLE, effect: 'NoExecute', timeAdded: now },
    ]);
    this.deps.events.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    for (const pod of this.pods.list()) {
      if ((pod.spec as { nodeName?: string } | undefined)?.nodeName !== name || isTerminal(pod)) continue;
      this.evictionEvents.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      const podStatus = asObj(pod.status);
      const podConditions = asArray(podStatus.conditions).map((c) => (c.type === 'Ready' && c.status !== 'False' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      await tolerate(() => client.update(REFS.pods, pod.metadata.namespace ?? '', { ...pod, status: { ...podStatus, conditions: podConditions } }, { subresource: 'status' }));
    }
  }

  /** A kubelet reporting Ready=False gets the not-ready taints; Ready=True clears them. */
  private async followReadiness(node: KubeObject): Promise<void> {
    const ready = readyStatus(node);
    const notReady = taintsOf(node).filter((t) => t.key === NOT_READY);
    const name = node.metadata.name ?? '';
    if (ready === 'True' && notReady.length > 0) {
      await this.setTaints(name, (taints) => taints.filter((t) => t.key !== NOT_READY));
    } else if (ready === 'False' && notReady.length < 2) {
      const now = rfc3339(this.deps.clock.now());
      await this.setTaints(name, (taints) => [...taints.filter((t) => t.key !== NOT_READY), { key: NOT_READY, effect: 'NoSchedule', timeAdded: now }, { key: NOT_READY, effect: 'NoExecute', timeAdded: now }]);
      this.deps.events.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
  }

  /** A cordoned node (spec.unschedulable) carries the unschedulable NoSchedule taint, as upstream's tainting pass does. */
  private async followSchedulable(node: KubeObject): Promise<void> {
    const cordoned = asObj(node.spec).unschedulable === true;
    const tainted = taintsOf(node).some((t) => t.key === UNSCHEDULABLE);
    if (cordoned === tainted) return;
    // The node's kubelet reports the change in its next status; recorded here, under its name.
    const name = node.metadata.name ?? '';
    const reason = cordoned ? 'NodeNotSchedulable' : 'NodeSchedulable';
    new EventRecorder(this.deps.client, this.deps.clock, 'kubelet', name, this.deps.onError).event({ kind: 'Node', metadata: { name, uid: name } } as KubeObject, 'Normal', reason, `Node ${name} status is now: ${reason}`);
    const now = rfc3339(this.deps.clock.now());
    await this.setTaints(node.metadata.name ?? '', (taints) => [...taints.filter((t) => t.key !== UNSCHEDULABLE), ...(cordoned ? [{ key: UNSCHEDULABLE, effect: 'NoSchedule' as const, timeAdded: now }] : [])]);
  }

  private async markReachable(node: KubeObject): Promise<void> {
    const name = node.metadata.name ?? '';
    const status = asObj(node.status);
    if (readyStatus(node) === 'Unknown') {
      // The kubelet posts its status again with its lease; until it does, say what it would say.
      const now = rfc3339(this.deps.clock.now());
      const healthy: Record<string, [string, string, string]> = {
        MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
      };
      const conditions = asArray(status.conditions).map((c) => {
        const h = healthy[String(c.type)];
        return h && c.status === 'Unknown' ? { ...c, status: h[0], reason: h[1], message: h[2], lastHeartbeatTime: now, lastTransitionTime: now } : c;
      });
      await tolerate(() => this.deps.client.update(REFS.nodes, '', { ...node, status: { ...status, conditions } }, { subresource: 'status' }));
    }
    await this.setTaints(name, (taints) => taints.filter((t) => t.key !== UNREACHABLE));
    this.deps.events.event(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
  }

  private async setTaints(name: string, change: (taints: (Taint & { timeAdded?: string })[]) => (Taint & { timeAdded?: string })[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await tolerate(() => this.deps.client.get(REFS.nodes, '', name), [404]);
      if (!fresh) return;
      const spec = asObj(fresh.spec);
      const taints = change(taintsOf(fresh));
      const next = { ...fresh, spec: { ...spec, taints: taints.length > 0 ? taints : undefined } };
      if (await tolerate(() => this.deps.client.update(REFS.nodes, '', next), [409])) return;
    }
  }

  /** The taint manager: delete pods on this node that NoExecute taints no longer let stay. */
  private async evict(node: KubeObject, now: number): Promise<void> {
    const taints = taintsOf(node).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return;
    const name = node.metadata.name ?? '';
    for (const pod of this.pods.list()) {
      if ((pod.spec as { nodeName?: string } | undefined)?.nodeName !== name || pod.metadata.deletionTimestamp || isTerminal(pod)) continue;
      const deadline = evictionDeadline(taints, tolerationsOf(pod));
      if (deadline === undefined || now < deadline) {
        if (deadline !== undefined) this.queue.addAfter(PASS, deadline - now);
        continue;
      }
      const ns = pod.metadata.namespace ?? '';
      this.evictionEvents.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${pod.metadata.name ?? ''}`);
      // As upstream, the pod says why it goes before it goes.
      const disruption = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.deps.clock.now()) };
      await tolerate(() => this.deps.client.patch(REFS.pods, ns, pod.metadata.name ?? '', 'strategic', { status: { conditions: [disruption] } }, { subresource: 'status' }));
      await tolerate(() => this.deps.client.delete(REFS.pods, ns, pod.metadata.name ?? ''));
    }
  }
}

function taintsOf(node: KubeObject | undefined): (Taint & { timeAdded?: string })[] {
  const taints = asObj(node?.spec).taints;
  return Array.isArray(taints) ? (taints as (Taint & { timeAdded?: string })[]) : [];
}

function tolerationsOf(pod: KubeObject): Toleration[] {
  const t = asObj(pod.spec).tolerations;
  return Array.isArray(t) ? (t as Toleration[]) : [];
}

function readyStatus(node: KubeObject): string | undefined {
  return asArray(asObj(node.status).conditions).find((c) => c.type === 'Ready')?.status as string | undefined;
}

/** When the pod must go (ms since epoch): now if some taint is not tolerated, never if no limit. */
export function evictionDeadline(taints: (Taint & { timeAdded?: string })[], tolerations: Toleration[]): number | undefined {
  if (firstUntolerated(taints, tolerations, ['NoExecute'])) return 0;
  let deadline: number | undefined;
  for (const taint of taints) {
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : 0;
    for (const t of tolerations) {
      if (!tolerates(t, taint) || typeof t.tolerationSeconds !== 'number') continue;
      const at = added + Math.max(0, t.tolerationSeconds) * 1000;
      deadline = deadline === undefined ? at : Math.min(deadline, at);
    }
  }
  return deadline;
}
