// Matching rules shared by the filters and scores: node selector terms (In/NotIn/Exists/
// DoesNotExist/Gt/Lt, matchFields metadata.name), taints against tolerations, and pod affinity terms.
import type { KubeObject } from '../../../shared/kube.js';
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorObject } from '../registry/selectors/index.js';

type Obj = Record<string, unknown>;

export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelectorObject;
  namespaces?: string[];
  namespaceSelector?: LabelSelectorObject;
  topologyKey: string;
}

function requirementMatches(req: Requirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0], 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
  }
  return false;
}

/** One term: all of its requirements; a term with none matches nothing (as upstream). */
export function termMatches(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name));
}

function asObj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

export function podSpec(pod: KubeObject): Obj {
  return asObj(pod.spec) ?? {};
}

/** nodeSelector and required node affinity (the NodeAffinity filter). */
export function nodeMatchesPod(pod: KubeObject, node: KubeObject): boolean {
  const spec = podSpec(pod);
  const labels = node.metadata.labels ?? {};
  const selector = asObj(spec.nodeSelector) ?? {};
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  const required = asObj(asObj(asObj(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  const terms = (required?.nodeSelectorTerms ?? undefined) as NodeSelectorTerm[] | undefined;
  if (required && Array.isArray(terms)) return terms.some((t) => termMatches(t, node));
  return true;
}

export function preferredNodeAffinityScore(pod: KubeObject, node: KubeObject): number {
  const preferred = asObj(asObj(podSpec(pod).affinity)?.nodeAffinity)?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(preferred)) return 0;
  let score = 0;
  for (const p of preferred as { weight?: number; preference?: NodeSelectorTerm }[]) {
    if (p.preference && termMatches(p.preference, node)) score += p.weight ?? 0;
  }
  return score;
}

export function nodeTaints(node: KubeObject): Taint[] {
  const taints = asObj(node.spec)?.taints;
  return Array.isArray(taints) ? (taints as Taint[]) : [];
}

export function podTolerations(pod: KubeObject): Toleration[] {
  const tolerations = podSpec(pod).tolerations;
  return Array.isArray(tolerations) ? (tolerations as Toleration[]) : [];
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const operator = t.operator || 'Equal';
  if (t.key) {
    if (t.key !== taint.key) return false;
  } else if (operator !== 'Exists') {
    return false;
  }
  if (operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function firstUntolerated(taints: Taint[], tolerations: Toleration[], effects: string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

/** A pod affinity term made ready for matching: its selector parsed, its namespaces resolved. */
export interface CompiledTerm {
  selector: LabelSelector;
  namespaces: Set<string> | undefined;
  namespaceSelector: LabelSelector | undefined;
  topologyKey: string;
}

export function compileTerm(term: PodAffinityTerm, ownNamespace: string): CompiledTerm {
  const hasNsSelector = term.namespaceSelector !== undefined && term.namespaceSelector !== null;
  const namespaces = term.namespaces && term.namespaces.length > 0 ? new Set(term.namespaces) : hasNsSelector ? new Set<string>() : new Set([ownNamespace]);
  return {
    selector: labelSelectorFromObject(term.labelSelector ?? null),
    namespaces,
    namespaceSelector: hasNsSelector ? labelSelectorFromObject(term.namespaceSelector) : undefined,
    topologyKey: term.topologyKey,
  };
}

export function termSelectsPod(term: CompiledTerm, pod: KubeObject, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const ns = pod.metadata.namespace ?? '';
  const inNs = term.namespaces?.has(ns) || (term.namespaceSelector?.matches(namespaceLabels(ns) ?? {}) ?? false);
  return inNs && term.selector.matches(pod.metadata.labels ?? {});
}

export function requiredTerms(pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): PodAffinityTerm[] {
  const terms = asObj(asObj(podSpec(pod).affinity)?.[kind])?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) ? (terms as PodAffinityTerm[]) : [];
}

export function preferredTerms(pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): { weight: number; podAffinityTerm: PodAffinityTerm }[] {
  const terms = asObj(asObj(podSpec(pod).affinity)?.[kind])?.preferredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) ? (terms as { weight: number; podAffinityTerm: PodAffinityTerm }[]) : [];
}
