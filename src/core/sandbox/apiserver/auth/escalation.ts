// RBAC's privilege-escalation prevention, as the rbac.authorization.k8s.io storage enforces it: a
// user may only create/update a Role or ClusterRole whose permissions they already hold (or with
// the "escalate" verb on it), and may only bind a role whose permissions they hold (or with the
// "bind" verb on it). system:masters is exempt.
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import { ALL, type PolicyRule, type RoleRef } from './rbac-rules.js';
import { SUPER_USER_GROUP, type AuthorizationDecision, type AuthorizationAttributes, type RulesResult } from './rbac.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface EscalationAuthorizer {
  authorize(attrs: AuthorizationAttributes): Promise<AuthorizationDecision>;
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult>;
  /** A role's effective rules (aggregation expanded); undefined when it does not exist. */
  roleRules(kind: string, namespace: string, name: string): Promise<PolicyRule[] | undefined>;
}

/** One rule per (group, resource, verb, resourceName) or (url, verb), as rbac's BreakdownRule. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
        for (const name of names) {
          const sub: PolicyRule = { apiGroups: [group], resources: [resource], verbs: [verb] };
          if (name !== undefined) sub.resourceNames = [name];
          out.push(sub);
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return out;
}

function hasAll(owner: string[] | undefined, wanted: string[] | undefined): boolean {
  return (wanted ?? []).every((w) => (owner ?? []).includes(w));
}

function resourcesCovered(owner: string[], servant: string[]): boolean {
  if (owner.includes(ALL) || hasAll(owner, servant)) return true;
  return servant.every((resource) => {
    if (owner.includes(resource)) return true;
    const slash = resource.indexOf('/');
    return slash >= 0 && owner.includes(`*/${resource.slice(slash + 1)}`);
  });
}

function urlsCovered(owner: string[], servant: string[]): boolean {
  return servant.every((url) => owner.some((o) => o === ALL || o === url || (o.endsWith('*') && url.startsWith(o.slice(0, -1)))));
}

/** Whether `owner` grants everything `servant` does (rbac's ruleCovers). */
export function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  const verbs = owner.verbs.includes(ALL) || hasAll(owner.verbs, servant.verbs);
  const groups = (owner.apiGroups ?? []).includes(ALL) || hasAll(owner.apiGroups, servant.apiGroups);
  const resources = resourcesCovered(owner.resources ?? [], servant.resources ?? []);
  const urls = urlsCovered(owner.nonResourceURLs ?? [], servant.nonResourceURLs ?? []);
  // An owner without resourceNames covers any; otherwise the servant must name only covered objects.
  const names =
    !owner.resourceNames?.length || (!!servant.resourceNames?.length && hasAll(owner.resourceNames, servant.resourceNames));
  return verbs && groups && resources && urls && names;
}

/** The parts of `requested` that `owner` does not grant (empty when fully covered). */
export function uncoveredRules(owner: PolicyRule[], requested: PolicyRule[]): PolicyRule[] {
  return requested.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}

function quoteList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** A rule as rbac's CompactString prints it: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${quoteList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${quoteList(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoteList(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${quoteList(rule.resourceNames)}`);
  parts.push(`Verbs:${quoteList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** Merge broken-down rules that differ only in verbs, then sort, as rbac's CompactRules + SortableRuleSlice. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
    const existing = merged.get(key);
    if (existing) {
      for (const verb of rule.verbs) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
    } else {
      merged.set(key, { ...rule, verbs: [...rule.verbs] });
    }
  }
  return [...merged.values()].sort((a, b) => compactRule(a).localeCompare(compactRule(b)));
}

function escalationForbidden(resource: string, name: string, user: UserInfo, missing: PolicyRule[], errors: string[]): ApiError {
  let message =
    `user ${JSON.stringify(user.username)} (groups=${quoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n` +
    compactRules(missing).map(compactRule).join('\n');
  if (errors.length) message += `; resolution errors: [${errors.join(' ')}]`;
  return ApiError.forbidden(`${resource}.${RBAC_GROUP} "${name}" is forbidden: ${message}`, { group: RBAC_GROUP, resource }, name);
}

async function verbAllowed(
  authorizer: EscalationAuthorizer,
  user: UserInfo,
  verb: 'escalate' | 'bind',
  resource: 'roles' | 'clusterroles',
  namespace: string,
  name: string,
): Promise<boolean> {
  const decision = await authorizer.authorize({ user, verb, group: RBAC_GROUP, resource, subresource: '', namespace, name });
  return decision.allowed;
}

/**
 * Before storing a Role (namespace set) or ClusterRole (namespace ""): throws 403 unless `user`
 * holds every permission in `rules` in that scope, or may "escalate" on it.
 */
export async function confirmNoRoleEscalation(
  authorizer: EscalationAuthorizer,
  user: UserInfo,
  role: { namespace: string; name: string; rules: PolicyRule[] },
): Promise<void> {
  if (user.groups.includes(SUPER_USER_GROUP)) return;
  const resource = role.namespace ? 'roles' : 'clusterroles';
  if (await verbAllowed(authorizer, user, 'escalate', resource, role.namespace, role.name)) return;
  const held = await authorizer.rulesFor(user, role.namespace);
  const missing = uncoveredRules(held.rules, role.rules);
  if (missing.length) throw escalationForbidden(resource, role.name, user, missing, held.errors);
}

/**
 * Before storing a RoleBinding (namespace set) or ClusterRoleBinding (namespace ""): throws 403
 * unless `user` may "bind" the referenced role or already holds all of its permissions.
 */
export async function confirmNoBindingEscalation(
  authorizer: EscalationAuthorizer,
  user: UserInfo,
  binding: { namespace: string; name: string; roleRef: RoleRef },
): Promise<void> {
  if (user.groups.includes(SUPER_USER_GROUP)) return;
  const { roleRef, namespace } = binding;
  const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
  // "bind" is checked in the binding's namespace, also for a ClusterRole bound by a RoleBinding.
  if (await verbAllowed(authorizer, user, 'bind', roleResource, namespace, roleRef.name)) return;
  const roleRules = await authorizer.roleRules(roleRef.kind, namespace, roleRef.name);
  const resource = namespace ? 'rolebindings' : 'clusterrolebindings';
  if (!roleRules) {
    const kind = roleRef.kind === 'Role' ? 'role' : 'clusterrole';
    throw ApiError.forbidden(
      `${resource}.${RBAC_GROUP} "${binding.name}" is forbidden: ${kind}.${RBAC_GROUP} "${roleRef.name}" not found`,
      { group: RBAC_GROUP, resource },
      binding.name,
    );
  }
  const held = await authorizer.rulesFor(user, namespace);
  const missing = uncoveredRules(held.rules, roleRules);
  if (missing.length) throw escalationForbidden(resource, binding.name, user, missing, held.errors);
}
