// RBAC's building blocks: reading rules/subjects/roleRefs out of plain objects, matching one rule
// against one request (with kube-apiserver's wildcard semantics), label selectors for aggregated
// ClusterRoles, and the aggregation itself (what the clusterrole-aggregation controller writes).
import type { KubeObject } from '../../../../shared/kube.js';
import { labelSelectorObjectMatches } from '../../registry/selectors/index.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/** What one request asks for, as authorizer.Attributes. */
export interface RuleRequest {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  name: string;
  /** Set for non-resource requests ("/healthz", "/api"). */
  nonResourcePath?: string;
}

export const ALL = '*';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** A Role's or ClusterRole's rules; malformed entries are skipped (storage validated them). */
export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  if (!role || !Array.isArray(role.rules)) return [];
  const rules: PolicyRule[] = [];
  for (const raw of role.rules) {
    if (!isRecord(raw)) continue;
    const rule: PolicyRule = { verbs: strings(raw.verbs) ?? [] };
    for (const field of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
      const list = strings(raw[field]);
      if (list) rule[field] = list;
    }
    rules.push(rule);
  }
  return rules;
}

export function subjectsOf(binding: KubeObject): Subject[] {
  if (!Array.isArray(binding.subjects)) return [];
  return binding.subjects.flatMap((raw): Subject[] => {
    if (!isRecord(raw) || typeof raw.kind !== 'string' || typeof raw.name !== 'string') return [];
    const subject: Subject = { kind: raw.kind, name: raw.name };
    if (typeof raw.apiGroup === 'string') subject.apiGroup = raw.apiGroup;
    if (typeof raw.namespace === 'string') subject.namespace = raw.namespace;
    return [subject];
  });
}

export function roleRefOf(binding: KubeObject): RoleRef | undefined {
  const ref = binding.roleRef;
  if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { apiGroup: typeof ref.apiGroup === 'string' ? ref.apiGroup : '', kind: ref.kind, name: ref.name };
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/** "pods", "pods/log", "*" and "*\/scale" as kube-apiserver's ResourceMatches. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => {
    if (r === ALL || r === combined) return true;
    return subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource);
  });
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((url) => {
    if (url === ALL || url === path) return true;
    return url.endsWith('*') && path.startsWith(url.slice(0, -1));
  });
}

export function ruleAllows(request: RuleRequest, rule: PolicyRule): boolean {
  if (request.nonResourcePath !== undefined) {
    return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.nonResourcePath);
  }
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.group) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

// ---- label selectors (metav1.LabelSelector) ----

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  return labelSelectorObjectMatches(selector, labels);
}

/** A ClusterRole's aggregationRule.clusterRoleSelectors, or undefined when it is not aggregated. */
export function aggregationSelectors(role: KubeObject): LabelSelector[] | undefined {
  const rule = role.aggregationRule;
  if (!isRecord(rule) || !Array.isArray(rule.clusterRoleSelectors)) return undefined;
  return rule.clusterRoleSelectors.filter(isRecord).map((s) => {
    const selector: LabelSelector = {};
    if (isRecord(s.matchLabels)) {
      selector.matchLabels = Object.fromEntries(Object.entries(s.matchLabels).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    if (Array.isArray(s.matchExpressions)) {
      selector.matchExpressions = s.matchExpressions.filter(isRecord).flatMap((e) =>
        typeof e.key === 'string' && typeof e.operator === 'string' ? [{ key: e.key, operator: e.operator, values: strings(e.values) }] : [],
      );
    }
    return selector;
  });
}

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return JSON.stringify(normalizeRule(a)) === JSON.stringify(normalizeRule(b));
}

function normalizeRule(rule: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: rule.verbs };
  if (rule.apiGroups?.length) out.apiGroups = rule.apiGroups;
  if (rule.resources?.length) out.resources = rule.resources;
  if (rule.resourceNames?.length) out.resourceNames = rule.resourceNames;
  if (rule.nonResourceURLs?.length) out.nonResourceURLs = rule.nonResourceURLs;
  return out;
}

/** Rules an aggregated role gets from `roles` (by name order, duplicates dropped, itself excluded). */
export function aggregatedRules(role: KubeObject, roles: KubeObject[]): PolicyRule[] | undefined {
  const selectors = aggregationSelectors(role);
  if (!selectors) return undefined;
  const rules: PolicyRule[] = [];
  const sorted = [...roles].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const other of sorted) {
    if (other.metadata.name === role.metadata.name) continue;
    if (!selectors.some((s) => labelSelectorMatches(s, other.metadata.labels))) continue;
    for (const rule of rulesOf(other)) {
      if (!rules.some((r) => sameRule(r, rule))) rules.push(normalizeRule(rule));
    }
  }
  return rules;
}

/**
 * Fill every aggregated ClusterRole's rules from the roles its selectors pick, repeating until
 * nothing changes (admin aggregates edit, which aggregates view). Returns only the roles whose rules
 * changed, as copies: the caller writes them back, as the clusterrole-aggregation controller does.
 */
export function aggregateClusterRoles(roles: KubeObject[]): KubeObject[] {
  const current = new Map(roles.map((r) => [r.metadata.name ?? '', r] as const));
  const changed = new Map<string, KubeObject>();
  for (let pass = 0; pass <= roles.length; pass++) {
    let progress = false;
    for (const role of current.values()) {
      const rules = aggregatedRules(role, [...current.values()]);
      if (!rules) continue;
      const before = rulesOf(role).map(normalizeRule);
      if (before.length === rules.length && before.every((r, i) => sameRule(r, rules[i]))) continue;
      const updated: KubeObject = { ...role, rules };
      current.set(role.metadata.name ?? '', updated);
      changed.set(role.metadata.name ?? '', updated);
      progress = true;
    }
    if (!progress) break;
  }
  return [...changed.values()];
}
