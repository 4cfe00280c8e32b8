// Kinds of the smaller API groups: policy (PodDisruptionBudgets), autoscaling (HPA v2),
// scheduling (PriorityClasses), coordination (Leases), discovery (EndpointSlices), apps
// ControllerRevisions, node (RuntimeClasses), certificates (CSRs).
import type { Strategy } from '../types.js';
import { forbidden, index, invalid, invalidEach, required, validateEnum, validateNonnegative, validatePositive, type Cause } from './field.js';
import { isDNS1123Label } from './names.js';
import { validateLabelSelector } from './selectors.js';
import { arr, child, def, defStr, isObj, objs, peek, spec, statusSubresource, str, type Obj } from './util.js';
import { sameValue, validateIntOrPercent } from './workload-common.js';

export const podDisruptionBudgetStrategy: Strategy = {
  tracksGeneration: true,
  ...statusSubresource(() => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 })),
  validate(obj) {
    const s = spec(obj);
    const causes: Cause[] = [];
    if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
      causes.push(invalid('spec', '', 'minAvailable and maxUnavailable cannot be both set'));
    }
    causes.push(...validateIntOrPercent(s.minAvailable, 'spec.minAvailable'));
    causes.push(...validateIntOrPercent(s.maxUnavailable, 'spec.maxUnavailable'));
    causes.push(...validateLabelSelector(s.selector, 'spec.selector'));
    causes.push(...validateEnum('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']));
    return causes;
  },
};
podDisruptionBudgetStrategy.validateUpdate = (obj, _old, ctx) => podDisruptionBudgetStrategy.validate!(obj, ctx);

const SCALE_UP_DEFAULT = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const SCALE_DOWN_DEFAULT = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

function defaultRules(rules: Obj, defaults: Obj): void {
  for (const [k, v] of Object.entries(defaults)) def(rules, k, structuredClone(v));
}

function validateHPA(s: Obj): Cause[] {
  const causes: Cause[] = [];
  const ref = peek(s, 'scaleTargetRef');
  if (!str(ref, 'kind')) causes.push(required('spec.scaleTargetRef.kind', ''));
  if (!str(ref, 'name')) causes.push(required('spec.scaleTargetRef.name', ''));
  const min = s.minReplicas;
  const max = s.maxReplicas;
  if (typeof min === 'number' && min < 1) causes.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (typeof max !== 'number' || max < 1) causes.push(invalid('spec.maxReplicas', max ?? 0, 'must be greater than 0'));
  else if (typeof min === 'number' && min > max) causes.push(invalid('spec.minReplicas', min, 'must be less than or equal to maxReplicas'));
  objs(s, 'metrics').forEach((m, i) => {
    const p = index('spec.metrics', i);
    causes.push(...validateEnum(`${p}.type`, m.type, ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'], true));
    const target = peek(peek(m, 'resource'), 'target');
    if (m.type === 'Resource' && !target) causes.push(required(`${p}.resource.target`, ''));
    if (target) {
      causes.push(...validateEnum(`${p}.resource.target.type`, target.type, ['AverageValue', 'Utilization', 'Value'], true));
      causes.push(...validatePositive(`${p}.resource.target.averageUtilization`, target.averageUtilization));
    }
  });
  return causes;
}

export const horizontalPodAutoscalerStrategy: Strategy = {
  tracksGeneration: false,
  ...statusSubresource(() => ({ desiredReplicas: 0 })),
  applyDefaults(obj) {
    const s = spec(obj);
    def(s, 'minReplicas', 1);
    if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
      s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    }
    const behavior = peek(s, 'behavior');
    if (behavior) {
      defaultRules(child(behavior, 'scaleUp'), SCALE_UP_DEFAULT);
      defaultRules(child(behavior, 'scaleDown'), SCALE_DOWN_DEFAULT);
    }
  },
  validate(obj) {
    return validateHPA(spec(obj));
  },
  validateUpdate(obj) {
    return validateHPA(spec(obj));
  },
};

export const priorityClassStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    defStr(obj as Obj, 'preemptionPolicy', 'PreemptLowerPriority');
  },
  validate(obj) {
    const causes: Cause[] = [];
    const value = obj.value;
    if (typeof value !== 'number') causes.push(required('value', ''));
    else if (value > 1_000_000_000 && !(obj.metadata.name ?? '').startsWith('system-')) {
      causes.push(forbidden('value', 'maximum allowed value of a user defined priority is 1000000000'));
    }
    causes.push(...validateEnum('preemptionPolicy', obj.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
    return causes;
  },
  validateUpdate(obj, old) {
    const causes: Cause[] = [];
    if (obj.value !== old.value) causes.push(forbidden('value', 'may not be changed in an update.'));
    if (obj.preemptionPolicy !== old.preemptionPolicy) causes.push(invalid('preemptionPolicy', obj.preemptionPolicy ?? '', 'field is immutable'));
    return causes;
  },
};

export const leaseStrategy: Strategy = {
  tracksGeneration: false,
  validate(obj) {
    const s = peek(obj, 'spec');
    return [...validatePositive('spec.leaseDurationSeconds', s?.leaseDurationSeconds), ...validateNonnegative('spec.leaseTransitions', s?.leaseTransitions)];
  },
};
leaseStrategy.validateUpdate = (obj, _old, ctx) => leaseStrategy.validate!(obj, ctx);

function validateEndpointSlice(obj: Obj): Cause[] {
  const causes = validateEnum('addressType', obj.addressType, ['IPv4', 'IPv6', 'FQDN'], true);
  objs(obj, 'endpoints').forEach((e, i) => {
    if (arr(e, 'addresses').length === 0) causes.push(required(`${index('endpoints', i)}.addresses`, 'must contain at least 1 address'));
  });
  objs(obj, 'ports').forEach((port, i) => {
    const name = str(port, 'name');
    if (name) causes.push(...invalidEach(`${index('ports', i)}.name`, name, isDNS1123Label(name)));
  });
  return causes;
}

export const endpointSliceStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    for (const port of objs(obj, 'ports')) {
      defStr(port, 'protocol', 'TCP');
      def(port, 'name', '');
    }
  },
  validate: validateEndpointSlice,
  validateUpdate(obj, old) {
    const causes = validateEndpointSlice(obj);
    if (obj.addressType !== old.addressType) causes.push(invalid('addressType', obj.addressType ?? '', 'field is immutable'));
    return causes;
  },
};

export const controllerRevisionStrategy: Strategy = {
  tracksGeneration: false,
  validate(obj) {
    return validateNonnegative('revision', obj.revision);
  },
  validateUpdate(obj, old) {
    const causes = validateNonnegative('revision', obj.revision);
    if (!sameValue(obj.data, old.data)) causes.push(invalid('data', '', 'field is immutable'));
    return causes;
  },
};

export const runtimeClassStrategy: Strategy = {
  tracksGeneration: false,
  validate(obj) {
    const handler = str(obj as Obj, 'handler');
    if (!handler) return [required('handler', '')];
    return invalidEach('handler', handler, isDNS1123Label(handler));
  },
  validateUpdate(obj, old) {
    return obj.handler === old.handler ? [] : [invalid('handler', obj.handler ?? '', 'field is immutable')];
  },
};

export const certificateSigningRequestStrategy: Strategy = {
  tracksGeneration: false,
  selectableFields(obj) {
    return { 'spec.signerName': str(peek(obj, 'spec'), 'signerName') ?? '' };
  },
  ...statusSubresource(() => ({})),
  prepareForCreate(obj, ctx) {
    obj.status = {};
    const s = spec(obj);
    // The CSR records who asked, from the request's user, whatever the client wrote.
    s.username = ctx.user.username;
    if (ctx.user.uid !== undefined) s.uid = ctx.user.uid;
    s.groups = [...ctx.user.groups];
    if (ctx.user.extra) s.extra = structuredClone(ctx.user.extra);
  },
  validate(obj) {
    const s = spec(obj);
    const causes: Cause[] = [];
    if (!str(s, 'request')) causes.push(required('spec.request', ''));
    if (!str(s, 'signerName')) causes.push(required('spec.signerName', ''));
    if (!isObj(s) || arr(s, 'usages').length === 0) causes.push(required('spec.usages', ''));
    return causes;
  },
};
