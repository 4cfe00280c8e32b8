import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import type { UserInfo } from '../../registry/types.js';
import { ApiError } from '../errors.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './bootstrap-policy.js';
import { confirmNoBindingEscalation, confirmNoRoleEscalation, ruleCovers, uncoveredRules } from './escalation.js';
import { MemoryRbacSource } from './memory-rbac-source.js';
import { RbacAuthorizer } from './rbac.js';

const jane: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters'] };

function bind(namespace: string | undefined, name: string, kind: string, roleName: string): KubeObject {
  return {
    kind: namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: namespace === undefined ? { name } : { namespace, name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
    subjects: [{ kind: 'User', name: 'jane' }],
  };
}

const source = new MemoryRbacSource([
  ...defaultClusterRoles(),
  ...defaultClusterRoleBindings(),
  { kind: 'Role', metadata: { namespace: 'dev', name: 'pods' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'create'] }] },
  bind('dev', 'jane-pods', 'Role', 'pods'),
]);
const authz = new RbacAuthorizer(source);

async function forbidden(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).code).toBe(403);
  return e as ApiError;
}

describe('rule coverage', () => {
  it('follows rbac semantics for names, subresources and URLs', () => {
    const podsGet = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
    expect(ruleCovers({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, podsGet)).toBe(true);
    expect(ruleCovers({ ...podsGet, resourceNames: ['a'] }, podsGet)).toBe(false);
    expect(ruleCovers(podsGet, { ...podsGet, resourceNames: ['a'] })).toBe(true);
    expect(ruleCovers({ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] })).toBe(true);
    expect(ruleCovers({ nonResourceURLs: ['/logs/*'], verbs: ['get'] }, { nonResourceURLs: ['/logs/a'], verbs: ['get'] })).toBe(true);
    expect(uncoveredRules([podsGet], [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }])).toHaveLength(3);
  });
});

describe('confirmNoRoleEscalation', () => {
  it('allows roles within what the user holds', async () => {
    await confirmNoRoleEscalation(authz, jane, { namespace: 'dev', name: 'r', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] });
  });

  it('refuses more, listing the missing permissions as kube-apiserver', async () => {
    const error = await forbidden(
      confirmNoRoleEscalation(authz, jane, {
        namespace: 'dev',
        name: 'r',
        rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'delete'] }],
      }),
    );
    expect(error.message).toBe(
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
    await forbidden(confirmNoRoleEscalation(authz, jane, { namespace: 'prod', name: 'r', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }));
  });

  it('lets system:masters and holders of "escalate" through', async () => {
    const rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    await confirmNoRoleEscalation(authz, admin, { namespace: '', name: 'all', rules });
    const withEscalate = new RbacAuthorizer(
      new MemoryRbacSource([
        ...source.objects,
        { kind: 'ClusterRole', metadata: { name: 'esc' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }] },
        bind(undefined, 'jane-esc', 'ClusterRole', 'esc'),
      ]),
    );
    await confirmNoRoleEscalation(withEscalate, jane, { namespace: '', name: 'all', rules });
  });
});

describe('confirmNoBindingEscalation', () => {
  it('allows binding a role whose permissions the user holds', async () => {
    await confirmNoBindingEscalation(authz, jane, { namespace: 'dev', name: 'b', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods' } });
  });

  it('refuses binding an aggregated ClusterRole the user does not hold, unless "bind" is granted', async () => {
    const error = await forbidden(
      confirmNoBindingEscalation(authz, jane, { namespace: 'dev', name: 'b', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }),
    );
    expect(error.message).toMatch(/^rolebindings.rbac.authorization.k8s.io "b" is forbidden: user "jane" .* not currently held:\n\{APIGroups:\[""\], Resources:\["bindings"\], Verbs:\["get" "list" "watch"\]\}/);
    const withBind = new RbacAuthorizer(
      new MemoryRbacSource([
        ...source.objects,
        { kind: 'Role', metadata: { namespace: 'dev', name: 'binder' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['view'], verbs: ['bind'] }] },
        bind('dev', 'jane-binder', 'Role', 'binder'),
      ]),
    );
    await confirmNoBindingEscalation(withBind, jane, { namespace: 'dev', name: 'b', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } });
  });

  it('reports a missing role', async () => {
    const error = await forbidden(
      confirmNoBindingEscalation(authz, jane, { namespace: 'dev', name: 'b', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nope' } }),
    );
    expect(error.message).toBe('rolebindings.rbac.authorization.k8s.io "b" is forbidden: role.rbac.authorization.k8s.io "nope" not found');
  });
});
