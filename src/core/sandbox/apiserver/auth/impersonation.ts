// User impersonation (`kubectl --as=jane --as-group=devs`, `kubectl auth can-i ... --as=system:serviceaccount:dev:app`)
// as kube-apiserver's impersonation filter does it: every impersonated attribute needs the
// "impersonate" verb on users / groups / serviceaccounts / uids / userextras, checked through the
// authorizer, and the resulting user gets system:authenticated (or system:unauthenticated).
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import { AUTHENTICATED_GROUP } from './authenticator.js';
import { forbiddenError, type AuthorizationAttributes } from './rbac.js';
import type { Authorizer } from './reviews.js';

const SA_PREFIX = 'system:serviceaccount:';
const ANONYMOUS = 'system:anonymous';
const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
const EXTRA_PREFIX = 'impersonate-extra-';

/** Header values by lower-case name; pass node's `req.headersDistinct` so repeated headers stay separate. */
export type HeaderValues = Record<string, string | string[] | undefined>;

function values(headers: HeaderValues, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function hasImpersonationHeaders(headers: HeaderValues): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase().startsWith('impersonate-'));
}

/**
 * The user the request acts as: `requester` when no Impersonate-* headers are present, else the
 * impersonated user once every part of it has been authorized. Throws ApiError (403, or 500 for
 * groups/extra/uid without a user, as kube-apiserver).
 */
export async function impersonate(headers: HeaderValues, requester: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  const lower: HeaderValues = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  if (!hasImpersonationHeaders(lower)) return requester;

  const users = values(lower, 'impersonate-user');
  const groups = values(lower, 'impersonate-group');
  const uids = values(lower, 'impersonate-uid');
  const extra: Record<string, string[]> = {};
  for (const name of Object.keys(lower)) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    let key = name.slice(EXTRA_PREFIX.length);
    try {
      key = decodeURIComponent(key).toLowerCase();
    } catch {
      throw ApiError.badRequest(`invalid impersonation extra key "${key}": percent-encoding is malformed`);
    }
    extra[key] = values(lower, name);
  }
  if (users.length === 0 || users[0] === '') {
    throw ApiError.internal('requested impersonation of groups, extra or uid without impersonating a user; add --as');
  }
  if (users.length > 1 || uids.length > 1) throw ApiError.badRequest('only one Impersonate-User and one Impersonate-Uid header may be given');

  const check = async (attrs: Omit<AuthorizationAttributes, 'user' | 'verb'>) => {
    const full: AuthorizationAttributes = { ...attrs, user: requester, verb: 'impersonate' };
    const decision = await authorizer.authorize(full);
    if (!decision.allowed) throw forbiddenError(full, decision.reason);
  };

  const username = users[0];
  let impersonatedGroups = [...groups];
  if (username.startsWith(SA_PREFIX)) {
    const [namespace, name] = username.slice(SA_PREFIX.length).split(':');
    if (!namespace || !name) throw ApiError.badRequest(`invalid service account username "${username}"`);
    await check({ group: '', resource: 'serviceaccounts', subresource: '', namespace, name });
    if (groups.length === 0) impersonatedGroups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
  } else {
    await check({ group: '', resource: 'users', subresource: '', namespace: '', name: username });
  }
  for (const group of groups) await check({ group: '', resource: 'groups', subresource: '', namespace: '', name: group });
  for (const [key, list] of Object.entries(extra)) {
    for (const value of list) await check({ group: 'authentication.k8s.io', resource: 'userextras', subresource: key, namespace: '', name: value });
  }
  if (uids[0] !== undefined) await check({ group: 'authentication.k8s.io', resource: 'uids', subresource: '', namespace: '', name: uids[0] });

  const marker = username === ANONYMOUS ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP;
  if (!impersonatedGroups.includes(AUTHENTICATED_GROUP) && !impersonatedGroups.includes(UNAUTHENTICATED_GROUP)) {
    impersonatedGroups.push(marker);
  }
  const user: UserInfo = { username, groups: impersonatedGroups };
  if (uids[0] !== undefined) user.uid = uids[0];
  if (Object.keys(extra).length > 0) user.extra = extra;
  return user;
}
