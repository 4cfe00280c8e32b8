// Authorization as kube-apiserver configures it by default (--authorization-mode=Node,RBAC), minus
// the Node authorizer: members of system:masters may do anything, everyone else gets what RBAC
// bindings grant. The forbidden messages are kube-apiserver's, word for word, because kubectl users
// (and course material) read them.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import type { UserInfo } from '../../registry/types.js';
import {
  aggregationSelectors,
  labelSelectorMatches,
  roleRefOf,
  ruleAllows,
  rulesOf,
  subjectsOf,
  type PolicyRule,
  type RuleRequest,
  type Subject,
} from './rbac-rules.js';
import { serviceAccountUsername } from './tokens.js';

export const SUPER_USER_GROUP = 'system:masters';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Where RBAC objects come from (the server backs it by storage). Objects are plain API objects. */
export interface RbacSource {
  listClusterRoleBindings(): Promise<KubeObject[]>;
  listRoleBindings(namespace: string): Promise<KubeObject[]>;
  getRole(namespace: string, name: string): Promise<KubeObject | undefined>;
  getClusterRole(name: string): Promise<KubeObject | undefined>;
  /**
   * When given, aggregated ClusterRoles (aggregationRule) are resolved from their selectors at
   * evaluation time, so they work even before a controller has written their rules.
   */
  listClusterRoles?(): Promise<KubeObject[]>;
}

export interface AuthorizationAttributes extends RuleRequest {
  user: UserInfo;
  /** "" for cluster-scoped resources, all-namespace lists and non-resource requests. */
  namespace: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** "RBAC: allowed by ..." when allowed; on denial, lookup errors ("RBAC: ... not found") or "". */
  reason: string;
}

export interface RulesResult {
  rules: PolicyRule[];
  /** Lookup failures (missing roles): the rule list is incomplete. */
  errors: string[];
}

type Visitor = (describe: () => string, rule: PolicyRule) => boolean;

function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.username === serviceAccountUsername(namespace, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const namespace = subject.namespace || bindingNamespace;
    return `${subject.kind} "${namespace ? `${subject.name}/${namespace}` : subject.name}"`;
  }
  return `${subject.kind} "${subject.name}"`;
}

function notFound(kind: 'role' | 'clusterrole', name: string): string {
  return `${kind}.${RBAC_GROUP} "${name}" not found`;
}

/** utilerrors.NewAggregate's message. */
function aggregateErrors(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  async authorize(attrs: AuthorizationAttributes): Promise<AuthorizationDecision> {
    if (attrs.user.groups.includes(SUPER_USER_GROUP)) return { allowed: true, reason: '' };
    let reason = '';
    const errors = await this.visitRules(attrs.user, attrs.namespace, (describe, rule) => {
      if (!ruleAllows(attrs, rule)) return true;
      reason = `RBAC: allowed by ${describe()}`;
      return false;
    });
    if (reason) return { allowed: true, reason };
    return { allowed: false, reason: errors.length ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  /** Every rule that applies to `user` in `namespace` ("" for cluster-wide only), for SelfSubjectRulesReview. */
  async rulesFor(user: UserInfo, namespace: string): Promise<RulesResult> {
    const rules: PolicyRule[] = [];
    const errors = await this.visitRules(user, namespace, (_describe, rule) => {
      rules.push(rule);
      return true;
    });
    return { rules, errors };
  }

  /** A Role's or ClusterRole's effective rules (aggregation expanded); undefined when it does not exist. */
  async roleRules(kind: string, namespace: string, name: string): Promise<PolicyRule[] | undefined> {
    return new RoleResolver(this.source).rules(kind, namespace, name);
  }

  /** ClusterRoleBindings, then RoleBindings of `namespace`, as rbac's VisitRulesFor. Returns lookup errors. */
  private async visitRules(user: UserInfo, namespace: string, visit: Visitor): Promise<string[]> {
    const errors: string[] = [];
    const resolver = new RoleResolver(this.source);
    const [clusterBindings, roleBindings] = await Promise.all([
      this.source.listClusterRoleBindings(),
      namespace ? this.source.listRoleBindings(namespace) : Promise.resolve([]),
    ]);

    const bindings = [
      ...clusterBindings.map((b) => ({ binding: b, namespace: '', cluster: true })),
      ...roleBindings.map((b) => ({ binding: b, namespace, cluster: false })),
    ];
    for (const { binding, namespace: bindingNamespace, cluster } of bindings) {
      const subject = subjectsOf(binding).find((s) => appliesTo(user, s, bindingNamespace));
      const ref = roleRefOf(binding);
      if (!subject || !ref) continue;
      const rules = await resolver.rules(ref.kind, bindingNamespace, ref.name);
      if (!rules) {
        errors.push(notFound(ref.kind === 'ClusterRole' ? 'clusterrole' : 'role', ref.name));
        continue;
      }
      const bindingName = cluster ? binding.metadata.name ?? '' : `${binding.metadata.name ?? ''}/${bindingNamespace}`;
      const describe = () =>
        `${cluster ? 'ClusterRoleBinding' : 'RoleBinding'} "${bindingName}" of ${ref.kind} "${ref.name}" to ${describeSubject(subject, bindingNamespace)}`;
      for (const rule of rules) {
        if (!visit(describe, rule)) return errors;
      }
    }
    return errors;
  }
}

/** Role lookups for one evaluation, with aggregated ClusterRoles expanded (memoized, cycle-safe). */
class RoleResolver {
  private allClusterRoles?: Promise<KubeObject[]>;
  private readonly expanded = new Map<string, PolicyRule[]>();

  constructor(private readonly source: RbacSource) {}

  async rules(kind: string, namespace: string, name: string): Promise<PolicyRule[] | undefined> {
    if (kind === 'Role') {
      const role = namespace ? await this.source.getRole(namespace, name) : undefined;
      return role ? rulesOf(role) : undefined;
    }
    if (kind !== 'ClusterRole') return undefined;
    const role = await this.source.getClusterRole(name);
    if (!role) return undefined;
    if (!aggregationSelectors(role) || !this.source.listClusterRoles) return rulesOf(role);
    this.allClusterRoles ??= this.source.listClusterRoles();
    return this.expand(role, await this.allClusterRoles, new Set());
  }

  private expand(role: KubeObject, all: KubeObject[], visiting: Set<string>): PolicyRule[] {
    const name = role.metadata.name ?? '';
    const memo = this.expanded.get(name);
    if (memo) return memo;
    const rules = [...rulesOf(role)];
    const selectors = aggregationSelectors(role);
    if (selectors && !visiting.has(name)) {
      visiting.add(name);
      for (const other of all) {
        if (other.metadata.name === name || !selectors.some((s) => labelSelectorMatches(s, other.metadata.labels))) continue;
        rules.push(...this.expand(other, all, visiting));
      }
      visiting.delete(name);
    }
    this.expanded.set(name, rules);
    return rules;
  }
}

/** `User "x" cannot list resource "pods" in API group "" in the namespace "default"`, as kube-apiserver words it. */
export function forbiddenMessage(attrs: AuthorizationAttributes): string {
  const user = attrs.user.username;
  if (attrs.nonResourcePath !== undefined) return `User "${user}" cannot ${attrs.verb} path "${attrs.nonResourcePath}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
}

/**
 * The 403 kube-apiserver answers: `pods "x" is forbidden: User ...`, `deployments.apps is forbidden: ...`
 * or, for paths, `forbidden: User "x" cannot get path "/foo"`; a non-empty reason is appended.
 */
export function forbiddenError(attrs: AuthorizationAttributes, reason = ''): ApiError {
  const detail = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  if (attrs.nonResourcePath !== undefined) return ApiError.forbidden(`forbidden: ${detail}`);
  const qualified = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const subject = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  return ApiError.forbidden(`${subject} is forbidden: ${detail}`, { group: attrs.group, resource: attrs.resource }, attrs.name || undefined);
}

export type { PolicyRule, Subject, RoleRef, RuleRequest } from './rbac-rules.js';
export { aggregateClusterRoles, ruleAllows } from './rbac-rules.js';
