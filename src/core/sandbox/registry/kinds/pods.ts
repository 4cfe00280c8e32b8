// Pods: SetDefaults_Pod, the create-time pieces of admission (Priority, DefaultTolerationSeconds),
// ValidatePod and ValidatePodUpdate (only images, activeDeadlineSeconds, added tolerations and a
// grace-period fix may change), as pkg/registry/core/pod/strategy.go.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { forbidden, invalid, type Cause } from './field.js';
import { goSpecDiff } from './go-format.js';
import { addDefaultTolerations, defaultPodOnly, defaultPodSpec, podQOSClass } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import { dottedNameWarning, podSpecWarnings } from './pod-warnings.js';
import { arr, isObj, objs, peek, spec, str, type Obj } from './util.js';
import { cloneJson } from '../../store/json-clone.js';
import { deepEqual } from '../store/object-util.js';

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function clone<T>(value: T): T {
  return cloneJson(value);
}

/** The same JSON whatever the key order (as Go compares the decoded structs), without building sorted copies. */
function sameJSON(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

/** validateOnlyAddedTolerations: old tolerations stay (tolerationSeconds may change); reported once. */
function validateTolerationUpdate(newSpec: Obj, oldSpec: Obj): Cause[] {
  const newTolerations = objs(newSpec, 'tolerations');
  for (const old of objs(oldSpec, 'tolerations')) {
    const kept = newTolerations.some((t) => sameJSON({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** ValidatePodUpdate's spec rule: everything but the mutable fields must be unchanged. */
export function validatePodSpecUpdate(newSpec: Obj, oldSpec: Obj): Cause[] {
  const causes = validateTolerationUpdate(newSpec, oldSpec);
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (typeof oldDeadline === 'number') {
    const newDeadline = newSpec.activeDeadlineSeconds;
    if (typeof newDeadline !== 'number') causes.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (newDeadline > oldDeadline) causes.push(invalid('spec.activeDeadlineSeconds', newDeadline, 'must be less than or equal to previous value'));
  }
  // Make the mutable fields of a copy of the old spec equal to the new one, then compare.
  const mutated = clone(oldSpec);
  for (const list of ['containers', 'initContainers']) {
    const newList = arr(newSpec, list);
    arr(mutated, list).forEach((c, i) => {
      const n = newList[i];
      if (isObj(c) && isObj(n) && n.image !== undefined) c.image = n.image;
    });
  }
  mutated.activeDeadlineSeconds = newSpec.activeDeadlineSeconds;
  mutated.tolerations = newSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && newSpec.terminationGracePeriodSeconds === 1) mutated.terminationGracePeriodSeconds = 1;
  if (!sameJSON(mutated, newSpec)) causes.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${goSpecDiff('core.PodSpec', mutated, newSpec)}`));
  return causes;
}

/** Only reachable through the status subresource: main updates keep the old status. */
function validateQosUnchanged(obj: KubeObject, old: KubeObject): Cause[] {
  const qos = str(peek(obj, 'status'), 'qosClass');
  const oldQos = str(peek(old, 'status'), 'qosClass');
  return oldQos !== undefined && qos !== oldQos ? [invalid('status.qosClass', qos ?? '', 'field is immutable')] : [];
}

function podSpecOf(obj: KubeObject): Obj | undefined {
  return peek(obj, 'spec');
}

/** The user the scheduler's in-process binder writes as (see scheduler/index.ts apiBinder). */
export const BINDING_USER = 'system:kube-scheduler';

export const podStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    defaultPodSpec(spec(obj));
    defaultPodOnly(spec(obj));
  },
  prepareForCreate(obj) {
    const s = spec(obj);
    // The Priority admission plugin: pods without a class get priority 0 and the default policy.
    if (!str(s, 'priorityClassName') && s.priority === undefined) s.priority = 0;
    if (s.preemptionPolicy === undefined) s.preemptionPolicy = 'PreemptLowerPriority';
    addDefaultTolerations(s);
    obj.status = { phase: 'Pending', qosClass: podQOSClass(s) };
  },
  prepareForUpdate(obj, old) {
    obj.status = clone(old.status);
  },
  prepareForStatusUpdate(obj, old) {
    const oldQos = str(peek(old, 'status'), 'qosClass');
    old.status = clone(obj.status);
    // Writers that omit qosClass (it never changes) keep it rather than fail its immutability check.
    const status = peek(old, 'status');
    if (status && oldQos !== undefined && status.qosClass === undefined) status.qosClass = oldQos;
  },
  validate(obj) {
    return validatePodSpec(podSpecOf(obj), 'spec');
  },
  validateUpdate(obj, old, ctx) {
    const causes = validatePodSpec(podSpecOf(obj), 'spec');
    const newSpec = podSpecOf(obj);
    let oldSpec = podSpecOf(old);
    // pods/binding as the scheduler posts it: kube-apiserver assigns the node in storage, past
    // update validation; the in-process binding writes as system:kube-scheduler to the same effect.
    if (ctx.user.username === BINDING_USER && oldSpec && newSpec && !oldSpec.nodeName && typeof newSpec.nodeName === 'string') oldSpec = { ...oldSpec, nodeName: newSpec.nodeName };
    if (newSpec && oldSpec) causes.push(...validatePodSpecUpdate(newSpec, oldSpec));
    return [...causes, ...validateQosUnchanged(obj, old)];
  },
  // The status subresource keeps the stored spec (prepareForStatusUpdate): validating it again,
  // as a whole update does, cost more than the rest of a kubelet's status write.
  validateStatusUpdate(obj, old) {
    return validateQosUnchanged(obj, old);
  },
  warnings(obj) {
    return [...dottedNameWarning(obj.metadata.name, 'pod'), ...podSpecWarnings(podSpecOf(obj), 'spec')];
  },
  selectableFields(obj) {
    const s = podSpecOf(obj);
    const status = peek(obj, 'status');
    return {
      'spec.nodeName': str(s, 'nodeName') ?? '',
      'spec.restartPolicy': str(s, 'restartPolicy') ?? '',
      'spec.schedulerName': str(s, 'schedulerName') ?? '',
      'spec.serviceAccountName': str(s, 'serviceAccountName') ?? '',
      'spec.hostNetwork': String(s?.hostNetwork === true),
      'status.phase': str(status, 'phase') ?? '',
      'status.podIP': str(status, 'podIP') ?? '',
      'status.nominatedNodeName': str(status, 'nominatedNodeName') ?? '',
    };
  },
};
