// Every built-in kind's view, in sidebar order; anything else the cluster serves gets a generic
// view from discovery (see generic.ts and AppStore.views).
import type { Category, KindView } from './kind-view.js';
import { podsView } from './pods.js';
import { deploymentsView } from './deployments.js';
import { replicaSetsView } from './replicasets.js';
import { statefulSetsView } from './statefulsets.js';
import { daemonSetsView } from './daemonsets.js';
import { jobsView } from './jobs.js';
import { cronJobsView } from './cronjobs.js';
import { servicesView } from './services.js';
import { endpointsView } from './endpoints.js';
import { ingressesView } from './ingresses.js';
import { configMapsView } from './configmaps.js';
import { secretsView } from './secrets.js';
import { horizontalPodAutoscalersView } from './horizontalpodautoscalers.js';
import { limitRangesView } from './limitranges.js';
import { resourceQuotasView } from './resourcequotas.js';
import { podDisruptionBudgetsView } from './poddisruptionbudgets.js';
import { persistentVolumesView } from './persistentvolumes.js';
import { persistentVolumeClaimsView } from './persistentvolumeclaims.js';
import { storageClassesView } from './storageclasses.js';
import { nodesView } from './nodes.js';
import { namespacesView } from './namespaces.js';
import { eventsView } from './events.js';
import { serviceAccountsView } from './serviceaccounts.js';
import { clusterRoleBindingsView, clusterRolesView, roleBindingsView, rolesView } from './rbac.js';
import { customResourceDefinitionsView } from './customresourcedefinitions.js';

export const KIND_VIEWS: KindView[] = [
  podsView,
  deploymentsView,
  replicaSetsView,
  statefulSetsView,
  daemonSetsView,
  jobsView,
  cronJobsView,
  servicesView,
  endpointsView,
  ingressesView,
  configMapsView,
  secretsView,
  horizontalPodAutoscalersView,
  limitRangesView,
  resourceQuotasView,
  podDisruptionBudgetsView,
  persistentVolumesView,
  persistentVolumeClaimsView,
  storageClassesView,
  nodesView,
  namespacesView,
  eventsView,
  serviceAccountsView,
  rolesView,
  roleBindingsView,
  clusterRolesView,
  clusterRoleBindingsView,
  customResourceDefinitionsView,
];

export const CATEGORIES: Category[] = ['workloads', 'network', 'config', 'storage', 'cluster', 'access', 'custom'];

export function builtInView(name: string): KindView | undefined {
  return KIND_VIEWS.find((v) => v.name === name);
}
