// apiVersion + kind → the protobuf message Kubernetes serializes that kind as.
import { KubernetesProtobufError } from './errors.js';
import type { ProtobufSchema } from './schema.js';

/** Groups whose proto package is not k8s.io.api.<first label of the group>. */
const PACKAGE_PREFIXES: Record<string, string> = {
  '': 'k8s.io.api.core',
  'metrics.k8s.io': 'k8s.io.metrics.pkg.apis.metrics',
  'internal.apiserver.k8s.io': 'k8s.io.api.apiserverinternal',
  'meta.k8s.io': 'k8s.io.apimachinery.pkg.apis.meta',
};

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function protoPackageFor(group: string, version: string): string {
  const prefix = PACKAGE_PREFIXES[group] ?? `k8s.io.api.${group.replace(/\.k8s\.io$/, '').split('.')[0]}`;
  return `${prefix}.${version}`;
}

/**
 * The message name for a kind. Kinds every group version registers (DeleteOptions, Status, WatchEvent,
 * ListOptions...) live in meta/v1 whatever the apiVersion says.
 */
export function messageNameFor(schema: ProtobufSchema, apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  const candidates = [`${protoPackageFor(group, version)}.${kind}`, `k8s.io.apimachinery.pkg.apis.meta.${version}.${kind}`, `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`];
  const found = candidates.find((name) => schema.has(name) && !schema.message(name).mapEntry);
  if (!found) {
    throw new KubernetesProtobufError(
      'UnknownKind',
      `no protobuf schema for ${kind} in ${apiVersion || '(no apiVersion)'}: kubectl 1.32 does not know this kind as protobuf (custom resources are JSON only); send application/json`,
    );
  }
  return found;
}
