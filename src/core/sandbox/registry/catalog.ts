// Every resource the sandbox serves, as `kubectl api-resources` lists them on a 1.32 cluster: group,
// versions (preferred first), names, scope, verbs, subresources, etcd key prefix (the same keys
// kube-apiserver uses), the kind's strategy and its table printer. Also the ResourceDef of a CRD.
import type { KubeObject } from '../../../shared/kube.js';
import { customResourceStrategy, plainStrategy, strategies } from './kinds/index.js';
import { arr, isObj, objs, peek, str } from './kinds/util.js';
import { printerForCustomResource, printers } from './printers/index.js';
import type { ResourceDef, Verb } from './types.js';

/** A catalog entry; `virtual` resources (reviews, bindings) are create-only and never stored. */
export interface CatalogResourceDef extends ResourceDef {
  virtual?: boolean;
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_DELETECOLLECTION: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

interface Entry {
  kind: string;
  plural: string;
  namespaced: boolean;
  prefix?: string;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  verbs?: Verb[];
  virtual?: boolean;
}

function keyOf(group: string, plural: string): string {
  return group ? `${group}/${plural}` : plural;
}

function build(group: string, versions: string[], e: Entry): CatalogResourceDef {
  const key = keyOf(group, e.plural);
  const def: CatalogResourceDef = {
    group,
    versions,
    kind: e.kind,
    listKind: `${e.kind}List`,
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    namespaced: e.namespaced,
    verbs: e.verbs ?? ALL_VERBS,
    storagePrefix: e.virtual ? '' : (e.prefix ?? `/registry/${e.plural}`),
    strategy: strategies[key] ?? plainStrategy(),
  };
  if (e.shortNames) def.shortNames = e.shortNames;
  if (e.categories) def.categories = e.categories;
  if (e.subresources) def.subresources = e.subresources;
  if (e.virtual) def.virtual = true;
  const printer = printers[key];
  if (printer) def.printer = printer;
  return def;
}

const ns = true;
const cluster = false;
const ALL = ['all'];
const EXT = ['api-extensions'];
const STATUS = ['status'];
const STATUS_SCALE = ['status', 'scale'];
const CREATE_ONLY: Verb[] = ['create'];

const GROUPS: { group: string; versions: string[]; entries: Entry[] }[] = [
  {
    group: '',
    versions: ['v1'],
    entries: [
      { kind: 'Binding', plural: 'bindings', namespaced: ns, verbs: CREATE_ONLY, virtual: true },
      // Deprecated but still listed by kubectl api-resources; read-only. The control plane may keep
      // its components' health objects here.
      { kind: 'ComponentStatus', plural: 'componentstatuses', namespaced: cluster, shortNames: ['cs'], verbs: ['get', 'list'] },
      { kind: 'ConfigMap', plural: 'configmaps', namespaced: ns, shortNames: ['cm'] },
      { kind: 'Endpoints', plural: 'endpoints', namespaced: ns, shortNames: ['ep'], prefix: '/registry/services/endpoints' },
      { kind: 'Event', plural: 'events', namespaced: ns, shortNames: ['ev'] },
      { kind: 'LimitRange', plural: 'limitranges', namespaced: ns, shortNames: ['limits'] },
      { kind: 'Namespace', plural: 'namespaces', namespaced: cluster, shortNames: ['ns'], subresources: ['status', 'finalize'], verbs: NO_DELETECOLLECTION },
      { kind: 'Node', plural: 'nodes', namespaced: cluster, shortNames: ['no'], subresources: ['status', 'proxy'], prefix: '/registry/minions' },
      { kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: ns, shortNames: ['pvc'], subresources: STATUS },
      { kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: cluster, shortNames: ['pv'], subresources: STATUS },
      {
        kind: 'Pod',
        plural: 'pods',
        namespaced: ns,
        shortNames: ['po'],
        categories: ALL,
        subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'],
      },
      { kind: 'PodTemplate', plural: 'podtemplates', namespaced: ns },
      { kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: ns, shortNames: ['rc'], categories: ALL, subresources: STATUS_SCALE, prefix: '/registry/controllers' },
      { kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: ns, shortNames: ['quota'], subresources: STATUS },
      { kind: 'Secret', plural: 'secrets', namespaced: ns },
      { kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: ns, shortNames: ['sa'], subresources: ['token'] },
      { kind: 'Service', plural: 'services', namespaced: ns, shortNames: ['svc'], categories: ALL, subresources: ['status', 'proxy'], prefix: '/registry/services/specs' },
    ],
  },
  {
    group: 'apiregistration.k8s.io',
    versions: ['v1'],
    entries: [{ kind: 'APIService', plural: 'apiservices', namespaced: cluster, categories: EXT, subresources: STATUS, prefix: '/registry/apiregistration.k8s.io/apiservices' }],
  },
  {
    group: 'apps',
    versions: ['v1'],
    entries: [
      { kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: ns },
      { kind: 'DaemonSet', plural: 'daemonsets', namespaced: ns, shortNames: ['ds'], categories: ALL, subresources: STATUS },
      { kind: 'Deployment', plural: 'deployments', namespaced: ns, shortNames: ['deploy'], categories: ALL, subresources: STATUS_SCALE },
      { kind: 'ReplicaSet', plural: 'replicasets', namespaced: ns, shortNames: ['rs'], categories: ALL, subresources: STATUS_SCALE },
      { kind: 'StatefulSet', plural: 'statefulsets', namespaced: ns, shortNames: ['sts'], categories: ALL, subresources: STATUS_SCALE },
    ],
  },
  // events.k8s.io/v1 Events are the core Events under another schema: same keys.
  { group: 'events.k8s.io', versions: ['v1'], entries: [{ kind: 'Event', plural: 'events', namespaced: ns, shortNames: ['ev'] }] },
  {
    group: 'authentication.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: cluster, verbs: CREATE_ONLY, virtual: true },
      { kind: 'TokenReview', plural: 'tokenreviews', namespaced: cluster, verbs: CREATE_ONLY, virtual: true },
    ],
  },
  {
    group: 'authorization.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews', namespaced: ns, verbs: CREATE_ONLY, virtual: true },
      { kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: cluster, verbs: CREATE_ONLY, virtual: true },
      { kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: cluster, verbs: CREATE_ONLY, virtual: true },
      { kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: cluster, verbs: CREATE_ONLY, virtual: true },
    ],
  },
  {
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    entries: [{ kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: ns, shortNames: ['hpa'], categories: ALL, subresources: STATUS }],
  },
  {
    group: 'batch',
    versions: ['v1'],
    entries: [
      { kind: 'CronJob', plural: 'cronjobs', namespaced: ns, shortNames: ['cj'], categories: ALL, subresources: STATUS },
      { kind: 'Job', plural: 'jobs', namespaced: ns, categories: ALL, subresources: STATUS },
    ],
  },
  {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    entries: [{ kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', namespaced: cluster, shortNames: ['csr'], subresources: ['status', 'approval'] }],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'IngressClass', plural: 'ingressclasses', namespaced: cluster },
      { kind: 'Ingress', plural: 'ingresses', namespaced: ns, shortNames: ['ing'], subresources: STATUS, prefix: '/registry/ingress' },
      { kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: ns, shortNames: ['netpol'] },
    ],
  },
  {
    group: 'policy',
    versions: ['v1'],
    entries: [{ kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: ns, shortNames: ['pdb'], subresources: STATUS }],
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: cluster },
      { kind: 'ClusterRole', plural: 'clusterroles', namespaced: cluster },
      { kind: 'RoleBinding', plural: 'rolebindings', namespaced: ns },
      { kind: 'Role', plural: 'roles', namespaced: ns },
    ],
  },
  {
    group: 'storage.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'CSIDriver', plural: 'csidrivers', namespaced: cluster },
      { kind: 'CSINode', plural: 'csinodes', namespaced: cluster },
      { kind: 'CSIStorageCapacity', plural: 'csistoragecapacities', namespaced: ns },
      { kind: 'StorageClass', plural: 'storageclasses', namespaced: cluster, shortNames: ['sc'] },
      { kind: 'VolumeAttachment', plural: 'volumeattachments', namespaced: cluster, subresources: STATUS },
    ],
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: cluster, categories: EXT },
      { kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', namespaced: cluster, categories: EXT, subresources: STATUS },
      { kind: 'ValidatingAdmissionPolicyBinding', plural: 'validatingadmissionpolicybindings', namespaced: cluster, categories: EXT },
      { kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: cluster, categories: EXT },
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    entries: [
      {
        kind: 'CustomResourceDefinition',
        plural: 'customresourcedefinitions',
        namespaced: cluster,
        shortNames: ['crd', 'crds'],
        categories: EXT,
        subresources: STATUS,
        prefix: '/registry/apiextensions.k8s.io/customresourcedefinitions',
      },
    ],
  },
  { group: 'scheduling.k8s.io', versions: ['v1'], entries: [{ kind: 'PriorityClass', plural: 'priorityclasses', namespaced: cluster, shortNames: ['pc'] }] },
  { group: 'coordination.k8s.io', versions: ['v1'], entries: [{ kind: 'Lease', plural: 'leases', namespaced: ns }] },
  { group: 'node.k8s.io', versions: ['v1'], entries: [{ kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: cluster }] },
  { group: 'discovery.k8s.io', versions: ['v1'], entries: [{ kind: 'EndpointSlice', plural: 'endpointslices', namespaced: ns }] },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    versions: ['v1'],
    entries: [
      { kind: 'FlowSchema', plural: 'flowschemas', namespaced: cluster, subresources: STATUS },
      { kind: 'PriorityLevelConfiguration', plural: 'prioritylevelconfigurations', namespaced: cluster, subresources: STATUS },
    ],
  },
];

/** All built-in resources, in kube-apiserver's discovery order (group priority, then resource name). */
export function builtinResources(): CatalogResourceDef[] {
  return GROUPS.flatMap(({ group, versions, entries }) => entries.map((e) => build(group, versions, e)));
}

/** Whether a ResourceDef is one of the create-only resources that are never stored. */
export function isVirtual(def: ResourceDef): boolean {
  return (def as CatalogResourceDef).virtual === true;
}

/** The ResourceDef serving a CRD's custom resources (from its spec, storage version first). */
export function customResourceDef(crd: KubeObject): ResourceDef {
  const spec = peek(crd, 'spec');
  const group = str(spec, 'group') ?? '';
  const names = peek(spec, 'names');
  const kind = str(names, 'kind') ?? '';
  const plural = str(names, 'plural') ?? '';
  const versions = objs(spec, 'versions');
  const storage = versions.find((v) => v.storage === true);
  const served = versions.filter((v) => v.served === true);
  const ordered = [...served.filter((v) => v === storage), ...served.filter((v) => v !== storage)];
  const subresources = peek(storage ?? served[0], 'subresources');
  const subs: string[] = [];
  if (isObj(subresources?.status)) subs.push('status');
  if (isObj(subresources?.scale)) subs.push('scale');
  const def: ResourceDef = {
    group,
    versions: ordered.map((v) => str(v, 'name') ?? '').filter((v) => v !== ''),
    kind,
    listKind: str(names, 'listKind') ?? `${kind}List`,
    plural,
    singular: str(names, 'singular') ?? kind.toLowerCase(),
    namespaced: str(spec, 'scope') !== 'Cluster',
    verbs: ALL_VERBS,
    storagePrefix: `/registry/${group}/${plural}`,
    strategy: customResourceStrategy(subs.includes('status')),
    printer: printerForCustomResource(ordered[0] ?? storage),
  };
  const shortNames = arr(names, 'shortNames').filter((s): s is string => typeof s === 'string');
  if (shortNames.length > 0) def.shortNames = shortNames;
  const categories = arr(names, 'categories').filter((s): s is string => typeof s === 'string');
  if (categories.length > 0) def.categories = categories;
  if (subs.length > 0) def.subresources = subs;
  return def;
}
