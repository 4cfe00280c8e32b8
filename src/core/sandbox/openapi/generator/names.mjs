// Kubernetes API groups and schema names. kubernetes-types lays its files out as <dir>/<version>.d.ts;
// kube-apiserver names schemas after Go packages (io.k8s.api.apps.v1.Deployment); client-node names
// models after version + type (V1Deployment), with a group prefix only when two groups collide
// (CoreV1Event, EventsV1Event).

/** kubernetes-types directory -> API group and Go package prefix. */
export const GROUPS = {
  core: { group: '', pkg: 'io.k8s.api.core' },
  admissionregistration: { group: 'admissionregistration.k8s.io', pkg: 'io.k8s.api.admissionregistration' },
  apiextensions: { group: 'apiextensions.k8s.io', pkg: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions' },
  apiserverinternal: { group: 'internal.apiserver.k8s.io', pkg: 'io.k8s.api.apiserverinternal' },
  apps: { group: 'apps', pkg: 'io.k8s.api.apps' },
  authentication: { group: 'authentication.k8s.io', pkg: 'io.k8s.api.authentication' },
  authorization: { group: 'authorization.k8s.io', pkg: 'io.k8s.api.authorization' },
  autoscaling: { group: 'autoscaling', pkg: 'io.k8s.api.autoscaling' },
  batch: { group: 'batch', pkg: 'io.k8s.api.batch' },
  certificates: { group: 'certificates.k8s.io', pkg: 'io.k8s.api.certificates' },
  coordination: { group: 'coordination.k8s.io', pkg: 'io.k8s.api.coordination' },
  discovery: { group: 'discovery.k8s.io', pkg: 'io.k8s.api.discovery' },
  events: { group: 'events.k8s.io', pkg: 'io.k8s.api.events' },
  flowcontrol: { group: 'flowcontrol.apiserver.k8s.io', pkg: 'io.k8s.api.flowcontrol' },
  networking: { group: 'networking.k8s.io', pkg: 'io.k8s.api.networking' },
  node: { group: 'node.k8s.io', pkg: 'io.k8s.api.node' },
  policy: { group: 'policy', pkg: 'io.k8s.api.policy' },
  rbac: { group: 'rbac.authorization.k8s.io', pkg: 'io.k8s.api.rbac' },
  resource: { group: 'resource.k8s.io', pkg: 'io.k8s.api.resource' },
  scheduling: { group: 'scheduling.k8s.io', pkg: 'io.k8s.api.scheduling' },
  storage: { group: 'storage.k8s.io', pkg: 'io.k8s.api.storage' },
  storagemigration: { group: 'storagemigration.k8s.io', pkg: 'io.k8s.api.storagemigration' },
};

/**
 * The group versions documented, with the client-node API class holding their operations.
 * Metrics (metrics.k8s.io) has no models in client-node, so it is not here.
 */
export const DOCUMENTS = [
  { dir: 'core', version: 'v1', api: 'CoreV1Api' },
  { dir: 'admissionregistration', version: 'v1', api: 'AdmissionregistrationV1Api' },
  { dir: 'apiextensions', version: 'v1', api: 'ApiextensionsV1Api' },
  { dir: 'apps', version: 'v1', api: 'AppsV1Api' },
  { dir: 'authentication', version: 'v1', api: 'AuthenticationV1Api' },
  { dir: 'authorization', version: 'v1', api: 'AuthorizationV1Api' },
  { dir: 'autoscaling', version: 'v1', api: 'AutoscalingV1Api' },
  { dir: 'autoscaling', version: 'v2', api: 'AutoscalingV2Api' },
  { dir: 'batch', version: 'v1', api: 'BatchV1Api' },
  { dir: 'certificates', version: 'v1', api: 'CertificatesV1Api' },
  { dir: 'coordination', version: 'v1', api: 'CoordinationV1Api' },
  { dir: 'discovery', version: 'v1', api: 'DiscoveryV1Api' },
  { dir: 'events', version: 'v1', api: 'EventsV1Api' },
  { dir: 'flowcontrol', version: 'v1', api: 'FlowcontrolApiserverV1Api' },
  { dir: 'networking', version: 'v1', api: 'NetworkingV1Api' },
  { dir: 'node', version: 'v1', api: 'NodeV1Api' },
  { dir: 'policy', version: 'v1', api: 'PolicyV1Api' },
  { dir: 'rbac', version: 'v1', api: 'RbacAuthorizationV1Api' },
  { dir: 'scheduling', version: 'v1', api: 'SchedulingV1Api' },
  { dir: 'storage', version: 'v1', api: 'StorageV1Api' },
];

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const RUNTIME = 'io.k8s.apimachinery.pkg.runtime';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const JSON_VALUE = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON';

export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "api/v1" or "apis/apps/v1": the key of a group version in the /openapi/v3 index. */
export function documentPath(group, version) {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Schema name of a kubernetes-types module type ("core/v1", "Pod"), or undefined for unknown modules. */
export function schemaNameFor(moduleKey, typeName) {
  if (moduleKey === 'meta/v1') return `${META}.${typeName}`;
  if (moduleKey === 'runtime') return `${RUNTIME}.${typeName}`;
  if (moduleKey === 'api/resource') return `io.k8s.apimachinery.pkg.api.resource.${typeName}`;
  if (moduleKey === 'version') return `io.k8s.apimachinery.pkg.version.${typeName}`;
  const [dir, version] = moduleKey.split('/');
  const group = GROUPS[dir];
  if (!group || !version) return undefined;
  return `${group.pkg}.${version}.${typeName}`;
}

/** The client-node model candidates for a kubernetes-types type, most specific first. */
export function modelCandidates(moduleKey, typeName) {
  const [dir, version] = moduleKey.split('/');
  if (!version) return [];
  return [`${capitalize(dir)}${capitalize(version)}${typeName}`, `${capitalize(version)}${typeName}`];
}
