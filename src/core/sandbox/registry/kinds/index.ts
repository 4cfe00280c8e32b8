// Every built-in kind's Strategy, keyed like the printers: "<plural>" for core, "<group>/<plural>"
// otherwise. Kinds without special rules get a plain strategy (with status handling where they
// have a status subresource).
import type { Strategy } from '../types.js';
import { mutatingWebhookConfigurationStrategy, validatingWebhookConfigurationStrategy } from './admission-config.js';
import { cronJobStrategy, jobStrategy } from './batch.js';
import { configMapStrategy, secretStrategy } from './config.js';
import {
  endpointsStrategy,
  eventStrategy,
  limitRangeStrategy,
  namespaceStrategy,
  nodeStrategy,
  podTemplateStrategy,
  resourceQuotaStrategy,
  serviceAccountStrategy,
} from './core-misc.js';
import { customResourceDefinitionStrategy } from './crds.js';
import {
  certificateSigningRequestStrategy,
  controllerRevisionStrategy,
  endpointSliceStrategy,
  horizontalPodAutoscalerStrategy,
  leaseStrategy,
  podDisruptionBudgetStrategy,
  priorityClassStrategy,
  runtimeClassStrategy,
} from './misc-groups.js';
import { ingressClassStrategy, ingressStrategy, networkPolicyStrategy } from './networking.js';
import { podStrategy } from './pods.js';
import { clusterRoleBindingStrategy, roleBindingStrategy, roleStrategy } from './rbac.js';
import { serviceStrategy } from './services.js';
import {
  csiDriverStrategy,
  persistentVolumeClaimStrategy,
  persistentVolumeStrategy,
  storageClassStrategy,
  volumeAttachmentStrategy,
} from './storage.js';
import { statusSubresource } from './util.js';
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './workloads.js';

/** No kind-specific rules; spec changes bump generation when `tracksGeneration`. */
export function plainStrategy(tracksGeneration = false): Strategy {
  return { tracksGeneration };
}

/** Plain, plus a status subresource whose status starts as `initial` (or absent). */
export function plainStatusStrategy(tracksGeneration = true, initial?: () => Record<string, unknown>): Strategy {
  return { tracksGeneration, ...statusSubresource(initial) };
}

export const strategies: Record<string, Strategy> = {
  pods: podStrategy,
  services: serviceStrategy,
  namespaces: namespaceStrategy,
  nodes: nodeStrategy,
  configmaps: configMapStrategy,
  secrets: secretStrategy,
  serviceaccounts: serviceAccountStrategy,
  events: eventStrategy,
  endpoints: endpointsStrategy,
  limitranges: limitRangeStrategy,
  resourcequotas: resourceQuotaStrategy,
  persistentvolumes: persistentVolumeStrategy,
  persistentvolumeclaims: persistentVolumeClaimStrategy,
  replicationcontrollers: replicationControllerStrategy,
  podtemplates: podTemplateStrategy,
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'apps/controllerrevisions': controllerRevisionStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerStrategy,
  'policy/poddisruptionbudgets': podDisruptionBudgetStrategy,
  'networking.k8s.io/ingresses': ingressStrategy,
  'networking.k8s.io/ingressclasses': ingressClassStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'rbac.authorization.k8s.io/roles': roleStrategy,
  'rbac.authorization.k8s.io/clusterroles': roleStrategy,
  'rbac.authorization.k8s.io/rolebindings': roleBindingStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'storage.k8s.io/csidrivers': csiDriverStrategy,
  'storage.k8s.io/csinodes': plainStrategy(),
  'storage.k8s.io/csistoragecapacities': plainStrategy(),
  'storage.k8s.io/volumeattachments': volumeAttachmentStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'coordination.k8s.io/leases': leaseStrategy,
  'discovery.k8s.io/endpointslices': endpointSliceStrategy,
  'events.k8s.io/events': eventStrategy,
  'node.k8s.io/runtimeclasses': runtimeClassStrategy,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestStrategy,
  'apiextensions.k8s.io/customresourcedefinitions': customResourceDefinitionStrategy,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': validatingWebhookConfigurationStrategy,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': mutatingWebhookConfigurationStrategy,
  'admissionregistration.k8s.io/validatingadmissionpolicies': plainStatusStrategy(true, () => ({})),
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': plainStrategy(true),
  'apiregistration.k8s.io/apiservices': plainStatusStrategy(false, () => ({})),
  'flowcontrol.apiserver.k8s.io/flowschemas': plainStatusStrategy(true, () => ({})),
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': plainStatusStrategy(true, () => ({})),
};

/** Strategy for custom resources: status subresource when the CRD declares one. */
export function customResourceStrategy(hasStatus: boolean): Strategy {
  if (!hasStatus) return { tracksGeneration: true };
  // With a status subresource, main-resource writes keep status and status writes keep the rest.
  return { tracksGeneration: true, ...statusSubresource() };
}
