// What the UI learns about a cluster's resource types (discovery, CRD printer columns) and the
// bulk actions of the resource tables. Watches themselves are in contract.ts ('watch.*').
import type { KubeObject } from '../kube.js';

/** A CRD's additionalPrinterColumns entry, as `kubectl get` uses it. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
  format?: string;
}

/** One resource type the cluster serves, at its group's preferred version. */
export interface ResourceType {
  /** What the UI asks a watch for: `pods` for the core group, else `<resource>.<group>` (`deployments.apps`). */
  id: string;
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  /** Set when a CustomResourceDefinition defines the type. */
  crd?: { printerColumns: PrinterColumn[] };
}

export interface DiscoveryResult {
  types: ResourceType[];
  /** Groups that failed to answer (an aggregated API down, say): the rest is still usable. */
  problems: string[];
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface ObjectRef {
  /** A ResourceType id. */
  type: string;
  namespace?: string;
  name: string;
}

export interface DeleteOutcome extends ObjectRef {
  ok: boolean;
  /** The API's reason, when the delete was refused. */
  error?: string;
}

/** Whether the account may list a type, across the cluster or in the context's namespace only. */
export interface AccessAnswer {
  allowed: boolean;
  /** 'namespace' when only the context's namespace is allowed. */
  scope?: 'cluster' | 'namespace';
  reason?: string;
}

export interface ResourcesRpcMethods {
  /** SelfSubjectAccessReviews for `list` on each type: the sidebar marks what it may not show. */
  'resources.access': { params: { clusterId: string; types: string[] }; result: Record<string, AccessAnswer> };
  'resources.discover': { params: { clusterId: string; refresh?: boolean }; result: DiscoveryResult };
  /** A one-off list, for what cannot be watched (metrics.k8s.io). */
  'resources.list': { params: { clusterId: string; type: string; namespace?: string }; result: { items: KubeObject[] } };
  'resources.deleteMany': { params: { clusterId: string; objects: ObjectRef[]; propagationPolicy: PropagationPolicy }; result: { outcomes: DeleteOutcome[] } };
}

export const RESOURCES_METHOD_NAMES = ['resources.discover', 'resources.list', 'resources.deleteMany', 'resources.access'] as const;
