// The admission chain: every plugin's admit (mutating phase) in order, then every plugin's
// validate in the same order; the first rejection (an ApiError) ends the request.
//
// Default plugins, in kube-apiserver 1.32's order (AllOrderedPlugins, restricted to what the
// sandbox implements of the default-enabled set):
//   1. NamespaceLifecycle       first, so nothing is written into a namespace that is missing or
//                               terminating, and later plugins never look up objects there.
//   2. LimitRanger              fills container requests/limits before anything reads them.
//   3. ServiceAccount           sets the account and the token volume (order-independent of 2).
//   4. Priority                 resolves priorityClassName into spec.priority.
//   5. DefaultTolerationSeconds not-ready/unreachable tolerations for pods.
//   6. DefaultStorageClass      storageClassName for claims that name none.
//   7. ResourceQuota            last, upstream's rule: it must see the final object, after every
//                               mutation, since what it charges is what gets stored.
// Mutating webhooks, validating policies/webhooks, PodSecurity and the certificate plugins are
// not part of the sandbox.
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import { DefaultStorageClassPlugin } from './default-storage-class.js';
import { DefaultTolerationSecondsPlugin } from './default-tolerations.js';
import { LimitRangerPlugin } from './limit-ranger.js';
import { NamespaceLifecyclePlugin } from './namespace-lifecycle.js';
import { PriorityPlugin } from './priority.js';
import { ResourceQuotaPlugin, type ResourceQuotaOptions } from './resource-quota.js';
import { ServiceAccountPlugin, type ServiceAccountOptions } from './service-account.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export interface DefaultAdmissionOptions {
  serviceAccount?: ServiceAccountOptions;
  resourceQuota?: ResourceQuotaOptions;
  /** Plugin names left out (e.g. ["ResourceQuota"]), as kube-apiserver's --disable-admission-plugins. */
  disabled?: string[];
}

export function defaultAdmissionPlugins(options: DefaultAdmissionOptions = {}): AdmissionPlugin[] {
  const plugins: AdmissionPlugin[] = [
    new NamespaceLifecyclePlugin(),
    new LimitRangerPlugin(),
    new ServiceAccountPlugin(options.serviceAccount),
    new PriorityPlugin(),
    new DefaultTolerationSecondsPlugin(),
    new DefaultStorageClassPlugin(),
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
