// Admission as kube-apiserver runs it: mutating plugins (admit) in order, then validating ones
// (validate), after defaulting and before validation/storage. A plugin rejects by throwing ApiError.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ResourceDef, UserInfo } from '../../registry/types.js';
import type { ApiClient } from '../client.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceDef;
  /** "" for the main resource, else "status", "scale", "binding", "eviction", "exec"... */
  subresource: string;
  namespace: string;
  name: string;
  /** The incoming object (mutable by admit). Absent on DELETE and CONNECT. */
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
  /**
   * Warnings for the client (kube-apiserver sends them as HTTP Warning headers, kubectl prints
   * "Warning: ..."). Plugins append, creating the array when absent; the caller returns them.
   */
  warnings?: string[];
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase: may change attributes.object. */
  admit?(attributes: AdmissionAttributes, client: ApiClient): Promise<void>;
  /** Validating phase: may only reject. */
  validate?(attributes: AdmissionAttributes, client: ApiClient): Promise<void>;
}
