import { describe, expect, it } from 'vitest';
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './bootstrap-policy.js';
import { impersonate } from './impersonation.js';
import { MemoryRbacSource } from './memory-rbac-source.js';
import { RbacAuthorizer } from './rbac.js';

const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const jane: UserInfo = { username: 'jane', groups: ['system:authenticated'] };
const authz = new RbacAuthorizer(
  new MemoryRbacSource([
    ...defaultClusterRoles(),
    ...defaultClusterRoleBindings(),
    {
      kind: 'ClusterRole',
      metadata: { name: 'impersonate-bob' },
      rules: [{ apiGroups: [''], resources: ['users'], resourceNames: ['bob'], verbs: ['impersonate'] }],
    },
    {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'jane-as-bob' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonate-bob' },
      subjects: [{ kind: 'User', name: 'jane' }],
    },
  ]),
);

async function error(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('impersonate', () => {
  it('passes the requester through without headers', async () => {
    expect(await impersonate({ accept: 'application/json' }, jane, authz)).toBe(jane);
  });

  it('lets a super-user act as anyone, adding system:authenticated', async () => {
    expect(await impersonate({ 'impersonate-user': 'alice', 'impersonate-group': ['devs', 'qa'] }, admin, authz)).toEqual({
      username: 'alice',
      groups: ['devs', 'qa', 'system:authenticated'],
    });
    expect(await impersonate({ 'Impersonate-User': 'system:serviceaccount:dev:app' }, admin, authz)).toEqual({
      username: 'system:serviceaccount:dev:app',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
    });
    expect(await impersonate({ 'impersonate-user': 'system:anonymous' }, admin, authz)).toEqual({
      username: 'system:anonymous',
      groups: ['system:unauthenticated'],
    });
    expect(
      await impersonate({ 'impersonate-user': 'x', 'impersonate-uid': 'u1', 'impersonate-extra-scopes%2Fa': ['r', 'w'] }, admin, authz),
    ).toEqual({ username: 'x', uid: 'u1', groups: ['system:authenticated'], extra: { 'scopes/a': ['r', 'w'] } });
  });

  it('checks the impersonate verb per attribute with kube-apiserver messages', async () => {
    expect((await impersonate({ 'impersonate-user': 'bob' }, jane, authz)).username).toBe('bob');
    const carol = await error(impersonate({ 'impersonate-user': 'carol' }, jane, authz));
    expect(carol.status).toMatchObject({
      code: 403,
      message: 'users "carol" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
    });
    const group = await error(impersonate({ 'impersonate-user': 'bob', 'impersonate-group': 'system:masters' }, jane, authz));
    expect(group.message).toBe('groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope');
    const sa = await error(impersonate({ 'impersonate-user': 'system:serviceaccount:dev:app' }, jane, authz));
    expect(sa.message).toBe(
      'serviceaccounts "app" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"',
    );
  });

  it('refuses groups without a user', async () => {
    expect((await error(impersonate({ 'impersonate-group': 'devs' }, admin, authz))).code).toBe(500);
  });
});
