// The default profile's filter plugins, in kube-scheduler's order; a node fails at the first plugin
// that rejects it. Reasons are worded as upstream so FailedScheduling reads the same.
import type { KubeObject } from '../../../shared/kube.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../registry/selectors/index.js';
import { compileTerm, firstUntolerated, nodeMatchesPod, nodeTaints, podSpec, podTolerations, requiredTerms, termSelectsPod, tolerates, type CompiledTerm } from './matching.js';
import { hostPortsConflict, podFacts, type NodeInfo, type PodFacts } from './node-info.js';
import type { Toleration } from 'kubernetes-types/core/v1.js';

export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  code: FilterCode;
  reasons: string[];
  plugin: string;
}

export interface CycleState {
  pod: KubeObject;
  nodes: NodeInfo[];
  namespaceLabels: (ns: string) => Record<string, string> | undefined;
  affinity: CompiledTerm[];
  antiAffinity: CompiledTerm[];
  /** Existing pods with required anti-affinity terms, and the node each is on. */
  existingAnti: { pod: KubeObject; node: NodeInfo; terms: CompiledTerm[] }[];
  spread: SpreadConstraint[];
  /** Whether any pod anywhere matches a required affinity term (computed once per cycle). */
  affinityMatchesAnywhere?: boolean;
  /** What every node's checks read of the pod, read once per cycle rather than once per node. */
  facts: PodFacts;
  tolerations: Toleration[];
  /** The pod's requests in the order NodeResourcesFit reports them. */
  requests: [string, number][];
  /** No nodeSelector and no required node affinity: every node matches. */
  anyNode: boolean;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  selector: ReturnType<typeof labelSelectorFromObject>;
  /** topology value -> matching pods. */
  counts: Map<string, number>;
  selfMatch: boolean;
}

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

function fail(plugin: string, code: FilterCode, ...reasons: string[]): FilterStatus {
  return { plugin, code, reasons };
}

function nodeUnschedulable(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  const unschedulable = (n.node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  if (unschedulable && !s.tolerations.some((t) => tolerates(t, UNSCHEDULABLE_TAINT))) {
    return fail('NodeUnschedulable', 'UnschedulableAndUnresolvable', 'node(s) were unschedulable');
  }
  return undefined;
}

function nodeName(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  const wanted = podSpec(s.pod).nodeName;
  if (typeof wanted === 'string' && wanted && wanted !== n.name) return fail('NodeName', 'UnschedulableAndUnresolvable', "node(s) didn't match the requested node name");
  return undefined;
}

function taintToleration(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  const taints = nodeTaints(n.node);
  if (taints.length === 0) return undefined;
  const taint = firstUntolerated(taints, s.tolerations, ['NoSchedule', 'NoExecute']);
  if (taint) return fail('TaintToleration', 'UnschedulableAndUnresolvable', `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  return undefined;
}

function nodeAffinity(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  if (!s.anyNode && !nodeMatchesPod(s.pod, n.node)) return fail('NodeAffinity', 'UnschedulableAndUnresolvable', "node(s) didn't match Pod's node affinity/selector");
  return undefined;
}

function nodePorts(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  const wanted = s.facts.hostPorts;
  if (wanted.length === 0) return undefined;
  const used = n.usedPorts();
  if (wanted.some((w) => used.some((u) => hostPortsConflict(w, u)))) return fail('NodePorts', 'Unschedulable', "node(s) didn't have free ports for the requested pod ports");
  return undefined;
}

const RESOURCE_ORDER = ['cpu', 'memory', 'ephemeral-storage'];

function resourcesFit(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  // No list unless the node fails: this runs for every node for every pod.
  let reasons: string[] | undefined;
  let unresolvable = false;
  const allocatable = n.allocatable();
  const maxPods = (allocatable.get('pods') ?? 110_000) / 1000;
  if (n.pods.size + 1 > maxPods) reasons = ['Too many pods'];
  if (s.requests.length > 0) {
    const requested = n.requested();
    for (const [name, want] of s.requests) {
      const have = allocatable.get(name) ?? 0;
      if (want > have - (requested.get(name) ?? 0)) {
        (reasons ??= []).push(`Insufficient ${name}`);
        if (want > have) unresolvable = true;
      }
    }
  }
  if (!reasons) return undefined;
  return fail('NodeResourcesFit', unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', ...reasons);
}

function rank(name: string): number {
  const i = RESOURCE_ORDER.indexOf(name);
  return i < 0 ? RESOURCE_ORDER.length : i;
}

function topologySpread(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  for (const c of s.spread) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const value = n.node.metadata.labels?.[c.topologyKey];
    if (value === undefined) return fail('PodTopologySpread', 'UnschedulableAndUnresolvable', "node(s) didn't match pod topology spread constraints (missing required label)");
    const min = c.counts.size === 0 ? 0 : Math.min(...c.counts.values());
    const skew = (c.counts.get(value) ?? 0) + (c.selfMatch ? 1 : 0) - min;
    if (skew > c.maxSkew) return fail('PodTopologySpread', 'Unschedulable', "node(s) didn't match pod topology spread constraints");
  }
  return undefined;
}

/** Whether some pod in the node's topology domain (for `term`) is selected by `term`. */
function domainHasMatch(s: CycleState, term: CompiledTerm, n: NodeInfo): boolean {
  const value = n.node.metadata.labels?.[term.topologyKey];
  if (value === undefined) return false;
  for (const other of s.nodes) {
    if (other.node.metadata.labels?.[term.topologyKey] !== value) continue;
    for (const p of other.pods.values()) if (termSelectsPod(term, p, s.namespaceLabels)) return true;
  }
  return false;
}

function interPodAffinity(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  if (s.affinity.length > 0) {
    const all = s.affinity.every((t) => domainHasMatch(s, t, n));
    if (!all) {
      // The first pod of a group that selects itself may go anywhere its topology keys exist.
      s.affinityMatchesAnywhere ??= s.affinity.some((t) => s.nodes.some((other) => [...other.pods.values()].some((p) => termSelectsPod(t, p, s.namespaceLabels))));
      const noneAnywhere = !s.affinityMatchesAnywhere;
      const selfMatch = s.affinity.every((t) => termSelectsPod(t, s.pod, s.namespaceLabels));
      const keysPresent = s.affinity.every((t) => n.node.metadata.labels?.[t.topologyKey] !== undefined);
      if (!(noneAnywhere && selfMatch && keysPresent)) return fail('InterPodAffinity', 'UnschedulableAndUnresolvable', "node(s) didn't match pod affinity rules");
    }
  }
  if (s.antiAffinity.some((t) => domainHasMatch(s, t, n))) return fail('InterPodAffinity', 'Unschedulable', "node(s) didn't match pod anti-affinity rules");
  for (const existing of s.existingAnti) {
    for (const t of existing.terms) {
      const value = n.node.metadata.labels?.[t.topologyKey];
      if (value === undefined || existing.node.node.metadata.labels?.[t.topologyKey] !== value) continue;
      if (termSelectsPod(t, s.pod, s.namespaceLabels)) return fail('InterPodAffinity', 'Unschedulable', "node(s) didn't satisfy existing pods anti-affinity rules");
    }
  }
  return undefined;
}

const FILTERS = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, resourcesFit, topologySpread, interPodAffinity];

export function runFilters(s: CycleState, n: NodeInfo): FilterStatus | undefined {
  for (const filter of FILTERS) {
    const status = filter(s, n);
    if (status) return status;
  }
  return undefined;
}

interface RawSpread {
  maxSkew?: number;
  topologyKey?: string;
  whenUnsatisfiable?: string;
  labelSelector?: LabelSelectorObject;
}

/** PreFilter: what every node's checks share (parsed terms, spread counts over eligible nodes). */
export function prepareCycle(pod: KubeObject, nodes: NodeInfo[], namespaceLabels: CycleState['namespaceLabels'], antiIndex: CycleState['existingAnti']): CycleState {
  const ns = pod.metadata.namespace ?? '';
  const spread: SpreadConstraint[] = [];
  const raw = podSpec(pod).topologySpreadConstraints;
  for (const c of Array.isArray(raw) ? (raw as RawSpread[]) : []) {
    if (!c.topologyKey) continue;
    const selector = labelSelectorFromObject(c.labelSelector ?? null);
    const counts = new Map<string, number>();
    for (const n of nodes) {
      const value = n.node.metadata.labels?.[c.topologyKey];
      // Honor nodeAffinity (the default nodeAffinityPolicy): only eligible nodes form domains.
      if (value === undefined || !nodeMatchesPod(pod, n.node)) continue;
      let count = counts.get(value) ?? 0;
      for (const p of n.pods.values()) if ((p.metadata.namespace ?? '') === ns && !p.metadata.deletionTimestamp && selector.matches(p.metadata.labels ?? {})) count++;
      counts.set(value, count);
    }
    spread.push({ maxSkew: c.maxSkew ?? 1, topologyKey: c.topologyKey, whenUnsatisfiable: c.whenUnsatisfiable ?? 'DoNotSchedule', selector, counts, selfMatch: selector.matches(pod.metadata.labels ?? {}) });
  }
  const facts = podFacts(pod);
  const spec = podSpec(pod);
  const affinity = spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } } | undefined;
  return {
    pod,
    nodes,
    namespaceLabels,
    facts,
    tolerations: podTolerations(pod),
    requests: [...facts.requests].filter(([name]) => name !== 'pods').sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)),
    anyNode: Object.keys((spec.nodeSelector as object | undefined) ?? {}).length === 0 && !affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    affinity: requiredTerms(pod, 'podAffinity').map((t) => compileTerm(t, ns)),
    antiAffinity: requiredTerms(pod, 'podAntiAffinity').map((t) => compileTerm(t, ns)),
    existingAnti: antiIndex,
    spread,
  };
}
