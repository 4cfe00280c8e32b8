// The ClusterRoles and ClusterRoleBindings kube-apiserver creates at startup (its RBAC bootstrap
// policy), so that `kubectl get clusterroles`, `kubectl create rolebinding --clusterrole=view` and
// `kubectl auth can-i` behave as on a kubeadm/kind cluster. Aggregated roles (admin, edit, view)
// are filled from the system:aggregate-to-* roles, as the aggregation controller would.
import type { KubeObject } from '../../../../shared/kube.js';
import { aggregateClusterRoles, type PolicyRule } from './rbac-rules.js';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => `rbac.authorization.k8s.io/aggregate-to-${role}`;

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const EVENTS_WRITE = ['create', 'patch', 'update'];

function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const r: PolicyRule = { apiGroups, resources, verbs };
  if (resourceNames) r.resourceNames = resourceNames;
  return r;
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { nonResourceURLs, verbs };
}

function metadata(name: string, labels: Record<string, string> = {}): KubeObject['metadata'] {
  return {
    name,
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
  };
}

function clusterRole(name: string, rules: PolicyRule[], labels?: Record<string, string>): KubeObject {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: metadata(name, labels), rules };
}

function aggregatedRole(name: string, aggregateFrom: 'admin' | 'edit' | 'view', labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: metadata(name, labels),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO(aggregateFrom)]: 'true' } }] },
    rules: [],
  };
}

function viewRules(): PolicyRule[] {
  return [
    rule(READ, [''], [
      'configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
      'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status',
    ]),
    rule(READ, [''], [
      'bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status',
      'resourcequotas', 'resourcequotas/status',
    ]),
    rule(READ, [''], ['namespaces']),
    rule(READ, ['discovery.k8s.io'], ['endpointslices']),
    rule(READ, ['apps'], [
      'controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets',
      'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status',
    ]),
    rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
    rule(READ, ['extensions'], [
      'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status',
      'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale',
    ]),
    rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  ];
}

function editRules(): PolicyRule[] {
  return [
    rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
    rule(['impersonate'], [''], ['serviceaccounts']),
    rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
    rule(['create'], [''], ['pods/eviction']),
    rule(WRITE, [''], [
      'configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
      'serviceaccounts', 'services', 'services/proxy',
    ]),
    rule(['create'], [''], ['serviceaccounts/token']),
    rule(WRITE, ['apps'], [
      'daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets',
      'statefulsets/scale',
    ]),
    rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
    rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
    rule(WRITE, ['extensions'], [
      'daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets',
      'replicasets/scale', 'replicationcontrollers/scale',
    ]),
    rule(WRITE, ['policy'], ['poddisruptionbudgets']),
    rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
    rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
  ];
}

function adminRules(): PolicyRule[] {
  return [
    rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
    rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
  ];
}

function leaderElection(component: string): PolicyRule[] {
  return [
    rule(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
    rule(['create'], ['coordination.k8s.io'], ['leases']),
    rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], [component]),
  ];
}

/** The bootstrap ClusterRoles, aggregated ones already filled as a running cluster shows them. */
export function defaultClusterRoles(): KubeObject[] {
  const roles = baseClusterRoles();
  const aggregated = new Map(aggregateClusterRoles(roles).map((r) => [r.metadata.name, r] as const));
  return roles.map((r) => aggregated.get(r.metadata.name) ?? r);
}

function baseClusterRoles(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    aggregatedRole('admin', 'admin'),
    aggregatedRole('edit', 'edit', { [AGGREGATE_TO('admin')]: 'true' }),
    aggregatedRole('view', 'view', { [AGGREGATE_TO('edit')]: 'true' }),
    clusterRole('system:aggregate-to-admin', adminRules(), { [AGGREGATE_TO('admin')]: 'true' }),
    clusterRole('system:aggregate-to-edit', editRules(), { [AGGREGATE_TO('edit')]: 'true' }),
    clusterRole('system:aggregate-to-view', viewRules(), { [AGGREGATE_TO('view')]: 'true' }),
    clusterRole('system:auth-delegator', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:discovery', [
      urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/']),
    ]),
    clusterRole('system:monitoring', [
      urls(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    clusterRole('system:service-account-issuer-discovery', [
      urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']),
    ]),
    clusterRole('system:kube-scheduler', [
      ...leaderElection('kube-scheduler'),
      rule(READ, [''], ['nodes']),
      rule(['delete', 'get', 'list', 'watch'], [''], ['pods']),
      rule(['create'], [''], ['bindings', 'pods/binding']),
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(READ, [''], ['replicationcontrollers', 'services']),
      rule(READ, ['apps', 'extensions'], ['replicasets']),
      rule(READ, ['apps'], ['statefulsets']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(READ, ['storage.k8s.io'], ['csinodes']),
      rule(READ, [''], ['namespaces']),
      rule(READ, ['storage.k8s.io'], ['csidrivers']),
      rule(READ, ['storage.k8s.io'], ['csistoragecapacities']),
    ]),
    clusterRole('system:kube-controller-manager', [
      ...leaderElection('kube-controller-manager'),
      rule(['create'], [''], ['secrets', 'serviceaccounts']),
      rule(['delete'], [''], ['secrets']),
      rule(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
      rule(['update'], [''], ['secrets', 'serviceaccounts']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [''], ['serviceaccounts/token']),
    ]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['endpoints', 'services']),
      rule(READ, [''], ['nodes']),
      rule(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests'])]),
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumes']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
      rule(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumeclaims']),
    ]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client']),
    ]),
  ];
}

type SubjectSpec = ['User' | 'Group', string] | ['ServiceAccount', string, string];

function clusterRoleBinding(name: string, roleName: string, subjects: SubjectSpec[]): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: metadata(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: subjects.map((s) =>
      s[0] === 'ServiceAccount'
        ? { kind: 'ServiceAccount', name: s[2], namespace: s[1] }
        : { apiGroup: 'rbac.authorization.k8s.io', kind: s[0], name: s[1] },
    ),
  };
}

export function defaultClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [['Group', 'system:masters']]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [['Group', 'system:authenticated']]),
    clusterRoleBinding('system:discovery', 'system:discovery', [['Group', 'system:authenticated']]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      ['Group', 'system:authenticated'],
      ['Group', 'system:unauthenticated'],
    ]),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [['Group', 'system:monitoring']]),
    clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
      ['Group', 'system:serviceaccounts'],
    ]),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [['User', 'system:kube-controller-manager']]),
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [['User', 'system:kube-scheduler']]),
    clusterRoleBinding('system:volume-scheduler', 'system:volume-scheduler', [['User', 'system:kube-scheduler']]),
    clusterRoleBinding('system:kube-dns', 'system:kube-dns', [['ServiceAccount', 'kube-system', 'kube-dns']]),
    clusterRoleBinding('system:node-proxier', 'system:node-proxier', [['User', 'system:kube-proxy']]),
  ];
}
