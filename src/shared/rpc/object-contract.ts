// RPC types of the object panel, the YAML editor and the object actions (issue 4): reading one
// object and what relates to it, server-side apply with dry run and conflicts, delete, scale,
// restart, cordon/drain, and the cluster's own OpenAPI schema for the editor.
import type { KubeObject, StatusCause } from '../kube.js';

/** An object by what the API needs to find it. `namespace` is ignored for cluster-scoped kinds. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type DeletePropagation = 'Background' | 'Foreground' | 'Orphan';

/** One SSA conflict: who else manages the field. `field` is the API's path (".spec.replicas"). */
export interface ApplyConflict {
  manager: string;
  field: string;
  message: string;
}

/** What the API answered to a write: the object, or its Status in pieces the UI can place. */
export type WriteOutcome =
  | { ok: true; object: KubeObject; created: boolean }
  | {
      ok: false;
      /** HTTP status: 409 conflict, 422 invalid, 400 bad request, 403 forbidden, 404... */
      code: number;
      reason?: string;
      message: string;
      causes: StatusCause[];
      conflicts: ApplyConflict[];
    };

export interface DrainReport {
  cordoned: boolean;
  /** Evicted and gone (kubectl's "pod/x evicted"). */
  evicted: string[];
  /** DaemonSet pods and mirror pods stay, as `kubectl drain --ignore-daemonsets` leaves them. */
  skipped: { pod: string; reason: string }[];
  /**
   * What stops the drain: pods kubectl refuses without an option (emptyDir data, no controller; then
   * nothing is evicted), evictions a PodDisruptionBudget still refused at the deadline, other errors.
   */
  blocked: { pod: string; reason: string }[];
  /** Evicted (or already terminating) but not gone at the deadline. */
  terminating: string[];
  /** Every pod that had to leave is gone: kubectl's "node/x drained". */
  drained: boolean;
  /** What happened, line by line, as kubectl drain prints it (also sent live as node.drain.progress). */
  log: string[];
}

export interface DrainParams {
  clusterId: string;
  name: string;
  /** How long to retry refused evictions and wait for evicted pods to go (default 60). */
  timeoutSeconds?: number;
  /** `--delete-emptydir-data`: evict pods whose emptyDir data is lost with them. */
  deleteEmptyDirData?: boolean;
  /** `--force`: evict pods no controller manages (nothing recreates them). */
  force?: boolean;
  /** Set to receive node.drain.progress events with this id. */
  progressId?: string;
}

export interface ObjectRpcEvents {
  'node.drain.progress': { progressId: string; line: string };
}

/** A JSON schema monaco-yaml can use: self-contained, refs local to its `definitions`. */
export interface EditorSchema {
  /** apiVersion/Kind the schema validates. */
  key: string;
  schema: Record<string, unknown>;
}

export interface ObjectRpcMethods {
  'object.get': { params: { clusterId: string; ref: KubeObjectRef }; result: KubeObject };
  'object.list': {
    params: { clusterId: string; apiVersion: string; kind: string; namespace?: string; labelSelector?: string; fieldSelector?: string };
    result: KubeObject[];
  };
  /** Events whose involvedObject is this uid, oldest first. */
  'object.events': { params: { clusterId: string; uid: string; namespace?: string }; result: KubeObject[] };
  /** Server-side apply of one YAML document (fieldManager "kubedesk"). */
  'object.apply': { params: { clusterId: string; yaml: string; namespace?: string; dryRun?: boolean; force?: boolean }; result: WriteOutcome };
  /** Every document of a multi-document YAML, applied in order; one outcome per document. */
  'object.create': { params: { clusterId: string; yaml: string; namespace?: string; dryRun?: boolean }; result: WriteOutcome[] };
  'object.delete': { params: { clusterId: string; ref: KubeObjectRef; propagation: DeletePropagation }; result: WriteOutcome };
  'object.scale': { params: { clusterId: string; ref: KubeObjectRef; replicas: number }; result: WriteOutcome };
  'object.restart': { params: { clusterId: string; ref: KubeObjectRef }; result: WriteOutcome };
  'node.cordon': { params: { clusterId: string; name: string; unschedulable: boolean }; result: WriteOutcome };
  'node.drain': { params: DrainParams; result: DrainReport };
  /** The kind's schema from the cluster's /openapi/v3 (CRDs included); null when it has none. */
  'schema.get': { params: { clusterId: string; apiVersion: string; kind: string }; result: EditorSchema | null };
}

export const OBJECT_RPC_METHOD_NAMES = [
  'object.get',
  'object.list',
  'object.events',
  'object.apply',
  'object.create',
  'object.delete',
  'object.scale',
  'object.restart',
  'node.cordon',
  'node.drain',
  'schema.get',
] as const satisfies readonly (keyof ObjectRpcMethods)[];
