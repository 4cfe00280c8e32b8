// Smaller core/v1 kinds: Namespaces (finalizer, phase, name label), Nodes, ServiceAccounts, Events,
// LimitRanges, ResourceQuotas, Endpoints, PodTemplates.
import type { Strategy } from '../types.js';
import { forbidden, index, invalid, invalidEach, key, required, validateEnum, type Cause } from './field.js';
import { isDNS1123Label, isQualifiedName } from './names.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-template.js';
import { canonicalizeResourceList, formatQuantity, isNegative, parseQuantity, QUANTITY_REGEX_MESSAGE } from './quantity.js';
import { arr, child, defStr, isObj, objs, peek, spec, statusSubresource, str, type Obj } from './util.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const namespaceStrategy: Strategy = {
  tracksGeneration: false,
  selectableFields(obj) {
    return { 'status.phase': str(peek(obj, 'status'), 'phase') ?? '' };
  },
  applyDefaults(obj) {
    // SetDefaults_Namespace: the immutable name label, so namespaces can be selected by name.
    if (obj.metadata.name) obj.metadata.labels = { ...obj.metadata.labels, [NAMESPACE_NAME_LABEL]: obj.metadata.name };
  },
  prepareForCreate(obj) {
    const s = spec(obj);
    const finalizers = arr(s, 'finalizers').filter((f): f is string => typeof f === 'string');
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    s.finalizers = finalizers;
    obj.status = { phase: 'Active' };
  },
  prepareForUpdate(obj, old) {
    // Finalizers of the spec change only through the finalize subresource.
    const oldSpec = peek(old, 'spec');
    if (oldSpec) obj.spec = structuredClone(oldSpec);
    obj.status = structuredClone(old.status);
  },
  prepareForStatusUpdate(obj, old) {
    old.status = structuredClone(obj.status);
  },
  validate: validateNamespace,
  validateUpdate: validateNamespace,
};

function validateNamespace(obj: Obj): Cause[] {
  const causes: Cause[] = [];
  arr(peek(obj, 'spec'), 'finalizers').forEach((f, i) => {
    if (typeof f === 'string') causes.push(...invalidEach(index('spec.finalizers', i), f, isQualifiedName(f)));
  });
  return causes;
}

/** PUT /namespaces/{name}/finalize: only spec.finalizers change. */
export function prepareForNamespaceFinalize(obj: Obj, old: Obj): void {
  const finalizers = arr(peek(obj, 'spec'), 'finalizers');
  child(old, 'spec').finalizers = finalizers;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateNode(obj: Obj): Cause[] {
  const causes: Cause[] = [];
  objs(peek(obj, 'spec'), 'taints').forEach((t, i) => {
    const p = index('spec.taints', i);
    const k = str(t, 'key');
    if (!k) causes.push(required(`${p}.key`, ''));
    else causes.push(...invalidEach(`${p}.key`, k, isQualifiedName(k)));
    causes.push(...validateEnum(`${p}.effect`, t.effect, TAINT_EFFECTS, true));
  });
  return causes;
}

export const nodeStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    const status = peek(obj, 'status');
    const capacity = peek(status, 'capacity');
    if (status && capacity && status.allocatable === undefined) status.allocatable = { ...capacity };
    canonicalizeResourceList(capacity);
    canonicalizeResourceList(status?.allocatable);
  },
  prepareForCreate(obj) {
    // Kubelets register with their status; only the deprecated config source is dropped.
    const s = peek(obj, 'spec');
    if (s) delete s.configSource;
  },
  prepareForUpdate(obj, old) {
    obj.status = structuredClone(old.status);
  },
  prepareForStatusUpdate(obj, old) {
    old.status = structuredClone(obj.status);
  },
  validate: validateNode,
  validateUpdate(obj, old) {
    const causes = validateNode(obj);
    const oldCIDR = str(peek(old, 'spec'), 'podCIDR');
    const newCIDR = str(peek(obj, 'spec'), 'podCIDR');
    if (oldCIDR && newCIDR !== oldCIDR) causes.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    return causes;
  },
  selectableFields(obj) {
    return { 'spec.unschedulable': String(peek(obj, 'spec')?.unschedulable === true) };
  },
};

export const serviceAccountStrategy: Strategy = { tracksGeneration: false };

export const eventStrategy: Strategy = {
  tracksGeneration: false,
  validate(obj) {
    const causes: Cause[] = [];
    const involved = peek(obj, 'involvedObject');
    const ns = obj.metadata.namespace ?? '';
    const involvedNs = str(involved, 'namespace') ?? '';
    if (obj.apiVersion !== 'events.k8s.io/v1' && involved && involvedNs && involvedNs !== ns) {
      causes.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    causes.push(...validateEnum('type', obj.type, ['Normal', 'Warning']));
    return causes;
  },
  selectableFields(obj) {
    const involved = peek(obj, 'involvedObject');
    const fields: Record<string, string> = {
      reason: str(obj, 'reason') ?? '',
      type: str(obj, 'type') ?? '',
      source: str(peek(obj, 'source'), 'component') ?? '',
    };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
      fields[`involvedObject.${f}`] = str(involved, f) ?? '';
    }
    return fields;
  },
};

/** Every value of a ResourceList must be a quantity (decoding would reject others). */
export function validateResourceList(list: unknown, path: string, allowNegative = false): Cause[] {
  if (!isObj(list)) return [];
  const causes: Cause[] = [];
  for (const [name, value] of Object.entries(list)) {
    const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
    if (!q) causes.push(invalid(key(path, name), value, QUANTITY_REGEX_MESSAGE));
    else if (!allowNegative && isNegative(q)) causes.push(invalid(key(path, name), formatQuantity(q), 'must be greater than or equal to 0'));
  }
  return causes;
}

export const limitRangeStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    // SetDefaults_LimitRangeItem: for containers, default limits fall back to max, requests to limits.
    for (const l of objs(peek(obj, 'spec'), 'limits')) {
      for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) canonicalizeResourceList(l[f]);
      if (l.type !== 'Container') continue;
      const max = peek(l, 'max');
      if (max) l.default = { ...max, ...peek(l, 'default') };
      const defaults = peek(l, 'default');
      if (defaults) l.defaultRequest = { ...defaults, ...peek(l, 'defaultRequest') };
      const min = peek(l, 'min');
      if (min) l.defaultRequest = { ...min, ...peek(l, 'defaultRequest') };
    }
  },
  validate(obj) {
    const causes: Cause[] = [];
    objs(peek(obj, 'spec'), 'limits').forEach((l, i) => {
      const p = index('spec.limits', i);
      causes.push(...validateEnum(`${p}.type`, l.type, ['Pod', 'Container', 'PersistentVolumeClaim'], true));
      for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) causes.push(...validateResourceList(l[f], `${p}.${f}`));
    });
    return causes;
  },
};
limitRangeStrategy.validateUpdate = (obj, _old, ctx) => limitRangeStrategy.validate!(obj, ctx);

export const resourceQuotaStrategy: Strategy = {
  tracksGeneration: false,
  // ResourceQuotaStatus is a struct, so an empty one still serializes as `status: {}`.
  ...statusSubresource(() => ({})),
  applyDefaults(obj) {
    canonicalizeResourceList(peek(obj, 'spec')?.hard);
  },
  validate(obj) {
    const causes = validateResourceList(peek(obj, 'spec')?.hard, 'spec.hard');
    arr(peek(obj, 'spec'), 'scopes').forEach((scope, i) => {
      causes.push(
        ...validateEnum(index('spec.scopes', i), scope, ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity']),
      );
    });
    return causes;
  },
};
resourceQuotaStrategy.validateUpdate = (obj, _old, ctx) => resourceQuotaStrategy.validate!(obj, ctx);

export const endpointsStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    for (const subset of objs(obj, 'subsets')) for (const port of objs(subset, 'ports')) defStr(port, 'protocol', 'TCP');
  },
  validate(obj) {
    const causes: Cause[] = [];
    objs(obj, 'subsets').forEach((subset, i) => {
      objs(subset, 'addresses').forEach((a, j) => {
        if (!str(a, 'ip')) causes.push(required(`${index('subsets', i)}.${index('addresses', j)}.ip`, ''));
      });
      objs(subset, 'ports').forEach((port, j) => {
        const name = str(port, 'name');
        if (name) causes.push(...invalidEach(`${index('subsets', i)}.${index('ports', j)}.name`, name, isDNS1123Label(name)));
      });
    });
    return causes;
  },
};
endpointsStrategy.validateUpdate = (obj, _old, ctx) => endpointsStrategy.validate!(obj, ctx);

export const podTemplateStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    defaultPodTemplate(child(obj as Obj, 'template'));
  },
  validate(obj) {
    return validatePodTemplateSpec(peek(obj, 'template'), 'template');
  },
};
podTemplateStrategy.validateUpdate = (obj, _old, ctx) => podTemplateStrategy.validate!(obj, ctx);
