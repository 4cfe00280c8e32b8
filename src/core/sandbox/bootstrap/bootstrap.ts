// What a freshly installed cluster holds, created through the API (never the store) on every start,
// idempotently: system namespaces, the kubernetes Service, cluster-info, the default StorageClass,
// system PriorityClasses, RBAC defaults, the nodes and their Leases.
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient, ResourceRef } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import { nodeLease, nodeNames, nodeObject } from './nodes.js';

export interface BootstrapInput {
  client: ApiClient;
  now: Date;
  nodes: number;
  serverUrl: string;
  caCertPem: string;
  clusterRoles: KubeObject[];
  clusterRoleBindings: KubeObject[];
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const ref = (group: string, resource: string): ResourceRef => ({ group, resource });

/** Creates `obj` unless it exists; returns the live object. (Get first: a restart finds them all.) */
export async function ensure(client: ApiClient, r: ResourceRef, obj: KubeObject): Promise<KubeObject> {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  try {
    return await client.get(r, ns, name);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 404)) throw error;
  }
  try {
    return await client.create(r, ns, obj);
  } catch (error) {
    if (error instanceof ApiError && error.code === 409) return client.get(r, ns, name);
    throw error;
  }
}

export async function bootstrapCluster(input: BootstrapInput): Promise<void> {
  const { client, now } = input;
  for (const name of SYSTEM_NAMESPACES) await ensure(client, ref('', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const role of input.clusterRoles) await ensure(client, ref('rbac.authorization.k8s.io', 'clusterroles'), role);
  for (const binding of input.clusterRoleBindings) await ensure(client, ref('rbac.authorization.k8s.io', 'clusterrolebindings'), binding);

  await ensure(client, ref('', 'services'), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
    },
  });

  await ensure(client, ref('', 'configmaps'), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-info', namespace: 'kube-public' },
    data: {
      kubeconfig: [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${Buffer.from(input.caCertPem).toString('base64')}`,
        `    server: ${input.serverUrl}`,
        '  name: ""',
        'contexts: null',
        'current-context: ""',
        'kind: Config',
        'preferences: {}',
        'users: null',
        '',
      ].join('\n'),
    },
  });

  await ensure(client, ref('storage.k8s.io', 'storageclasses'), {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubedesk.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });

  for (const [name, value] of [
    ['system-node-critical', 2000001000],
    ['system-cluster-critical', 2000000000],
  ] as const) {
    await ensure(client, ref('scheduling.k8s.io', 'priorityclasses'), {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Used for system critical pods that must not be moved from their current node.',
    });
  }

  const names = nodeNames(input.nodes);
  for (const [index, name] of names.entries()) {
    const node = await ensure(client, ref('', 'nodes'), nodeObject(name, index, names.length, now));
    await ensure(client, ref('coordination.k8s.io', 'leases'), nodeLease(name, node.metadata.uid ?? '', now));
  }
}
