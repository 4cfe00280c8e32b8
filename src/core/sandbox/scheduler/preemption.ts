// DefaultPreemption, simplified: on a node that failed only for reasons preemption can fix
// (Unschedulable, not UnschedulableAndUnresolvable), remove every lower-priority pod, check the pod
// fits, then give back as many victims as possible, highest priority first. The node whose worst
// victim has the lowest priority (then the fewest victims) wins.
import type { KubeObject } from '../../../shared/kube.js';
import { runFilters, type CycleState, type FilterStatus } from './filters.js';
import { podSpec } from './matching.js';
import { NodeInfo } from './node-info.js';

export interface Candidate {
  node: string;
  victims: KubeObject[];
}

export function priorityOf(pod: KubeObject): number {
  const p = podSpec(pod).priority;
  return typeof p === 'number' ? p : 0;
}

function without(info: NodeInfo, removed: Set<string>): NodeInfo {
  const copy = new NodeInfo(info.node);
  for (const [k, p] of info.pods) if (!removed.has(k)) copy.setPod(k, p);
  return copy;
}

export function findCandidate(state: CycleState, nodes: NodeInfo[], statuses: Map<string, FilterStatus>): Candidate | undefined {
  const priority = priorityOf(state.pod);
  let best: (Candidate & { worst: number }) | undefined;
  for (const info of nodes) {
    if (statuses.get(info.name)?.code !== 'Unschedulable') continue;
    const lower = [...info.pods].filter(([, p]) => priorityOf(p) < priority && !p.metadata.deletionTimestamp);
    if (lower.length === 0) continue;
    const removed = new Set(lower.map(([k]) => k));
    const swap = (n: NodeInfo) => ({ ...state, nodes: state.nodes.map((x) => (x.name === n.name ? n : x)) });
    let trial = without(info, removed);
    if (runFilters(swap(trial), trial)) continue;
    // Reprieve: keep the most important victims that still leave room.
    for (const [k] of lower.sort((a, b) => priorityOf(b[1]) - priorityOf(a[1]))) {
      removed.delete(k);
      const candidate = without(info, removed);
      if (runFilters(swap(candidate), candidate)) removed.add(k);
      else trial = candidate;
    }
    const victims = lower.filter(([k]) => removed.has(k)).map(([, p]) => p);
    const worst = Math.max(...victims.map(priorityOf));
    if (!best || worst < best.worst || (worst === best.worst && victims.length < best.victims.length)) best = { node: info.name, victims, worst };
  }
  return best ? { node: best.node, victims: best.victims } : undefined;
}
