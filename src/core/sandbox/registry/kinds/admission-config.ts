// admissionregistration.k8s.io webhook configurations: SetDefaults_*Webhook and the required
// fields of ValidateValidating/MutatingWebhookConfiguration.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { duplicate, index, required, validateEnum, type Cause } from './field.js';
import { arr, child, def, defStr, objs, str } from './util.js';

function defaultWebhooks(obj: KubeObject, mutating: boolean): void {
  for (const w of objs(obj, 'webhooks')) {
    defStr(w, 'failurePolicy', 'Fail');
    defStr(w, 'matchPolicy', 'Equivalent');
    def(w, 'namespaceSelector', {});
    def(w, 'objectSelector', {});
    def(w, 'timeoutSeconds', 10);
    if (mutating) defStr(w, 'reinvocationPolicy', 'Never');
    for (const rule of objs(w, 'rules')) defStr(rule, 'scope', '*');
    const service = child(child(w, 'clientConfig'), 'service');
    if (Object.keys(service).length === 0) delete (w.clientConfig as Record<string, unknown>).service;
    else def(service, 'port', 443);
  }
}

function validateWebhooks(obj: KubeObject): Cause[] {
  const causes: Cause[] = [];
  const names = new Set<string>();
  objs(obj, 'webhooks').forEach((w, i) => {
    const p = index('webhooks', i);
    const name = str(w, 'name') ?? '';
    if (!name) causes.push(required(`${p}.name`, ''));
    else if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
    if (arr(w, 'admissionReviewVersions').length === 0) {
      causes.push(required(`${p}.admissionReviewVersions`, 'must specify one of v1, v1beta1'));
    }
    causes.push(...validateEnum(`${p}.sideEffects`, w.sideEffects, ['None', 'NoneOnDryRun'], true));
    causes.push(...validateEnum(`${p}.failurePolicy`, w.failurePolicy, ['Fail', 'Ignore']));
  });
  return causes;
}

export const validatingWebhookConfigurationStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults: (obj) => defaultWebhooks(obj, false),
  validate: validateWebhooks,
  validateUpdate: validateWebhooks,
};

export const mutatingWebhookConfigurationStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults: (obj) => defaultWebhooks(obj, true),
  validate: validateWebhooks,
  validateUpdate: validateWebhooks,
};
