// The in-process API client. Controllers, the scheduler, kubelets and admission plugins use it; it
// goes through the same handlers (validation, admission, storage, watch) as a request over HTTPS,
// only skipping the socket, so what they do is exactly what kubectl could do.
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeList, KubeObject } from '../../../shared/kube.js';

export interface ResourceRef {
  group: string;
  /** Omitted: the preferred version. */
  version?: string;
  /** Plural resource name, e.g. "pods", "deployments". */
  resource: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  subresource?: string;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchQuery extends ListQuery {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface ClientWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export interface ClientWatch extends Disposable {
  readonly ready: Promise<void>;
  /** Settles when the watch ends: normally (timeout, dispose) or with an ApiError (e.g. 410). */
  readonly done: Promise<void>;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Errors are ApiError (errors.ts), exactly the Status an HTTP client would get. */
export interface ApiClient {
  /**
   * resourceVersion "0" accepts any recent state, served from the watch cache when there is one:
   * what kube-apiserver's admission plugins read through their informers' listers.
   */
  get(ref: ResourceRef, namespace: string, name: string, options?: { subresource?: string; resourceVersion?: string }): Promise<KubeObject>;
  /** namespace "" lists across all namespaces (or a cluster-scoped resource). */
  list(ref: ResourceRef, namespace: string, query?: ListQuery): Promise<KubeList>;
  create(ref: ResourceRef, namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  update(ref: ResourceRef, namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  patch(
    ref: ResourceRef,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions & { force?: boolean },
  ): Promise<KubeObject>;
  /** Resolves with the deleted object, or with the object still terminating (finalizers, grace). */
  delete(ref: ResourceRef, namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject>;
  watch(ref: ResourceRef, namespace: string, query: WatchQuery, onEvent: (event: ClientWatchEvent) => void): ClientWatch;
}
