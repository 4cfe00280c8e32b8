// The create-only review resources kubectl relies on: `kubectl auth can-i` (SelfSubjectAccessReview),
// `kubectl auth can-i --list` (SelfSubjectRulesReview), `kubectl auth whoami` (SelfSubjectReview),
// plus SubjectAccessReview, LocalSubjectAccessReview and TokenReview. Each takes the request body
// and returns it with status filled, or throws ApiError as kube-apiserver would.
import type { KubeObject, StatusCause } from '../../../../shared/kube.js';
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import type { AuthorizationAttributes, AuthorizationDecision, RulesResult } from './rbac.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

export interface Authorizer {
  authorize(attrs: AuthorizationAttributes): Promise<AuthorizationDecision>;
}

export interface RulesResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult>;
}

export interface TokenAuthenticator {
  authenticate(input: { authorization?: string }): Promise<UserInfo | undefined>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function spec(review: KubeObject): Record<string, unknown> {
  return isRecord(review.spec) ? review.spec : {};
}

function invalid(kind: string, group: string, review: KubeObject, causes: StatusCause[]): ApiError {
  return ApiError.invalid(kind, group, review.metadata?.name ?? '', causes);
}

function cause(field: string, value: string, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${value}: ${message}` };
}

function respond(review: KubeObject, kind: string, group: string, status: Record<string, unknown>): KubeObject {
  return { ...review, apiVersion: `${group}/v1`, kind, metadata: isRecord(review.metadata) ? { ...review.metadata } : {}, status };
}

/** spec.resourceAttributes / spec.nonResourceAttributes → authorizer attributes for `user`. */
function attributesOf(s: Record<string, unknown>, user: UserInfo): AuthorizationAttributes {
  const nonResource = s.nonResourceAttributes;
  if (isRecord(nonResource)) {
    return { user, verb: str(nonResource.verb), group: '', resource: '', subresource: '', namespace: '', name: '', nonResourcePath: str(nonResource.path) };
  }
  const r = isRecord(s.resourceAttributes) ? s.resourceAttributes : {};
  return {
    user,
    verb: str(r.verb),
    group: str(r.group),
    resource: str(r.resource),
    subresource: str(r.subresource),
    namespace: str(r.namespace),
    name: str(r.name),
  };
}

function validateAttributes(kind: string, review: KubeObject): void {
  const s = spec(review);
  const hasResource = isRecord(s.resourceAttributes);
  const hasNonResource = isRecord(s.nonResourceAttributes);
  if (hasResource && hasNonResource) {
    throw invalid(kind, AUTHORIZATION_GROUP, review, [
      cause('spec.nonResourceAttributes', JSON.stringify(s.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'),
    ]);
  }
  if (!hasResource && !hasNonResource) {
    throw invalid(kind, AUTHORIZATION_GROUP, review, [
      cause('spec.resourceAttributes', '"null"', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'),
    ]);
  }
}

function accessStatus(decision: AuthorizationDecision): Record<string, unknown> {
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return status;
}

/** `kubectl auth can-i`: may the requester do this? */
export async function reviewSelfSubjectAccess(review: KubeObject, requester: UserInfo, authorizer: Authorizer): Promise<KubeObject> {
  validateAttributes('SelfSubjectAccessReview', review);
  const decision = await authorizer.authorize(attributesOf(spec(review), requester));
  return respond(review, 'SelfSubjectAccessReview', AUTHORIZATION_GROUP, accessStatus(decision));
}

function subjectOf(s: Record<string, unknown>): UserInfo {
  const user: UserInfo = {
    username: str(s.user),
    groups: Array.isArray(s.groups) ? s.groups.filter((g): g is string => typeof g === 'string') : [],
  };
  if (str(s.uid)) user.uid = str(s.uid);
  if (isRecord(s.extra)) {
    user.extra = Object.fromEntries(
      Object.entries(s.extra).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []]),
    );
  }
  return user;
}

function validateSubject(kind: string, review: KubeObject): void {
  const user = subjectOf(spec(review));
  if (user.username === '' && user.groups.length === 0) {
    throw invalid(kind, AUTHORIZATION_GROUP, review, [cause('spec.user', '""', 'at least one of user or group must be specified')]);
  }
}

/** May the user in spec (user/groups/uid/extra, taken as given) do this? Cluster-scoped. */
export async function reviewSubjectAccess(review: KubeObject, authorizer: Authorizer): Promise<KubeObject> {
  validateAttributes('SubjectAccessReview', review);
  validateSubject('SubjectAccessReview', review);
  const s = spec(review);
  const decision = await authorizer.authorize(attributesOf(s, subjectOf(s)));
  return respond(review, 'SubjectAccessReview', AUTHORIZATION_GROUP, accessStatus(decision));
}

/** SubjectAccessReview confined to the namespace it is created in. */
export async function reviewLocalSubjectAccess(review: KubeObject, namespace: string, authorizer: Authorizer): Promise<KubeObject> {
  const kind = 'LocalSubjectAccessReview';
  const s = spec(review);
  if (isRecord(s.nonResourceAttributes)) {
    throw invalid(kind, AUTHORIZATION_GROUP, review, [
      cause('spec.nonResourceAttributes', JSON.stringify(s.nonResourceAttributes), 'disallowed on this kind of request'),
    ]);
  }
  validateAttributes(kind, review);
  validateSubject(kind, review);
  if (!namespace) throw ApiError.badRequest(`namespace is required on this type: ${namespace}`);
  const attrs = attributesOf(s, subjectOf(s));
  if (attrs.namespace !== namespace) throw ApiError.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
  const decision = await authorizer.authorize(attrs);
  const out = respond(review, kind, AUTHORIZATION_GROUP, accessStatus(decision));
  out.metadata = { ...out.metadata, namespace };
  return out;
}

/** `kubectl auth can-i --list`: the requester's rules in spec.namespace. */
export async function reviewSelfSubjectRules(review: KubeObject, requester: UserInfo, resolver: RulesResolver): Promise<KubeObject> {
  const { rules, errors } = await resolver.rulesFor(requester, str(spec(review).namespace));
  const resourceRules: Record<string, unknown>[] = [];
  const nonResourceRules: Record<string, unknown>[] = [];
  for (const rule of rules) {
    if (rule.nonResourceURLs?.length) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    if (rule.resources?.length || rule.apiGroups?.length) {
      const entry: Record<string, unknown> = { verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [] };
      if (rule.resourceNames?.length) entry.resourceNames = rule.resourceNames;
      resourceRules.push(entry);
    }
  }
  const status: Record<string, unknown> = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length) status.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return respond(review, 'SelfSubjectRulesReview', AUTHORIZATION_GROUP, status);
}

function userInfoJson(user: UserInfo): Record<string, unknown> {
  const info: Record<string, unknown> = { username: user.username };
  if (user.uid) info.uid = user.uid;
  info.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) info.extra = user.extra;
  return info;
}

/** `kubectl auth whoami` (authentication.k8s.io/v1 SelfSubjectReview). */
export function reviewSelfSubject(review: KubeObject, requester: UserInfo): KubeObject {
  return respond(review, 'SelfSubjectReview', AUTHENTICATION_GROUP, { userInfo: userInfoJson(requester) });
}

/** TokenReview: does spec.token authenticate, and as whom. */
export async function reviewToken(review: KubeObject, authenticator: TokenAuthenticator, apiAudiences: string[]): Promise<KubeObject> {
  const s = spec(review);
  const token = str(s.token);
  if (!token) throw invalid('TokenReview', AUTHENTICATION_GROUP, review, [{ reason: 'FieldValueRequired', field: 'spec.token', message: 'Required value' }]);
  const requested = Array.isArray(s.audiences) ? s.audiences.filter((a): a is string => typeof a === 'string') : [];
  // Only API-server audiences are verifiable here; a review for another audience cannot succeed.
  const audiences = requested.length ? requested.filter((a) => apiAudiences.includes(a)) : apiAudiences;
  const user = audiences.length ? await authenticator.authenticate({ authorization: `Bearer ${token}` }) : undefined;
  const status: Record<string, unknown> = user
    ? { authenticated: true, user: userInfoJson(user), audiences }
    : { user: {}, error: '[invalid bearer token, token lookup failed]' };
  return respond(review, 'TokenReview', AUTHENTICATION_GROUP, status);
}
