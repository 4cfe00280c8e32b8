import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import type { UserInfo } from '../../registry/types.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './bootstrap-policy.js';
import { aggregateClusterRoles, forbiddenError, forbiddenMessage, RbacAuthorizer, type AuthorizationAttributes } from './rbac.js';
import { MemoryRbacSource } from './memory-rbac-source.js';

const jane: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const app: UserInfo = {
  username: 'system:serviceaccount:dev:app',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
};

function role(namespace: string, name: string, rules: unknown[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { namespace, name }, rules };
}
function clusterRole(name: string, rules: unknown[], labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules };
}
function binding(namespace: string | undefined, name: string, roleKind: string, roleName: string, subjects: unknown[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: namespace === undefined ? { name } : { namespace, name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects,
  };
}
const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });

function req(user: UserInfo, verb: string, resource: string, namespace = '', extra: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes {
  const [res, sub = ''] = resource.split('/');
  return { user, verb, group: '', resource: res, subresource: sub, namespace, name: '', ...extra };
}

/** Bootstrap policy with aggregated roles emptied, as stored before any aggregation ran. */
function bootstrap(): KubeObject[] {
  return [...defaultClusterRoles().map((r) => (r.aggregationRule ? { ...r, rules: [] } : r)), ...defaultClusterRoleBindings()];
}

describe('RbacAuthorizer', () => {
  it('lets system:masters do anything', async () => {
    const authz = new RbacAuthorizer(new MemoryRbacSource());
    const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    expect(await authz.authorize(req(admin, 'delete', 'nodes'))).toEqual({ allowed: true, reason: '' });
  });

  it('grants a namespaced Role through a RoleBinding, only in that namespace', async () => {
    const source = new MemoryRbacSource([
      role('dev', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]),
      binding('dev', 'read-pods', 'Role', 'pod-reader', [user('jane')]),
    ]);
    const authz = new RbacAuthorizer(source);
    expect(await authz.authorize(req(jane, 'list', 'pods', 'dev'))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "jane"',
    });
    expect((await authz.authorize(req(jane, 'delete', 'pods', 'dev'))).allowed).toBe(false);
    expect((await authz.authorize(req(jane, 'list', 'pods', 'default'))).allowed).toBe(false);
    expect((await authz.authorize(req(jane, 'list', 'pods', ''))).allowed).toBe(false);
    expect((await authz.authorize(req(jane, 'list', 'deployments', 'dev', { group: 'apps' }))).allowed).toBe(false);
  });

  it('grants a ClusterRole bound by a RoleBinding within the namespace, and to groups', async () => {
    const source = new MemoryRbacSource([
      clusterRole('deploy-editor', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }]),
      binding('dev', 'devs-deploy', 'ClusterRole', 'deploy-editor', [{ kind: 'Group', name: 'devs' }]),
    ]);
    const authz = new RbacAuthorizer(source);
    expect((await authz.authorize(req(jane, 'patch', 'deployments', 'dev', { group: 'apps' }))).reason).toBe(
      'RBAC: allowed by RoleBinding "devs-deploy/dev" of ClusterRole "deploy-editor" to Group "devs"',
    );
    expect((await authz.authorize(req(jane, 'patch', 'deployments', 'prod', { group: 'apps' }))).allowed).toBe(false);
    expect((await authz.authorize(req(jane, 'patch', 'deployments', 'dev', { group: 'extensions' }))).allowed).toBe(false);
  });

  it('matches ServiceAccount subjects, defaulting their namespace to the binding\'s', async () => {
    const source = new MemoryRbacSource([
      role('dev', 'cm', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      binding('dev', 'explicit', 'Role', 'cm', [{ kind: 'ServiceAccount', name: 'app', namespace: 'dev' }]),
      role('dev', 'sec', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      binding('dev', 'implicit', 'Role', 'sec', [{ kind: 'ServiceAccount', name: 'app' }]),
      clusterRole('nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]),
      binding(undefined, 'other-sa', 'ClusterRole', 'nodes', [{ kind: 'ServiceAccount', name: 'app', namespace: 'prod' }]),
    ]);
    const authz = new RbacAuthorizer(source);
    expect((await authz.authorize(req(app, 'get', 'configmaps', 'dev'))).reason).toBe(
      'RBAC: allowed by RoleBinding "explicit/dev" of Role "cm" to ServiceAccount "app/dev"',
    );
    expect((await authz.authorize(req(app, 'get', 'secrets', 'dev'))).allowed).toBe(true);
    expect((await authz.authorize(req(app, 'list', 'nodes'))).allowed).toBe(false);
  });

  it('honours resourceNames', async () => {
    const source = new MemoryRbacSource([
      role('dev', 'one-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list'] }]),
      binding('dev', 'b', 'Role', 'one-cm', [user('jane')]),
    ]);
    const authz = new RbacAuthorizer(source);
    expect((await authz.authorize(req(jane, 'get', 'configmaps', 'dev', { name: 'settings' }))).allowed).toBe(true);
    expect((await authz.authorize(req(jane, 'get', 'configmaps', 'dev', { name: 'other' }))).allowed).toBe(false);
    expect((await authz.authorize(req(jane, 'list', 'configmaps', 'dev'))).allowed).toBe(false);
  });

  it('matches subresources exactly, through "*/sub" and through "*"', async () => {
    const source = new MemoryRbacSource([
      clusterRole('mixed', [
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
        { apiGroups: ['batch'], resources: ['*'], verbs: ['get'] },
      ]),
      binding(undefined, 'mixed', 'ClusterRole', 'mixed', [user('jane')]),
    ]);
    const authz = new RbacAuthorizer(source);
    const allowed = async (a: AuthorizationAttributes) => (await authz.authorize(a)).allowed;
    expect(await allowed(req(jane, 'get', 'pods/log', 'x'))).toBe(true);
    expect(await allowed(req(jane, 'get', 'pods', 'x'))).toBe(false);
    expect(await allowed(req(jane, 'get', 'pods/exec', 'x'))).toBe(false);
    expect(await allowed(req(jane, 'update', 'deployments/scale', 'x', { group: 'apps' }))).toBe(true);
    expect(await allowed(req(jane, 'update', 'deployments', 'x', { group: 'apps' }))).toBe(false);
    expect(await allowed(req(jane, 'get', 'jobs/status', 'x', { group: 'batch' }))).toBe(true);
  });

  it('matches wildcards and non-resource URLs', async () => {
    const source = new MemoryRbacSource([
      clusterRole('wild', [
        { apiGroups: ['*'], resources: ['*'], verbs: ['list'] },
        { nonResourceURLs: ['/healthz/*', '/metrics'], verbs: ['get'] },
      ]),
      binding(undefined, 'wild', 'ClusterRole', 'wild', [user('jane')]),
    ]);
    const authz = new RbacAuthorizer(source);
    const allowed = async (a: AuthorizationAttributes) => (await authz.authorize(a)).allowed;
    expect(await allowed(req(jane, 'list', 'widgets', '', { group: 'example.com' }))).toBe(true);
    expect(await allowed(req(jane, 'get', 'widgets', '', { group: 'example.com' }))).toBe(false);
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/healthz/etcd' }))).toBe(true);
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/metrics' }))).toBe(true);
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/metrics/x' }))).toBe(false);
    expect(await allowed(req(jane, 'post', '', '', { nonResourcePath: '/metrics' }))).toBe(false);
  });

  it('resolves aggregated view/edit/admin, including custom roles labelled to aggregate', async () => {
    const source = new MemoryRbacSource([
      ...bootstrap(),
      clusterRole('widget-viewer', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }], {
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      }),
      binding('dev', 'jane-view', 'ClusterRole', 'view', [user('jane')]),
      binding('dev', 'app-edit', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'app' }]),
      binding('dev', 'bob-admin', 'ClusterRole', 'admin', [user('bob')]),
    ]);
    const authz = new RbacAuthorizer(source);
    const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
    const allowed = async (a: AuthorizationAttributes) => (await authz.authorize(a)).allowed;
    expect(await allowed(req(jane, 'list', 'pods', 'dev'))).toBe(true);
    expect(await allowed(req(jane, 'get', 'pods/log', 'dev'))).toBe(true);
    expect(await allowed(req(jane, 'get', 'secrets', 'dev'))).toBe(false);
    expect(await allowed(req(jane, 'create', 'pods', 'dev'))).toBe(false);
    expect(await allowed(req(jane, 'get', 'widgets', 'dev', { group: 'example.com' }))).toBe(true);
    expect(await allowed(req(app, 'create', 'deployments', 'dev', { group: 'apps' }))).toBe(true);
    expect(await allowed(req(app, 'get', 'secrets', 'dev'))).toBe(true);
    expect(await allowed(req(app, 'get', 'widgets', 'dev', { group: 'example.com' }))).toBe(true);
    expect(await allowed(req(app, 'create', 'rolebindings', 'dev', { group: 'rbac.authorization.k8s.io' }))).toBe(false);
    expect(await allowed(req(bob, 'create', 'rolebindings', 'dev', { group: 'rbac.authorization.k8s.io' }))).toBe(true);
    expect(await allowed(req(bob, 'list', 'pods', 'dev'))).toBe(true);
    expect(await allowed(req(bob, 'create', 'resourcequotas', 'dev'))).toBe(false);
  });

  it('gives every authenticated user discovery, public info and self reviews', async () => {
    const authz = new RbacAuthorizer(new MemoryRbacSource(bootstrap()));
    const allowed = async (a: AuthorizationAttributes) => (await authz.authorize(a)).allowed;
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/apis/apps/v1' }))).toBe(true);
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/version' }))).toBe(true);
    expect(await allowed(req(jane, 'create', 'selfsubjectaccessreviews', '', { group: 'authorization.k8s.io' }))).toBe(true);
    expect(await allowed(req(jane, 'create', 'selfsubjectreviews', '', { group: 'authentication.k8s.io' }))).toBe(true);
    expect(await allowed(req(jane, 'get', '', '', { nonResourcePath: '/metrics' }))).toBe(false);
    const anonymous = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    expect(await allowed(req(anonymous, 'get', '', '', { nonResourcePath: '/healthz' }))).toBe(true);
    expect(await allowed(req(anonymous, 'get', '', '', { nonResourcePath: '/api' }))).toBe(false);
  });

  it('reports bindings whose role is missing', async () => {
    const source = new MemoryRbacSource([
      binding('dev', 'dangling', 'Role', 'gone', [user('jane')]),
      binding(undefined, 'dangling-cluster', 'ClusterRole', 'gone-too', [user('jane')]),
    ]);
    const decision = await new RbacAuthorizer(source).authorize(req(jane, 'get', 'pods', 'dev'));
    expect(decision).toEqual({
      allowed: false,
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone-too" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
  });

  it('lists the rules that apply to a user', async () => {
    const source = new MemoryRbacSource([
      role('dev', 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      binding('dev', 'b', 'Role', 'r', [user('jane')]),
      ...bootstrap(),
    ]);
    const { rules, errors } = await new RbacAuthorizer(source).rulesFor(jane, 'dev');
    expect(errors).toEqual([]);
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get'] });
    expect(rules).toContainEqual({ nonResourceURLs: expect.arrayContaining(['/api']), verbs: ['get'] });
  });
});

describe('aggregateClusterRoles', () => {
  it('fills aggregated roles to a fixpoint and reports only changes', () => {
    const roles = bootstrap().filter((o) => o.kind === 'ClusterRole');
    const changed = aggregateClusterRoles(roles);
    expect(changed.map((r) => r.metadata.name).sort()).toEqual(['admin', 'edit', 'view']);
    const admin = changed.find((r) => r.metadata.name === 'admin');
    const rules = admin?.rules as { resources?: string[] }[];
    expect(rules.some((r) => r.resources?.includes('rolebindings'))).toBe(true);
    expect(rules.some((r) => r.resources?.includes('pods/log'))).toBe(true); // from view, through edit
    const again = roles.map((r) => changed.find((c) => c.metadata.name === r.metadata.name) ?? r);
    expect(aggregateClusterRoles(again)).toEqual([]);
    expect(defaultClusterRoles().find((r) => r.metadata.name === 'view')?.rules).toEqual(changed.find((r) => r.metadata.name === 'view')?.rules);
  });
});

describe('forbidden messages', () => {
  const sa = { username: 'system:serviceaccount:default:app', groups: [] };
  it('words them as kube-apiserver', () => {
    expect(forbiddenMessage(req(sa, 'list', 'pods', 'default'))).toBe(
      'User "system:serviceaccount:default:app" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(req(sa, 'list', 'nodes'))).toBe(
      'User "system:serviceaccount:default:app" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenMessage(req(sa, 'get', '', '', { nonResourcePath: '/foo' }))).toBe('User "system:serviceaccount:default:app" cannot get path "/foo"');
  });

  it('builds the 403 Status', () => {
    const named = forbiddenError(req(sa, 'create', 'pods/exec', 'default', { name: 'web' }));
    expect(named.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'pods "web" is forbidden: User "system:serviceaccount:default:app" cannot create resource "pods/exec" in API group "" in the namespace "default"',
      details: { name: 'web', kind: 'pods' },
    });
    expect(forbiddenError(req(sa, 'list', 'deployments', 'default', { group: 'apps' })).status.message).toBe(
      'deployments.apps is forbidden: User "system:serviceaccount:default:app" cannot list resource "deployments" in API group "apps" in the namespace "default"',
    );
    expect(forbiddenError(req(sa, 'get', '', '', { nonResourcePath: '/foo' })).status.message).toBe(
      'forbidden: User "system:serviceaccount:default:app" cannot get path "/foo"',
    );
    expect(forbiddenError(req(sa, 'get', 'pods', 'x'), 'RBAC: role.rbac.authorization.k8s.io "r" not found').status.message).toMatch(
      /in the namespace "x": RBAC: role.rbac.authorization.k8s.io "r" not found$/,
    );
  });
});
