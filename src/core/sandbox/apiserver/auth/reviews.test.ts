import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './bootstrap-policy.js';
import { MemoryRbacSource } from './memory-rbac-source.js';
import { RbacAuthorizer } from './rbac.js';
import {
  reviewLocalSubjectAccess,
  reviewSelfSubject,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
  reviewToken,
} from './reviews.js';

const jane: UserInfo = { username: 'jane', groups: ['system:authenticated'] };
const source = new MemoryRbacSource([
  ...defaultClusterRoles(),
  ...defaultClusterRoleBindings(),
  { kind: 'Role', metadata: { namespace: 'dev', name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['get'] }] },
  {
    kind: 'RoleBinding',
    metadata: { namespace: 'dev', name: 'b' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'jane' }],
  },
  {
    kind: 'RoleBinding',
    metadata: { namespace: 'broken', name: 'b' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' },
    subjects: [{ kind: 'User', name: 'jane' }],
  },
]);
const authz = new RbacAuthorizer(source);

function review(kind: string, spec: Record<string, unknown>, group = 'authorization.k8s.io'): KubeObject {
  return { apiVersion: `${group}/v1`, kind, metadata: {}, spec };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('access reviews', () => {
  it('answers SelfSubjectAccessReview for the requester', async () => {
    const yes = await reviewSelfSubjectAccess(review('SelfSubjectAccessReview', { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', name: 'web' } }), jane, authz);
    expect(yes.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "b/dev" of Role "r" to User "jane"' });
    expect(yes.spec).toEqual({ resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', name: 'web' } });
    const no = await reviewSelfSubjectAccess(review('SelfSubjectAccessReview', { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }), jane, authz);
    expect(no.status).toEqual({ allowed: false });
    const path = await reviewSelfSubjectAccess(review('SelfSubjectAccessReview', { nonResourceAttributes: { path: '/version', verb: 'get' } }), jane, authz);
    expect(path.status).toMatchObject({ allowed: true });
  });

  it('rejects reviews without exactly one kind of attributes', async () => {
    const none = await apiError(reviewSelfSubjectAccess(review('SelfSubjectAccessReview', {}), jane, authz));
    expect(none.code).toBe(422);
    expect(none.message).toContain('spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
    const both = await apiError(
      reviewSelfSubjectAccess(review('SelfSubjectAccessReview', { resourceAttributes: {}, nonResourceAttributes: {} }), jane, authz),
    );
    expect(both.message).toContain('cannot be specified in combination with resourceAttributes');
  });

  it('answers SubjectAccessReview for the subject in spec, without adding groups', async () => {
    const out = await reviewSubjectAccess(
      review('SubjectAccessReview', { user: 'jane', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', name: 'web' } }),
      authz,
    );
    expect(out.status).toMatchObject({ allowed: true });
    const groupOnly = await reviewSubjectAccess(review('SubjectAccessReview', { groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } }), authz);
    expect(groupOnly.status).toEqual({ allowed: true });
    const discovery = await reviewSubjectAccess(review('SubjectAccessReview', { user: 'jane', nonResourceAttributes: { path: '/api', verb: 'get' } }), authz);
    expect(discovery.status).toEqual({ allowed: false }); // not in system:authenticated unless the spec says so
    const err = await apiError(reviewSubjectAccess(review('SubjectAccessReview', { resourceAttributes: { verb: 'get', resource: 'pods' } }), authz));
    expect(err.message).toContain('spec.user: Invalid value: "": at least one of user or group must be specified');
  });

  it('reports missing roles in the reason', async () => {
    const out = await reviewSelfSubjectAccess(review('SelfSubjectAccessReview', { resourceAttributes: { namespace: 'broken', verb: 'get', resource: 'pods' } }), jane, authz);
    expect(out.status).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "missing" not found' });
  });

  it('confines LocalSubjectAccessReview to its namespace', async () => {
    const body = review('LocalSubjectAccessReview', { user: 'jane', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', name: 'web' } });
    expect((await reviewLocalSubjectAccess(body, 'dev', authz)).status).toMatchObject({ allowed: true });
    const mismatch = await apiError(reviewLocalSubjectAccess(body, 'prod', authz));
    expect(mismatch.status).toMatchObject({ code: 400, message: 'spec.resourceAttributes.namespace must match namespace: prod' });
    const nonResource = await apiError(reviewLocalSubjectAccess(review('LocalSubjectAccessReview', { user: 'jane', nonResourceAttributes: { path: '/', verb: 'get' } }), 'dev', authz));
    expect(nonResource.message).toContain('disallowed on this kind of request');
  });
});

describe('SelfSubjectRulesReview', () => {
  it('lists resource and non-resource rules in the namespace', async () => {
    const out = await reviewSelfSubjectRules(review('SelfSubjectRulesReview', { namespace: 'dev' }), jane, authz);
    const status = out.status as { resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean };
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules).toContainEqual({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] });
    expect(status.resourceRules).toContainEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
    expect(status.nonResourceRules).toContainEqual({ verbs: ['get'], nonResourceURLs: expect.arrayContaining(['/healthz', '/version']) });
  });

  it('marks the result incomplete when a binding points nowhere', async () => {
    const out = await reviewSelfSubjectRules(review('SelfSubjectRulesReview', { namespace: 'broken' }), jane, authz);
    expect(out.status).toMatchObject({ incomplete: true, evaluationError: 'role.rbac.authorization.k8s.io "missing" not found' });
  });
});

describe('authentication reviews', () => {
  it('returns the requester for SelfSubjectReview', () => {
    const sa: UserInfo = { username: 'system:serviceaccount:dev:app', uid: 'u1', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { k: ['v'] } };
    const out = reviewSelfSubject({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} }, sa);
    expect(out).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      status: { userInfo: { username: 'system:serviceaccount:dev:app', uid: 'u1', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { k: ['v'] } } },
    });
  });

  it('answers TokenReview through the authenticator', async () => {
    const authenticator = {
      authenticate: async ({ authorization }: { authorization?: string }) => (authorization === 'Bearer good' ? jane : undefined),
    };
    const good = await reviewToken(review('TokenReview', { token: 'good' }, 'authentication.k8s.io'), authenticator, ['api']);
    expect(good.status).toEqual({ authenticated: true, user: { username: 'jane', groups: ['system:authenticated'] }, audiences: ['api'] });
    const bad = await reviewToken(review('TokenReview', { token: 'bad' }, 'authentication.k8s.io'), authenticator, ['api']);
    expect(bad.status).toMatchObject({ user: {} });
    expect((bad.status as { authenticated?: boolean }).authenticated).toBeUndefined();
    const other = await reviewToken(review('TokenReview', { token: 'good', audiences: ['vault'] }, 'authentication.k8s.io'), authenticator, ['api']);
    expect((other.status as { authenticated?: boolean }).authenticated).toBeUndefined();
  });
});
