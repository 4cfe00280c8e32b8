// The scheduler's view of one node: the node object and the pods on it (bound or assumed), with the
// sums the filters and scores need, kept up to date as pods come, change and go.
import type { KubeObject } from '../../../shared/kube.js';
import { podRequests } from '../apiserver/admission/pod-resources.js';
import { milliValue, parseQuantity } from '../registry/kinds/quantity.js';

type Obj = Record<string, unknown>;

/** Resource amounts in milli-units (cpu in millicores, memory in milli-bytes), as Quantity.MilliValue. */
export type Amounts = Map<string, number>;

/** Scoring counts a pod without requests as 100m CPU and 200Mi memory (DefaultMilliCPURequest...). */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY_MILLI = 200 * 1024 * 1024 * 1000;

export interface PodFacts {
  requests: Amounts;
  nonZeroCpu: number;
  nonZeroMemory: number;
  hostPorts: HostPort[];
  controllerUid: string | undefined;
}

export interface HostPort {
  protocol: string;
  ip: string;
  port: number;
}

const facts = new WeakMap<KubeObject, PodFacts>();

function asObj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function asObjs(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(asObj).filter((v): v is Obj => v !== undefined) : [];
}

/** Cached per pod object: informer objects are replaced on change, never mutated. */
export function podFacts(pod: KubeObject): PodFacts {
  let f = facts.get(pod);
  if (f) return f;
  const spec = asObj(pod.spec) ?? {};
  const requests: Amounts = new Map();
  for (const [name, q] of Object.entries(podRequests(spec, true))) {
    const milli = Number(milliValue(q));
    if (milli > 0) requests.set(name, milli);
  }
  const hostPorts: HostPort[] = [];
  for (const c of [...asObjs(spec.initContainers), ...asObjs(spec.containers)]) {
    for (const p of asObjs(c.ports)) {
      if (typeof p.hostPort === 'number' && p.hostPort > 0) {
        hostPorts.push({ protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', ip: typeof p.hostIP === 'string' && p.hostIP ? p.hostIP : '0.0.0.0', port: p.hostPort });
      }
    }
  }
  const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
  f = {
    requests,
    nonZeroCpu: requests.get('cpu') ?? DEFAULT_MILLI_CPU,
    nonZeroMemory: requests.get('memory') ?? DEFAULT_MEMORY_MILLI,
    hostPorts,
    controllerUid: controller?.uid,
  };
  facts.set(pod, f);
  return f;
}

export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

interface Sums {
  requested: Amounts;
  nonZeroCpu: number;
  nonZeroMemory: number;
  /** Host ports by pod key: few pods have any. */
  ports: Map<string, HostPort[]>;
  owners: Map<string, number>;
}

export class NodeInfo {
  readonly pods = new Map<string, KubeObject>();
  /**
   * Kept up to date pod by pod (as kube-scheduler's NodeInfo.AddPod/RemovePod): every status
   * update replaces a pod object, and summing a node's hundred pods again each time made a
   * rollout's cost grow with the pods per node.
   */
  private sums: Sums | undefined;
  private portList: HostPort[] | undefined;
  private allocatableCache: { node: KubeObject; amounts: Amounts } | undefined;

  constructor(public node: KubeObject) {}

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  setPod(key: string, pod: KubeObject): void {
    const old = this.pods.get(key);
    this.pods.set(key, pod);
    if (!this.sums || old === pod) return;
    if (old) this.apply(this.sums, key, podFacts(old), -1);
    this.apply(this.sums, key, podFacts(pod), 1);
  }

  removePod(key: string): boolean {
    const old = this.pods.get(key);
    if (!old) return false;
    this.pods.delete(key);
    if (this.sums) this.apply(this.sums, key, podFacts(old), -1);
    return true;
  }

  allocatable(): Amounts {
    if (this.allocatableCache?.node === this.node) return this.allocatableCache.amounts;
    const amounts: Amounts = new Map();
    const status = asObj(this.node.status);
    for (const [name, value] of Object.entries(asObj(status?.allocatable) ?? asObj(status?.capacity) ?? {})) {
      const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
      if (q) amounts.set(name, Number(milliValue(q)));
    }
    this.allocatableCache = { node: this.node, amounts };
    return amounts;
  }

  private apply(sums: Sums, key: string, f: PodFacts, sign: 1 | -1): void {
    for (const [k, v] of f.requests) {
      const next = (sums.requested.get(k) ?? 0) + sign * v;
      if (next === 0) sums.requested.delete(k);
      else sums.requested.set(k, next);
    }
    sums.nonZeroCpu += sign * f.nonZeroCpu;
    sums.nonZeroMemory += sign * f.nonZeroMemory;
    if (f.hostPorts.length > 0 || sums.ports.has(key)) {
      if (sign > 0) sums.ports.set(key, f.hostPorts);
      else sums.ports.delete(key);
      this.portList = undefined;
    }
    if (f.controllerUid) {
      const next = (sums.owners.get(f.controllerUid) ?? 0) + sign;
      if (next === 0) sums.owners.delete(f.controllerUid);
      else sums.owners.set(f.controllerUid, next);
    }
  }

  private compute(): Sums {
    if (this.sums) return this.sums;
    const sums: Sums = { requested: new Map(), nonZeroCpu: 0, nonZeroMemory: 0, ports: new Map(), owners: new Map() };
    for (const [key, pod] of this.pods) this.apply(sums, key, podFacts(pod), 1);
    this.sums = sums;
    return sums;
  }

  requested(): Amounts {
    return this.compute().requested;
  }

  nonZeroRequested(): { cpu: number; memory: number } {
    const s = this.compute();
    return { cpu: s.nonZeroCpu, memory: s.nonZeroMemory };
  }

  /** Millicores requested on the node, a pod without requests counted as 100m (scoring, no object per call). */
  nonZeroCpu(): number {
    return this.compute().nonZeroCpu;
  }

  /** Memory requested on the node in milli-bytes, a pod without requests counted as 200Mi. */
  nonZeroMemory(): number {
    return this.compute().nonZeroMemory;
  }

  usedPorts(): HostPort[] {
    const s = this.compute();
    this.portList ??= [...s.ports.values()].flat();
    return this.portList;
  }

  /** Pods on this node controlled by the owner with this uid (default topology spreading). */
  ownedBy(uid: string): number {
    return this.compute().owners.get(uid) ?? 0;
  }
}
