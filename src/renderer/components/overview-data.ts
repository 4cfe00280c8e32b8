// The overview's figures, computed from the live collections in one pass over each (no joins):
// nodes and their capacity, what pods request, pod phases, workload health, recent warnings.
import type { KubeObject } from '../../shared/kube.js';
import type { AppStore } from '../app-store.js';
import { eventTime } from '../kinds/events.js';
import { field, num, str } from '../kinds/format.js';
import { nodeStatus } from '../kinds/nodes.js';
import { parseQuantity } from '../kinds/quantity.js';

export interface Workload {
  kind: string;
  obj: KubeObject;
  ready: number;
  wanted: number;
}

export interface OverviewFigures {
  nodes: { total: number; ready: number; notReady: KubeObject[] };
  cpu: { allocatable: number; requested: number };
  memory: { allocatable: number; requested: number };
  pods: { total: number; phases: Record<string, number> };
  workloads: { kind: string; total: number; unhealthy: Workload[] }[];
  warnings: KubeObject[];
  loaded: boolean;
}

interface Resources {
  requests?: Record<string, string>;
}

export function overviewFigures(store: AppStore): OverviewFigures {
  const nodes = [...(store.collection('nodes')?.objects.values() ?? [])];
  const notReady = nodes.filter((n) => !nodeStatus(n).startsWith('Ready'));
  let cpuAlloc = 0;
  let memAlloc = 0;
  for (const n of nodes) {
    cpuAlloc += parseQuantity(field(n, 'status.allocatable.cpu'));
    memAlloc += parseQuantity(field(n, 'status.allocatable.memory'));
  }
  const phases: Record<string, number> = {};
  let cpuReq = 0;
  let memReq = 0;
  const pods = store.collection('pods');
  for (const p of pods?.objects.values() ?? []) {
    const phase = str(p, 'status.phase', 'Unknown');
    phases[phase] = (phases[phase] ?? 0) + 1;
    // Only pods that hold their node's resources count against its capacity.
    if (!str(p, 'spec.nodeName') || phase === 'Succeeded' || phase === 'Failed') continue;
    for (const c of (field(p, 'spec.containers') as { resources?: Resources }[] | undefined) ?? []) {
      cpuReq += parseQuantity(c.resources?.requests?.cpu);
      memReq += parseQuantity(c.resources?.requests?.memory);
    }
  }
  const workload = (id: string, kind: string, ready: (o: KubeObject) => number, wanted: (o: KubeObject) => number) => {
    const all = [...(store.collection(id)?.objects.values() ?? [])].map((obj) => ({ kind, obj, ready: ready(obj), wanted: wanted(obj) }));
    return { kind, total: all.length, unhealthy: all.filter((w) => w.ready < w.wanted) };
  };
  const warnings = [...(store.collection('events')?.objects.values() ?? [])].filter((e) => e.type === 'Warning').sort((a, b) => eventTime(b) - eventTime(a)).slice(0, 15);
  return {
    nodes: { total: nodes.length, ready: nodes.length - notReady.length, notReady },
    cpu: { allocatable: cpuAlloc, requested: cpuReq },
    memory: { allocatable: memAlloc, requested: memReq },
    pods: { total: pods?.objects.size ?? 0, phases },
    workloads: [
      workload('deployments.apps', 'deployments', (o) => num(o, 'status.readyReplicas'), (o) => num(o, 'spec.replicas', 1)),
      workload('statefulsets.apps', 'statefulsets', (o) => num(o, 'status.readyReplicas'), (o) => num(o, 'spec.replicas', 1)),
      workload('daemonsets.apps', 'daemonsets', (o) => num(o, 'status.numberReady'), (o) => num(o, 'status.desiredNumberScheduled')),
    ],
    warnings,
    loaded: Boolean(store.collection('nodes')?.loaded && pods?.loaded),
  };
}

/** Node usage from metrics.k8s.io, summed; undefined when the cluster serves no metrics. */
export function sumNodeMetrics(items: KubeObject[]): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const m of items) {
    cpu += parseQuantity(field(m, 'usage.cpu'));
    memory += parseQuantity(field(m, 'usage.memory'));
  }
  return { cpu, memory };
}
