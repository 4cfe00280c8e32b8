// How a resource is described to the generic registry store: one ResourceDef per resource, with a
// small Strategy for what differs between kinds (as k8s.io/apiserver's RESTCreateStrategy etc.).
import type { KubeObject, StatusCause } from '../../../shared/kube.js';

export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

export interface ResourceDef {
  group: string; // "" for core
  /** Served versions, preferred first. Storage is always in the first one. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  /** Subresources served: "status", "scale", "binding", "eviction", "log", "exec", "token"... */
  subresources?: string[];
  /**
   * Key prefix in the store, without trailing slash, e.g. "/registry/pods",
   * "/registry/minions", "/registry/services/specs".
   */
  storagePrefix: string;
  strategy: Strategy;
  /** Table columns for `kubectl get`. Absent: NAME and AGE only (kube-apiserver's default). */
  printer?: TablePrinter;
}

/** Context of one request, given to strategies. */
export interface StrategyContext {
  /** Namespace of the request ("" for cluster-scoped). */
  namespace: string;
  user: UserInfo;
  /** Current time (injected clock). */
  now: Date;
  dryRun: boolean;
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/**
 * What differs per kind. Every hook is optional; the generic store already handles names,
 * namespaces, uid, creationTimestamp, generation bumps on spec change, resourceVersion,
 * managedFields and ObjectMeta validation.
 */
export interface Strategy {
  /** Clear status on create, set defaults that depend on nothing else (the kind's SetDefaults_*). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Keep what a main-resource update may not change (usually status), from `old`. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Defaulting as kube-apiserver's SetDefaults_* for this kind (runs before validate, on create and update). */
  applyDefaults?(obj: KubeObject): void;
  /** Field causes for an invalid object; empty when valid. Field paths as kube-apiserver: "spec.containers[0].image". */
  validate?(obj: KubeObject, ctx: StrategyContext): StatusCause[];
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): StatusCause[];
  /**
   * For the status subresource, when the kind checks less there than on a whole update (pods:
   * ValidatePodStatusUpdate; the spec is the stored one, already valid). Absent: validateUpdate.
   */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): StatusCause[];
  /** Normalize after validation (e.g. sort, drop empty fields). */
  canonicalize?(obj: KubeObject): void;
  /** Whether spec changes bump metadata.generation (true for most kinds with a spec). */
  tracksGeneration?: boolean;
  /** For the status subresource: copy status from `obj` onto `old`, keep the rest of `old`. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Fields selectable in fieldSelector besides metadata.name and metadata.namespace. */
  selectableFields?(obj: KubeObject): Record<string, string>;
  /** Warnings returned to the client (Warning headers) on create/update. */
  warnings?(obj: KubeObject): string[];
}

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string; // "name" for the NAME column, "" otherwise
  description: string;
  /** 0: always shown; 1: only with -o wide. */
  priority: number;
}

export interface TablePrinter {
  columns: TableColumnDefinition[];
  /** One row's cells, in column order. `now` for ages. */
  cells(obj: KubeObject, now: Date): unknown[];
}
