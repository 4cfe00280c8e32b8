// Kubernetes' storage.Interface over a KV: objects in, objects out, resourceVersion set from the
// KV's mod revision. Errors are StorageError; the API server turns them into Status objects at its
// boundary, nowhere else. resourceVersion is an opaque string outside this folder.
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';

export type StorageErrorCode =
  | 'KeyNotFound'
  | 'KeyExists'
  | 'ResourceVersionConflict'
  | 'InvalidObj'
  | 'Expired' // the requested resourceVersion was compacted (410 at the API)
  | 'TooLargeResourceVersion' // asked for a resourceVersion the store has not reached yet
  | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For Expired: the oldest resourceVersion still available. */
    readonly currentResourceVersion?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface GetOptions {
  resourceVersion?: string;
  ignoreNotFound?: boolean;
  /** As GuaranteedUpdateOptions.cachedExisting: a copy of it answers a read that finds that revision stored. */
  cachedExisting?: (modRevision: number) => KubeObject | undefined;
}

export interface CreateOptions {
  /** The caller gives `obj` up: the storage may return it, with its resourceVersion, instead of a copy. */
  owned?: boolean;
}

export interface GuaranteedUpdateOptions {
  ignoreNotFound?: boolean;
  /** The objects tryUpdate returns are given up: the storage may return the written one instead of a copy. */
  owned?: boolean;
  preconditions?: Preconditions;
  /**
   * The object as a watch cache holds it at `modRevision`, or undefined (kube's cachedExistingObject):
   * when the stored revision matches, the update starts from it instead of decoding the stored bytes.
   */
  cachedExisting?: (modRevision: number) => KubeObject | undefined;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface ListOptions {
  /** Key prefix, e.g. "/registry/pods/default/". */
  prefix: string;
  /**
   * "" or undefined: most recent (consistent read). Otherwise the semantics of resourceVersionMatch:
   * "NotOlderThan" (default when a resourceVersion is given) or "Exact".
   */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** Page size; 0 or omitted: everything. */
  limit?: number;
  /** Opaque continue token from a previous page. */
  continue?: string;
  /** Applied before paging, as kube-apiserver does with its SelectionPredicate. */
  predicate?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** Token for the next page, "" when this was the last one. */
  continue: string;
  remainingItemCount?: number;
}

export type StorageWatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface StorageWatchEvent {
  type: StorageWatchEventType;
  /**
   * For DELETED: the last state with resourceVersion = the deleting revision. For BOOKMARK: only metadata.resourceVersion.
   * ADDED/MODIFIED/DELETED objects may be deep-frozen and shared with other watchers (the watch cache's): copy before writing.
   */
  object: KubeObject;
}

export interface StorageWatchOptions {
  /** Key or prefix watched. */
  key: string;
  recursive: boolean;
  /** "" or undefined: start now. "0": start with the current state as ADDED events, then changes. Else strictly after it. */
  resourceVersion?: string;
  /** Send the initial state as ADDED events then a BOOKMARK with annotation k8s.io/initial-events-end. */
  sendInitialEvents?: boolean;
  /** Events the predicate rejects are filtered; an object that stops matching arrives as DELETED. */
  predicate?: (obj: KubeObject) => boolean;
  /** Emit BOOKMARK events periodically (ms). */
  bookmarkIntervalMs?: number;
  /** The watcher freezes what it receives (the watch cache shares it): objects may arrive frozen already. */
  frozen?: boolean;
}

export interface StorageWatch extends Disposable {
  /** Resolves when the watch is established. Rejects with StorageError('Expired') on a compacted revision. */
  readonly ready: Promise<void>;
}

export interface ObjectStorage {
  /** Fails with KeyExists. Returns the stored object with resourceVersion set. */
  create(key: string, obj: KubeObject, options?: CreateOptions): Promise<KubeObject>;
  /** Fails with KeyNotFound unless ignoreNotFound (then resolves undefined). */
  get(key: string, options?: GetOptions): Promise<KubeObject | undefined>;
  list(options: ListOptions): Promise<ListResult>;
  /**
   * Read-modify-write with retries on concurrent modification. `tryUpdate` receives the current
   * object (undefined if absent and ignoreNotFound) and returns the new one, or throws to abort.
   * Preconditions failing give ResourceVersionConflict. `current` may be a watch cache's frozen,
   * shared object (see GuaranteedUpdateOptions.cachedExisting): copy it before changing anything.
   */
  guaranteedUpdate(key: string, tryUpdate: (current: KubeObject | undefined) => Promise<KubeObject> | KubeObject, options?: GuaranteedUpdateOptions): Promise<KubeObject>;
  /** Deletes and returns the last state (resourceVersion = deleting revision). */
  delete(
    key: string,
    options?: { preconditions?: Preconditions; validateDeletion?: (current: KubeObject) => void },
  ): Promise<KubeObject>;
  watch(options: StorageWatchOptions, onEvent: (event: StorageWatchEvent) => void): StorageWatch;
  /** Current revision of the underlying store, as an opaque resourceVersion. */
  currentResourceVersion(): Promise<string>;
  /** Count of objects under a prefix (for `apiserver_storage_objects`-like stats and quotas). */
  count(prefix: string): Promise<number>;
}
