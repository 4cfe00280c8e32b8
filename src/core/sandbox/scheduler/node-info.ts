// The scheduler's view of one node: the node object and the pods on it (bound or assumed), with the
// sums the filters and scores need, recomputed lazily when a pod comes or goes.
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

export class NodeInfo {
  readonly pods = new Map<string, KubeObject>();
  private sums: { requested: Amounts; nonZeroCpu: number; nonZeroMemory: number; ports: HostPort[]; owners: Map<string, number> } | undefined;
  private allocatableCache: { node: KubeObject; amounts: Amounts } | undefined;

  constructor(public node: KubeObject) {}

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  setPod(key: string, pod: KubeObject): void {
    this.pods.set(key, pod);
    this.sums = undefined;
  }

  removePod(key: string): boolean {
    const had = this.pods.delete(key);
    if (had) this.sums = undefined;
    return had;
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

  private compute() {
    if (this.sums) return this.sums;
    const requested: Amounts = new Map();
    let nonZeroCpu = 0;
    let nonZeroMemory = 0;
    const ports: HostPort[] = [];
    const owners = new Map<string, number>();
    for (const pod of this.pods.values()) {
      const f = podFacts(pod);
      for (const [k, v] of f.requests) requested.set(k, (requested.get(k) ?? 0) + v);
      nonZeroCpu += f.nonZeroCpu;
      nonZeroMemory += f.nonZeroMemory;
      ports.push(...f.hostPorts);
      if (f.controllerUid) owners.set(f.controllerUid, (owners.get(f.controllerUid) ?? 0) + 1);
    }
    this.sums = { requested, nonZeroCpu, nonZeroMemory, ports, owners };
    return this.sums;
  }

  requested(): Amounts {
    return this.compute().requested;
  }

  nonZeroRequested(): { cpu: number; memory: number } {
    const s = this.compute();
    return { cpu: s.nonZeroCpu, memory: s.nonZeroMemory };
  }

  usedPorts(): HostPort[] {
    return this.compute().ports;
  }

  /** Pods on this node controlled by the owner with this uid (default topology spreading). */
  ownedBy(uid: string): number {
    return this.compute().owners.get(uid) ?? 0;
  }
}
