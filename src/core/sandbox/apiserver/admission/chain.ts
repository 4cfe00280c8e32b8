// The admission chain: every plugin's admit (mutating phase) in order, then every plugin's
// validate in the same order; the first rejection (an ApiError) ends the request.
//
// Default plugins, in kube-apiserver 1.32's order (AllOrderedPlugins, restricted to what the
// sandbox implements of the default-enabled set):
//   NamespaceLifecycle           first, so nothing is written into a namespace that is missing or
//                                terminating, and later plugins never look up objects there.
//   LimitRanger                  fills container requests/limits before anything reads them.
//   ServiceAccount               sets the account and mounts the API token volume.
//   [TaintNodesByCondition]      new nodes start not-ready:NoSchedule.
//   PodSecurity                  pods against their namespace's enforced Pod Security Standard
//                                (enforce mode only; warn/audit need warnings the contract lacks).
//   Priority                     resolves priorityClassName into spec.priority.
//   DefaultTolerationSeconds     not-ready/unreachable tolerations for pods.
//   DefaultStorageClass          storageClassName for claims that name none.
//   [StorageObjectInUseProtection] protection finalizers on PVCs and PVs.
//   PersistentVolumeClaimResize  claims grow only where their StorageClass allows it.
//   RuntimeClass                 pod overhead and scheduling from the RuntimeClass; before quota,
//                                which charges the overhead.
//   [CertificateApproval, CertificateSigning] approving/signing a CSR needs approve/sign on its
//                                signer; only with options.authorizer, as they need to authorize.
//   CertificateSubjectRestriction no kube-apiserver-client certificates for system:masters.
//   DefaultIngressClass          ingressClassName for Ingresses that name none.
//   ResourceQuota                last, upstream's rule: it must see the final object, after every
//                                mutation, since what it charges is what gets stored.
// The bracketed two are on in kube-apiserver but off here unless asked for (options.protection),
// because what they add is only ever removed by a controller (node lifecycle, pvc-protection) that
// the sandbox may not run; without it nodes would never schedule and claims never delete.
// Webhooks and admission policies are not in the sandbox.
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import { CertificateApprovalPlugin, CertificateSigningPlugin, type SignerAuthorizer } from './certificate-approval.js';
import { CertificateSubjectRestrictionPlugin } from './certificate-subject-restriction.js';
import { DefaultIngressClassPlugin } from './default-ingress-class.js';
import { DefaultStorageClassPlugin } from './default-storage-class.js';
import { DefaultTolerationSecondsPlugin } from './default-tolerations.js';
import { LimitRangerPlugin } from './limit-ranger.js';
import { NamespaceLifecyclePlugin } from './namespace-lifecycle.js';
import { PodSecurityPlugin } from './pod-security.js';
import { PriorityPlugin } from './priority.js';
import { StorageObjectInUseProtectionPlugin, TaintNodesByConditionPlugin } from './protection-plugins.js';
import { PersistentVolumeClaimResizePlugin } from './pvc-resize.js';
import { ResourceQuotaPlugin, type ResourceQuotaOptions } from './resource-quota.js';
import { RuntimeClassPlugin } from './runtime-class.js';
import { ServiceAccountPlugin, type ServiceAccountOptions } from './service-account.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export interface DefaultAdmissionOptions {
  serviceAccount?: ServiceAccountOptions;
  resourceQuota?: ResourceQuotaOptions;
  /** Also run TaintNodesByCondition and StorageObjectInUseProtection (needs their controllers). */
  protection?: boolean;
  /** The RBAC authorizer; enables CertificateApproval and CertificateSigning. */
  authorizer?: SignerAuthorizer;
  /** Plugin names left out (e.g. ["ResourceQuota"]), as kube-apiserver's --disable-admission-plugins. */
  disabled?: string[];
}

export function defaultAdmissionPlugins(options: DefaultAdmissionOptions = {}): AdmissionPlugin[] {
  const protection = options.protection ?? false;
  const plugins: AdmissionPlugin[] = [
    new NamespaceLifecyclePlugin(),
    new LimitRangerPlugin(),
    new ServiceAccountPlugin(options.serviceAccount),
    ...(protection ? [new TaintNodesByConditionPlugin()] : []),
    new PodSecurityPlugin(),
    new PriorityPlugin(),
    new DefaultTolerationSecondsPlugin(),
    new DefaultStorageClassPlugin(),
    ...(protection ? [new StorageObjectInUseProtectionPlugin()] : []),
    new PersistentVolumeClaimResizePlugin(),
    new RuntimeClassPlugin(),
    ...(options.authorizer ? [new CertificateApprovalPlugin(options.authorizer), new CertificateSigningPlugin(options.authorizer)] : []),
    new CertificateSubjectRestrictionPlugin(),
    new DefaultIngressClassPlugin(),
    new ResourceQuotaPlugin(options.resourceQuota),
  ];
  const disabled = new Set(options.disabled ?? []);
  return plugins.filter((p) => !disabled.has(p.name));
}

/** Errors that are not ApiError reach clients as kube-apiserver reports unexpected ones: a 500. */
function asApiError(plugin: AdmissionPlugin, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return ApiError.internal(`admission plugin ${plugin.name} failed: ${message}`);
}

export class AdmissionChain {
  constructor(readonly plugins: AdmissionPlugin[]) {}

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    for (const plugin of this.plugins) {
      if (!plugin.admit) continue;
      try {
        await plugin.admit(attributes, client);
      } catch (error) {
        throw asApiError(plugin, error);
      }
    }
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    for (const plugin of this.plugins) {
      if (!plugin.validate) continue;
      try {
        await plugin.validate(attributes, client);
      } catch (error) {
        throw asApiError(plugin, error);
      }
    }
  }
}
