// Builders for admission tests: ResourceDefs and AdmissionAttributes as the registry passes them.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceDef } from '../../registry/types.js';
import type { AdmissionAttributes, AdmissionOperation } from './types.js';

const DEFS: Record<string, [group: string, kind: string, namespaced: boolean]> = {
  pods: ['', 'Pod', true],
  namespaces: ['', 'Namespace', false],
  services: ['', 'Service', true],
  configmaps: ['', 'ConfigMap', true],
  secrets: ['', 'Secret', true],
  persistentvolumeclaims: ['', 'PersistentVolumeClaim', true],
  resourcequotas: ['', 'ResourceQuota', true],
  limitranges: ['', 'LimitRange', true],
  nodes: ['', 'Node', false],
  events: ['', 'Event', true],
  deployments: ['apps', 'Deployment', true],
  ingresses: ['networking.k8s.io', 'Ingress', true],
  persistentvolumes: ['', 'PersistentVolume', false],
  certificatesigningrequests: ['certificates.k8s.io', 'CertificateSigningRequest', false],
  priorityclasses: ['scheduling.k8s.io', 'PriorityClass', false],
  storageclasses: ['storage.k8s.io', 'StorageClass', false],
  localsubjectaccessreviews: ['authorization.k8s.io', 'LocalSubjectAccessReview', true],
};

export function resourceDef(plural: string): ResourceDef {
  const entry = DEFS[plural];
  if (!entry) throw new Error(`test-fixtures: no ResourceDef for ${plural}; add it to DEFS`);
  const [group, kind, namespaced] = entry;
  return {
    group,
    versions: ['v1'],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
    storagePrefix: `/registry/${plural}`,
    strategy: {},
  };
}

export function attrs(
  operation: AdmissionOperation,
  plural: string,
  options: { namespace?: string; name?: string; object?: KubeObject; oldObject?: KubeObject; subresource?: string } = {},
): AdmissionAttributes {
  const namespace = options.namespace ?? (resourceDef(plural).namespaced ? 'default' : '');
  return {
    operation,
    resource: resourceDef(plural),
    subresource: options.subresource ?? '',
    namespace,
    name: options.name ?? options.object?.metadata.name ?? options.oldObject?.metadata.name ?? '',
    object: options.object,
    oldObject: options.oldObject,
    user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
    dryRun: false,
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }], ...spec },
  };
}

export function container(name: string, requests?: Record<string, string>, limits?: Record<string, string>): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  if (requests) resources.requests = requests;
  if (limits) resources.limits = limits;
  return { name, image: 'nginx:1.27', resources };
}

/** Run a promise that must reject, returning the error for assertions. */
export async function rejection(promise: Promise<unknown>): Promise<{ status: { code: number; reason?: string; message?: string; details?: unknown } }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: { code: number; reason?: string; message?: string; details?: unknown } };
  }
  throw new Error('expected a rejection, but the call succeeded');
}
