// The access and token reviews (`kubectl auth can-i`, `kubectl auth whoami`, TokenReview) as
// create-only virtual resources.
import type { VirtualCreate } from '../apiserver/http-types.js';
import type { Authenticator } from '../apiserver/auth/authenticator.js';
import type { RbacAuthorizer } from '../apiserver/auth/rbac.js';
import { reviewLocalSubjectAccess, reviewSelfSubject, reviewSelfSubjectAccess, reviewSelfSubjectRules, reviewSubjectAccess, reviewToken } from '../apiserver/auth/reviews.js';
import { DEFAULT_ISSUER } from '../apiserver/auth/tokens.js';

export function reviewHandlers(authorizer: RbacAuthorizer, authenticator: Authenticator): [string, VirtualCreate][] {
  const authz = 'authorization.k8s.io';
  return [
    [`${authz}/selfsubjectaccessreviews/`, async (user, _t, _n, body) => ({ object: await reviewSelfSubjectAccess(body, user, authorizer), code: 201 })],
    [`${authz}/subjectaccessreviews/`, async (_u, _t, _n, body) => ({ object: await reviewSubjectAccess(body, authorizer), code: 201 })],
    [`${authz}/localsubjectaccessreviews/`, async (_u, target, _n, body) => ({ object: await reviewLocalSubjectAccess(body, target.namespace, authorizer), code: 201 })],
    [`${authz}/selfsubjectrulesreviews/`, async (user, _t, _n, body) => ({ object: await reviewSelfSubjectRules(body, user, authorizer), code: 201 })],
    ['authentication.k8s.io/selfsubjectreviews/', async (user, _t, _n, body) => ({ object: reviewSelfSubject(body, user), code: 201 })],
    ['authentication.k8s.io/tokenreviews/', async (_u, _t, _n, body) => ({ object: await reviewToken(body, authenticator, [DEFAULT_ISSUER]), code: 201 })],
  ];
}
