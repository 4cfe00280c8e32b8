// Server-side printing for `kubectl get`: a TablePrinter per built-in resource, keyed
// "<group>/<plural>" ("" group: just "<plural>"), as kube-apiserver registers them.
import type { TablePrinter } from '../types.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import {
  configMapPrinter,
  endpointsPrinter,
  namespacePrinter,
  nodePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core.js';
import { eventPrinter } from './events.js';
import {
  certificateSigningRequestPrinter,
  clusterRoleBindingPrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  mutatingWebhookPrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
  runtimeClassPrinter,
  validatingWebhookPrinter,
} from './misc.js';
import { endpointSlicePrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';
import {
  apiServicePrinter,
  componentStatusPrinter,
  csiStorageCapacityPrinter,
  flowSchemaPrinter,
  priorityLevelPrinter,
  scalePrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
} from './platform.js';
import { podPrinter } from './pods.js';
import { csiDriverPrinter, csiNodePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter, volumeAttachmentPrinter } from './storage.js';
import { defaultPrinter } from './table.js';

export { printerForCustomResource, parseJsonPath, type PrinterColumn } from './custom-resource.js';
export { humanDuration } from './duration.js';
export { podStatusCells } from './pods.js';
export { defaultPrinter, parseIncludeObject, toTable, type IncludeObject, type RowPrinter, type Table, type TableOptions, type TableRow, type TableRowCondition } from './table.js';

/**
 * Roles, cluster roles, limit ranges and CRDs have no printer upstream: they get the default
 * "Name, Created At" table, listed here so every resource the sandbox serves is covered.
 */
export const printers: Record<string, TablePrinter> = {
  pods: podPrinter,
  nodes: nodePrinter,
  namespaces: namespacePrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  persistentvolumes: persistentVolumePrinter,
  persistentvolumeclaims: persistentVolumeClaimPrinter,
  podtemplates: podTemplatePrinter,
  replicationcontrollers: replicationControllerPrinter,
  resourcequotas: resourceQuotaPrinter,
  limitranges: defaultPrinter,
  events: eventPrinter,
  'events.k8s.io/events': eventPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerPrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'networking.k8s.io/ingressclasses': ingressClassPrinter,
  'networking.k8s.io/networkpolicies': networkPolicyPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'rbac.authorization.k8s.io/roles': defaultPrinter,
  'rbac.authorization.k8s.io/clusterroles': defaultPrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'storage.k8s.io/csinodes': csiNodePrinter,
  'storage.k8s.io/csidrivers': csiDriverPrinter,
  'storage.k8s.io/volumeattachments': volumeAttachmentPrinter,
  'node.k8s.io/runtimeclasses': runtimeClassPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': mutatingWebhookPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': validatingWebhookPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
  'apiextensions.k8s.io/customresourcedefinitions': defaultPrinter,
  componentstatuses: componentStatusPrinter,
  'apiregistration.k8s.io/apiservices': apiServicePrinter,
  'flowcontrol.apiserver.k8s.io/flowschemas': flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': priorityLevelPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicies': validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': validatingAdmissionPolicyBindingPrinter,
  'storage.k8s.io/csistoragecapacities': csiStorageCapacityPrinter,
};

/**
 * Printers for subresources served as tables. The status subresource prints with its resource's
 * printer; scale has its own.
 */
export const subresourcePrinters: Record<string, TablePrinter> = { scale: scalePrinter };

/** The printer for a built-in resource, or kube-apiserver's default table. */
export function printerFor(group: string, plural: string): TablePrinter {
  return printers[group === '' ? plural : `${group}/${plural}`] ?? defaultPrinter;
}
