// Strategic-merge and server-side-apply metadata of well-known lists, written by hand from the
// +patchMergeKey/+patchStrategy/+listType/+listMapKey tags of Kubernetes' types.go files. Neither
// kubernetes-types nor client-node carries these tags, and kubectl apply needs them to merge lists.
import { META } from './names.mjs';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';

/** A keyed list: merged element by element on `key`, identified for SSA by `keys`. */
function keyed(key, keys = [key], strategy = 'merge') {
  return {
    'x-kubernetes-list-map-keys': keys,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-patch-strategy': strategy,
  };
}
const atomic = { 'x-kubernetes-list-type': 'atomic' };
const mergedSet = { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
const mapByType = keyed('type');
const atomicMap = { 'x-kubernetes-map-type': 'atomic' };

const containerLists = {
  args: atomic,
  command: atomic,
  env: keyed('name'),
  envFrom: atomic,
  ports: keyed('containerPort', ['containerPort', 'protocol']),
  resizePolicy: atomic,
  volumeDevices: keyed('devicePath'),
  volumeMounts: keyed('mountPath'),
};

/** schema name -> field -> extensions */
export const PATCH_META = {
  [`${META}.ObjectMeta`]: { finalizers: mergedSet, managedFields: atomic, ownerReferences: keyed('uid') },
  [`${META}.LabelSelector`]: { matchExpressions: atomic },
  [`${META}.LabelSelectorRequirement`]: { values: atomic },
  [`${META}.APIResource`]: { categories: atomic, shortNames: atomic },
  [`${META}.StatusDetails`]: { causes: atomic },
  [`${CORE}.PodSpec`]: {
    containers: keyed('name'),
    ephemeralContainers: keyed('name'),
    hostAliases: keyed('ip'),
    imagePullSecrets: keyed('name'),
    initContainers: keyed('name'),
    nodeSelector: atomicMap,
    readinessGates: atomic,
    resourceClaims: keyed('name', ['name'], 'merge,retainKeys'),
    schedulingGates: keyed('name'),
    tolerations: atomic,
    topologySpreadConstraints: keyed('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    volumes: keyed('name', ['name'], 'merge,retainKeys'),
  },
  [`${CORE}.Container`]: containerLists,
  [`${CORE}.EphemeralContainer`]: containerLists,
  [`${CORE}.HostAlias`]: { hostnames: atomic },
  [`${CORE}.PodStatus`]: {
    conditions: mapByType,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    hostIPs: keyed('ip'),
    initContainerStatuses: atomic,
    podIPs: keyed('ip'),
    resourceClaimStatuses: keyed('name', ['name'], 'merge,retainKeys'),
  },
  [`${CORE}.ServiceSpec`]: { clusterIPs: atomic, externalIPs: atomic, ipFamilies: atomic, loadBalancerSourceRanges: atomic, ports: keyed('port', ['port', 'protocol']), selector: atomicMap },
  [`${CORE}.ServiceStatus`]: { conditions: mapByType },
  [`${CORE}.LoadBalancerStatus`]: { ingress: atomic },
  [`${CORE}.NodeSpec`]: { podCIDRs: mergedSet, taints: atomic },
  [`${CORE}.NodeStatus`]: { addresses: mapByType, conditions: mapByType, images: atomic, volumesAttached: atomic, volumesInUse: atomic },
  [`${CORE}.NamespaceStatus`]: { conditions: mapByType },
  [`${CORE}.NamespaceSpec`]: { finalizers: atomic },
  [`${CORE}.PersistentVolumeClaimSpec`]: { accessModes: atomic },
  [`${CORE}.PersistentVolumeClaimStatus`]: { accessModes: atomic, conditions: mapByType },
  [`${CORE}.PersistentVolumeSpec`]: { accessModes: atomic, mountOptions: atomic },
  [`${CORE}.ReplicationControllerStatus`]: { conditions: mapByType },
  [`${CORE}.ReplicationControllerSpec`]: { selector: atomicMap },
  [`${CORE}.ComponentStatus`]: { conditions: mapByType },
  [`${CORE}.EndpointSubset`]: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [`${CORE}.Endpoints`]: { subsets: atomic },
  [`${CORE}.ServiceAccount`]: { imagePullSecrets: atomic, secrets: keyed('name', ['name']) },
  [`${CORE}.NodeSelector`]: { nodeSelectorTerms: atomic },
  [`${CORE}.NodeSelectorTerm`]: { matchExpressions: atomic, matchFields: atomic },
  [`${CORE}.NodeSelectorRequirement`]: { values: atomic },
  [`${CORE}.PodAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.PodAntiAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.NodeAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.PodAffinityTerm`]: { matchLabelKeys: atomic, mismatchLabelKeys: atomic, namespaces: atomic },
  [`${CORE}.TopologySpreadConstraint`]: { matchLabelKeys: atomic },
  [`${CORE}.Capabilities`]: { add: atomic, drop: atomic },
  [`${CORE}.PodSecurityContext`]: { supplementalGroups: atomic, sysctls: atomic },
  [`${CORE}.ExecAction`]: { command: atomic },
  [`${CORE}.HTTPGetAction`]: { httpHeaders: atomic },
  [`${CORE}.ConfigMapVolumeSource`]: { items: atomic },
  [`${CORE}.SecretVolumeSource`]: { items: atomic },
  [`${CORE}.ProjectedVolumeSource`]: { sources: atomic },
  [`${CORE}.PodDNSConfig`]: { nameservers: atomic, options: atomic, searches: atomic },
  [`${CORE}.ResourceRequirements`]: { claims: keyed('name', ['name']) },
  [`${CORE}.LimitRangeSpec`]: { limits: atomic },
  [`${CORE}.ResourceQuotaSpec`]: { scopes: atomic },
  [`${APPS}.DeploymentStatus`]: { conditions: mapByType },
  [`${APPS}.ReplicaSetStatus`]: { conditions: mapByType },
  [`${APPS}.StatefulSetStatus`]: { conditions: mapByType },
  [`${APPS}.DaemonSetStatus`]: { conditions: mapByType },
  [`${APPS}.StatefulSetSpec`]: { volumeClaimTemplates: atomic },
  [`${APPS}.DeploymentSpec`]: { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  // Job conditions merge by type in strategic merge patch but are atomic for server-side apply.
  'io.k8s.api.batch.v1.JobStatus': { conditions: { ...atomic, 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: mapByType, currentMetrics: atomic },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': { policies: atomic },
  'io.k8s.api.networking.v1.IngressSpec': { rules: atomic, tls: atomic },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: atomic },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { egress: atomic, ingress: atomic, policyTypes: atomic },
  'io.k8s.api.rbac.v1.Role': { rules: atomic },
  'io.k8s.api.rbac.v1.ClusterRole': { rules: atomic },
  'io.k8s.api.rbac.v1.RoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.PolicyRule': { apiGroups: atomic, nonResourceURLs: atomic, resourceNames: atomic, resources: atomic, verbs: atomic },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: mapByType },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: atomic, ports: atomic },
  'io.k8s.api.storage.v1.StorageClass': { allowedTopologies: atomic, mountOptions: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': { versions: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': { conditions: mapByType, storedVersions: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames': { categories: atomic, shortNames: atomic },
};

/** Structs that merge as a whole (+structType=atomic / +mapType=atomic). */
export const ATOMIC_TYPES = [
  `${META}.LabelSelector`,
  `${CORE}.ConfigMapEnvSource`,
  `${CORE}.ConfigMapKeySelector`,
  `${CORE}.LocalObjectReference`,
  `${CORE}.NodeSelector`,
  `${CORE}.NodeSelectorTerm`,
  `${CORE}.ObjectFieldSelector`,
  `${CORE}.ObjectReference`,
  `${CORE}.ResourceFieldSelector`,
  `${CORE}.SecretEnvSource`,
  `${CORE}.SecretKeySelector`,
  `${CORE}.TopologySelectorTerm`,
  `${CORE}.TypedLocalObjectReference`,
];

/** Free-form maps and values that the generated models type loosely ("any"). */
export const ANY_FIELDS = {
  [`${META}.ManagedFieldsEntry.fieldsV1`]: `${META}.FieldsV1`,
  [`${META}.WatchEvent.object`]: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
};
