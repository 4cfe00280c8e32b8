// The default profile's scores, each normalized to 0..100 and weighted as kube-scheduler weighs them:
// TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit
// (LeastAllocated) 1, NodeResourcesBalancedAllocation 1. The best node wins, ties broken at random.
import type { KubeObject } from '../../../shared/kube.js';
import type { CycleState } from './filters.js';
import { compileTerm, nodeTaints, preferredNodeAffinityScore, preferredTerms, termSelectsPod, tolerates } from './matching.js';
import type { NodeInfo, PodFacts } from './node-info.js';

const MAX = 100;

function free(x: number): number {
  return x > 1 ? 0 : (1 - x) * MAX;
}

/**
 * NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation of each node, from one read
 * of it, into the two arrays (no object per node: this runs for every feasible node of every pod).
 */
function resourceScores(f: PodFacts, nodes: NodeInfo[], least: number[], balanced: number[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const alloc = n.allocatable();
    const cpuAlloc = alloc.get('cpu') ?? 0;
    const memAlloc = alloc.get('memory') ?? 0;
    const cpu = cpuAlloc > 0 ? (n.nonZeroCpu() + f.nonZeroCpu) / cpuAlloc : 1;
    const memory = memAlloc > 0 ? (n.nonZeroMemory() + f.nonZeroMemory) / memAlloc : 1;
    const std = Math.abs(Math.min(cpu, 1) - Math.min(memory, 1)) / 2;
    least[i] = (free(cpu) + free(memory)) / 2;
    balanced[i] = (1 - std) * MAX;
  }
}

/** PreferNoSchedule taints the pod does not tolerate. */
function untoleratedPreferNoSchedule(n: NodeInfo, tolerations: CycleState['tolerations']): number {
  let count = 0;
  for (const t of nodeTaints(n.node)) if (t.effect === 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t))) count++;
  return count;
}

function normalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX : 0));
  return raw.map((r) => (reverse ? MAX - (r * MAX) / max : (r * MAX) / max));
}

/** Spread pods of the same controller across nodes (the default hostname spreading constraint). */
function spreadRaw(pod: KubeObject, nodes: NodeInfo[], s: CycleState): number[] {
  const soft = s.spread.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  if (soft.length > 0) {
    return nodes.map((n) => soft.reduce((sum, c) => sum + (c.counts.get(n.node.metadata.labels?.[c.topologyKey] ?? '') ?? 0), 0));
  }
  if (s.spread.length > 0) return nodes.map(() => 0);
  const owner = s.facts.controllerUid;
  if (!owner) return nodes.map(() => 0);
  return nodes.map((n) => n.ownedBy(owner));
}

function interPodRaw(s: CycleState, nodes: NodeInfo[]): number[] {
  const ns = s.pod.metadata.namespace ?? '';
  const weighted = [
    ...preferredTerms(s.pod, 'podAffinity').map((t) => ({ sign: 1, weight: t.weight, term: compileTerm(t.podAffinityTerm, ns) })),
    ...preferredTerms(s.pod, 'podAntiAffinity').map((t) => ({ sign: -1, weight: t.weight, term: compileTerm(t.podAffinityTerm, ns) })),
  ];
  if (weighted.length === 0) return nodes.map(() => 0);
  const byDomain = new Map<string, number>();
  for (const w of weighted) {
    for (const n of s.nodes) {
      const value = n.node.metadata.labels?.[w.term.topologyKey];
      if (value === undefined) continue;
      let matches = 0;
      for (const p of n.pods.values()) if (termSelectsPod(w.term, p, s.namespaceLabels)) matches++;
      const key = `${w.term.topologyKey}\u0000${value}`;
      byDomain.set(key, (byDomain.get(key) ?? 0) + w.sign * w.weight * matches);
    }
  }
  return nodes.map((n) => {
    let sum = 0;
    for (const w of weighted) {
      const value = n.node.metadata.labels?.[w.term.topologyKey];
      if (value !== undefined) sum += byDomain.get(`${w.term.topologyKey}\u0000${value}`) ?? 0;
    }
    return sum;
  });
}

function minMaxNormalize(raw: number[]): number[] {
  const max = Math.max(...raw);
  const min = Math.min(...raw);
  if (max === min) return raw.map(() => 0);
  return raw.map((r) => ((r - min) * MAX) / (max - min));
}

/** Picks the feasible node with the best total score; `random` breaks ties. */
export function selectHost(s: CycleState, feasible: NodeInfo[], random: () => number): NodeInfo {
  if (feasible.length === 1) return feasible[0];
  const pod = s.pod;
  const least = new Array<number>(feasible.length);
  const balanced = new Array<number>(feasible.length);
  resourceScores(s.facts, feasible, least, balanced);
  const taintRaw = feasible.map((n) => untoleratedPreferNoSchedule(n, s.tolerations));
  const spreadRawScores = spreadRaw(pod, feasible, s);
  const spreadMax = Math.max(...spreadRawScores);
  const spreadMin = Math.min(...spreadRawScores);
  const spread = spreadRawScores.map((r) => (spreadMax === 0 ? MAX : (MAX * (spreadMax + spreadMin - r)) / spreadMax));
  const scores = [
    { weight: 3, values: normalize(taintRaw, true) },
    { weight: 2, values: normalize(feasible.map((n) => preferredNodeAffinityScore(pod, n.node)), false) },
    { weight: 2, values: spread },
    { weight: 2, values: minMaxNormalize(interPodRaw(s, feasible)) },
    { weight: 1, values: least },
    { weight: 1, values: balanced },
  ];
  let best: NodeInfo = feasible[0];
  let bestScore = -Infinity;
  let ties = 0;
  for (let i = 0; i < feasible.length; i++) {
    // Integer scores as upstream, so tiny float differences do not defeat random tie-breaking.
    let total = 0;
    for (const sc of scores) total += sc.weight * Math.floor(sc.values[i]);
    if (total > bestScore) {
      best = feasible[i];
      bestScore = total;
      ties = 1;
    } else if (total === bestScore) {
      ties++;
      if (random() * ties < 1) best = feasible[i];
    }
  }
  return best;
}
