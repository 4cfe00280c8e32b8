// Hand-written patch metadata of the built-in kinds kubectl users patch and apply, transcribed from the
// Go markers of k8s.io/api (only the lists that are not atomic, and the atomic maps, need listing).
import type { JsonObject } from './json-value.js';
import {
  atomicMap,
  genericPatchSchema,
  mapList,
  objectMetaNode,
  setList,
  struct,
  treeSchema,
  type PatchSchema,
  type SchemaNode,
} from './schema.js';

const tcp = { keyDefaults: { protocol: 'TCP' } };

const container = struct({
  ports: mapList(['containerPort', 'protocol'], undefined, tcp),
  env: mapList(['name']),
  volumeMounts: mapList(['mountPath']),
  volumeDevices: mapList(['devicePath']),
  resources: struct({ claims: mapList(['name']) }),
});

const podSpec = struct({
  containers: mapList(['name'], container.fields),
  initContainers: mapList(['name'], container.fields),
  ephemeralContainers: mapList(['name'], container.fields),
  volumes: mapList(['name'], undefined, { strategy: 'merge,retainKeys' }),
  imagePullSecrets: mapList(['name']),
  hostAliases: mapList(['ip']),
  topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable']),
  schedulingGates: mapList(['name']),
  resourceClaims: mapList(['name'], undefined, { strategy: 'merge,retainKeys' }),
  nodeSelector: atomicMap(),
});

const conditions = mapList(['type']);

const podStatus = struct({
  conditions,
  podIPs: mapList(['ip']),
  hostIPs: { meta: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' } },
  resourceClaimStatuses: mapList(['name']),
});

const podTemplate = struct({ metadata: objectMetaNode, spec: podSpec });

const jobSpec = struct({ selector: atomicMap(), template: podTemplate });

function kindNode(spec: SchemaNode | undefined, status: SchemaNode | undefined, extra: Record<string, SchemaNode> = {}): SchemaNode {
  const fields: Record<string, SchemaNode> = { metadata: objectMetaNode, ...extra };
  if (spec) fields.spec = spec;
  if (status) fields.status = status;
  return struct(fields);
}

const meta0 = (): JsonObject => ({ creationTimestamp: null });
const template0 = (): JsonObject => ({ metadata: meta0(), spec: { containers: null } });

interface Entry {
  node: SchemaNode;
  statusSubresource: boolean;
  /** spec and status of the Go zero value (metadata is always `{creationTimestamp: null}`). */
  zero?: () => JsonObject;
}

const workloadStatus = struct({ conditions });

const table: Record<string, Entry> = {
  '/Pod': { node: kindNode(podSpec, podStatus), statusSubresource: true, zero: () => ({ spec: { containers: null }, status: {} }) },
  '/PodTemplate': { node: kindNode(undefined, undefined, { template: podTemplate }), statusSubresource: false, zero: () => ({ template: template0() }) },
  '/ReplicationController': {
    node: kindNode(struct({ selector: atomicMap(), template: podTemplate }), workloadStatus),
    statusSubresource: true,
    zero: () => ({ spec: {}, status: { replicas: 0 } }),
  },
  'apps/Deployment': {
    node: kindNode(struct({ selector: atomicMap(), template: podTemplate, strategy: struct({}, { strategy: 'retainKeys' }) }), workloadStatus),
    statusSubresource: true,
    zero: () => ({ spec: { selector: null, template: template0(), strategy: {} }, status: {} }),
  },
  'apps/ReplicaSet': {
    node: kindNode(struct({ selector: atomicMap(), template: podTemplate }), workloadStatus),
    statusSubresource: true,
    zero: () => ({ spec: { selector: null, template: template0() }, status: { replicas: 0 } }),
  },
  'apps/StatefulSet': {
    node: kindNode(struct({ selector: atomicMap(), template: podTemplate }), workloadStatus),
    statusSubresource: true,
    zero: () => ({ spec: { selector: null, template: template0(), updateStrategy: {} }, status: { replicas: 0, availableReplicas: 0 } }),
  },
  'apps/DaemonSet': {
    node: kindNode(struct({ selector: atomicMap(), template: podTemplate }), workloadStatus),
    statusSubresource: true,
    zero: () => ({ spec: { selector: null, template: template0(), updateStrategy: {} }, status: {} }),
  },
  'batch/Job': {
    node: kindNode(jobSpec, struct({ conditions: { meta: { strategy: 'merge', mergeKey: 'type', listType: 'atomic' } } })),
    statusSubresource: true,
    zero: () => ({ spec: { template: template0() }, status: {} }),
  },
  'batch/CronJob': {
    node: kindNode(struct({ jobTemplate: struct({ metadata: objectMetaNode, spec: jobSpec }) }), undefined),
    statusSubresource: true,
    zero: () => ({ spec: { schedule: '', jobTemplate: { metadata: meta0(), spec: { template: template0() } } }, status: {} }),
  },
  '/Service': {
    node: kindNode(struct({ ports: mapList(['port', 'protocol'], undefined, tcp), selector: atomicMap() }), struct({ conditions })),
    statusSubresource: true,
    zero: () => ({ spec: {}, status: { loadBalancer: {} } }),
  },
  '/Node': {
    node: kindNode(struct({ podCIDRs: setList() }), struct({ conditions, addresses: mapList(['type']) })),
    statusSubresource: true,
    zero: () => ({ spec: {}, status: {} }),
  },
  '/Namespace': { node: kindNode(undefined, struct({ conditions })), statusSubresource: true, zero: () => ({ spec: {}, status: {} }) },
  '/PersistentVolumeClaim': {
    node: kindNode(undefined, struct({ conditions })),
    statusSubresource: true,
    zero: () => ({ spec: { resources: {} }, status: {} }),
  },
  '/PersistentVolume': { node: kindNode(undefined, undefined), statusSubresource: true, zero: () => ({ spec: {}, status: {} }) },
  '/ResourceQuota': { node: kindNode(undefined, undefined), statusSubresource: true, zero: () => ({ spec: {}, status: {} }) },
  'autoscaling/HorizontalPodAutoscaler': {
    node: kindNode(undefined, struct({ conditions })),
    statusSubresource: true,
    zero: () => ({ spec: { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 }, status: { desiredReplicas: 0 } }),
  },
  'policy/PodDisruptionBudget': { node: kindNode(undefined, struct({ conditions })), statusSubresource: true, zero: () => ({ spec: {}, status: {} }) },
  'networking.k8s.io/Ingress': { node: kindNode(undefined, undefined), statusSubresource: true, zero: () => ({ spec: {}, status: { loadBalancer: {} } }) },
};

const serviceAccount: Entry = {
  node: kindNode(undefined, undefined, { secrets: mapList(['name']), imagePullSecrets: mapList(['name']) }),
  statusSubresource: false,
};

table['/ServiceAccount'] = serviceAccount;

const roleBinding: Entry = {
  node: kindNode(undefined, undefined, { roleRef: atomicMap() }),
  statusSubresource: false,
  zero: () => ({ roleRef: { apiGroup: '', kind: '', name: '' } }),
};
table['rbac.authorization.k8s.io/RoleBinding'] = roleBinding;
table['rbac.authorization.k8s.io/ClusterRoleBinding'] = roleBinding;
table['coordination.k8s.io/Lease'] = { node: kindNode(undefined, undefined), statusSubresource: false, zero: () => ({ spec: {} }) };
table['networking.k8s.io/NetworkPolicy'] = {
  node: kindNode(struct({ podSelector: atomicMap() }), undefined),
  statusSubresource: false,
  zero: () => ({ spec: { podSelector: {} } }),
};

/** Core kinds without spec/status struct whose zero value is metadata only. */
const metadataOnly = new Set(['/ConfigMap', '/Secret', '/Endpoints', '/Event', 'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole']);

export function builtinPatchSchema(kind: string, group: string): PatchSchema {
  const key = `${group}/${kind}`;
  const entry = table[key];
  if (!entry) {
    if (metadataOnly.has(key)) {
      return treeSchema(struct({ metadata: objectMetaNode }), { statusSubresource: false, zero: () => ({ metadata: meta0() }) });
    }
    return genericPatchSchema();
  }
  const zero = entry.zero;
  return treeSchema(entry.node, {
    statusSubresource: entry.statusSubresource,
    zero: () => ({ metadata: meta0(), ...(zero ? zero() : {}) }),
  });
}
