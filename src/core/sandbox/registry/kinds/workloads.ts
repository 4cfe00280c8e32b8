// apps/v1 workloads (and core ReplicationControllers): SetDefaults_Deployment/ReplicaSet/StatefulSet/
// DaemonSet, their ValidateXSpec and ValidateXUpdate rules, and status reset on create.
import type { KubeObject } from '../../../../shared/kube.js';
import { validateAnnotations, validateLabels } from '../object-meta.js';
import type { Strategy } from '../types.js';
import { forbidden, invalid, notSupported, required, validateNonnegative, type Cause } from './field.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import { defaultTemplateOf, validateAlwaysRestart, validatePodTemplateSpec, validateReplicatedTemplate } from './pod-template.js';
import { dottedNameWarning, podSpecWarnings } from './pod-warnings.js';
import { selectorIsEmpty, templateMatchesSelector, validateLabelSelector } from './selectors.js';
import { child, def, defStr, isObj, objs, peek, spec, statusSubresource, stringMap, type Obj } from './util.js';
import {
  goIntOrString,
  intOrPercentValue,
  sameValue,
  specOf,
  validateIntOrPercent,
  validateNotMoreThan100Percent,
  validateReplicas,
  validateSelectorImmutable,
  validateWorkloadSelector,
} from './workload-common.js';

function validateDeploymentStrategy(s: Obj): Cause[] {
  const strategy = peek(s, 'strategy');
  const type = strategy?.type;
  const rolling = peek(strategy, 'rollingUpdate');
  const p = 'spec.strategy.rollingUpdate';
  if (type === 'Recreate') return rolling ? [forbidden(p, "may not be specified when strategy `type` is 'Recreate'")] : [];
  if (type !== 'RollingUpdate') return [notSupported('spec.strategy', type ?? '', ['Recreate', 'RollingUpdate'])];
  if (!rolling) return [required(p, 'this should be defaulted and never be nil')];
  const causes = [...validateIntOrPercent(rolling.maxUnavailable, `${p}.maxUnavailable`), ...validateIntOrPercent(rolling.maxSurge, `${p}.maxSurge`)];
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
    causes.push(invalidRendered(`${p}.maxUnavailable`, goIntOrString(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  causes.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, `${p}.maxUnavailable`));
  return causes;
}

/** ValidateDeploymentSpec, in upstream order. */
function validateDeploymentSpec(s: Obj): Cause[] {
  const causes = [...validateNonnegative('spec.replicas', s.replicas), ...validateWorkloadSelector(s, 'deployment')];
  causes.push(...validateReplicatedTemplate(s, 'spec'));
  causes.push(...validateDeploymentStrategy(s));
  causes.push(...validateNonnegative('spec.minReadySeconds', s.minReadySeconds));
  causes.push(...validateNonnegative('spec.revisionHistoryLimit', s.revisionHistoryLimit));
  const pds = s.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    causes.push(...validateNonnegative('spec.progressDeadlineSeconds', pds));
    if (pds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0)) {
      causes.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    }
  }
  return causes;
}

/** WarningsOnCreate/Update of workloads: the name and the pod template. */
export function templateWarnings(obj: KubeObject): string[] {
  const template = peek(peek(obj, 'spec'), 'template');
  return [...dottedNameWarning(obj.metadata.name, 'workload'), ...podSpecWarnings(peek(template, 'spec'), 'spec.template.spec')];
}

/**
 * A status write keeps the stored spec (statusSubresource), which these kinds' update validation
 * is all about: validating it again found nothing and cost a label-selector parse per write of
 * the controllers' status.
 */
const specOnlyValidation: Pick<Strategy, 'validateStatusUpdate'> = {
  validateStatusUpdate: () => [],
};

export const deploymentStrategy: Strategy = {
  ...specOnlyValidation,
  tracksGeneration: true,
  warnings: templateWarnings,
  ...statusSubresource(() => ({})),
  applyDefaults(obj) {
    const s = spec(obj);
    def(s, 'replicas', 1);
    const strategy = child(s, 'strategy');
    defStr(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate');
      def(rolling, 'maxUnavailable', '25%');
      def(rolling, 'maxSurge', '25%');
    }
    def(s, 'revisionHistoryLimit', 10);
    def(s, 'progressDeadlineSeconds', 600);
    defaultTemplateOf(s);
  },
  validate(obj) {
    return validateDeploymentSpec(spec(obj));
  },
  validateUpdate(obj, old) {
    return [...validateDeploymentSpec(spec(obj)), ...validateSelectorImmutable(specOf(obj), specOf(old))];
  },
};

/** ValidateReplicaSetSpec (whose empty-selector message really does say "deployment"). */
function validateReplicaSetSpec(s: Obj): Cause[] {
  return [...validateReplicas(s), ...validateWorkloadSelector(s, 'deployment'), ...validateReplicatedTemplate(s, 'spec')];
}

/** ReplicaSets and ReplicationControllers can be selected on status.replicas. */
function replicasField(obj: KubeObject): Record<string, string> {
  const replicas = peek(obj, 'status')?.replicas;
  return { 'status.replicas': String(typeof replicas === 'number' ? replicas : 0) };
}

export const replicaSetStrategy: Strategy = {
  ...specOnlyValidation,
  tracksGeneration: true,
  selectableFields: replicasField,
  warnings: templateWarnings,
  ...statusSubresource(() => ({ replicas: 0 })),
  applyDefaults(obj) {
    const s = spec(obj);
    def(s, 'replicas', 1);
    defaultTemplateOf(s);
  },
  validate(obj) {
    return validateReplicaSetSpec(spec(obj));
  },
  validateUpdate(obj, old) {
    return [...validateReplicaSetSpec(spec(obj)), ...validateSelectorImmutable(specOf(obj), specOf(old))];
  },
};

/** ReplicationControllers use a plain map selector, defaulted from the template labels. */
export const replicationControllerStrategy: Strategy = {
  tracksGeneration: true,
  selectableFields: replicasField,
  warnings: templateWarnings,
  ...statusSubresource(() => ({ replicas: 0 })),
  applyDefaults(obj) {
    const s = spec(obj);
    def(s, 'replicas', 1);
    const labels = peek(peek(s, 'template'), 'metadata')?.labels;
    if ((s.selector === undefined || Object.keys(stringMap(s.selector)).length === 0) && labels) s.selector = { ...stringMap(labels) };
    const template = peek(s, 'template');
    if (template) defaultTemplateOf(s);
  },
  validate(obj) {
    const s = spec(obj);
    const causes = validateReplicas(s);
    const selector = stringMap(s.selector);
    if (Object.keys(selector).length === 0) causes.push(required('spec.selector', ''));
    causes.push(...validateReplicatedTemplate({ ...s, selector: { matchLabels: selector } }, 'spec'));
    return causes;
  },
};

const STS_UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** ValidateStatefulSetSpec: note upstream does not validate the template's pod spec here. */
function validateStatefulSetSpec(s: Obj): Cause[] {
  const causes: Cause[] = [];
  const pmp = s.podManagementPolicy;
  if (pmp === undefined || pmp === '') causes.push(required('spec.podManagementPolicy', ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') causes.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = peek(s, 'updateStrategy');
  const ru = peek(us, 'rollingUpdate');
  if (us?.type === undefined || us.type === '') causes.push(required('spec.updateStrategy', ''));
  else if (us.type === 'OnDelete') {
    if (ru) causes.push(invalid('spec.updateStrategy.rollingUpdate', ru, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    if (ru) {
      causes.push(...validateNonnegative('spec.updateStrategy.rollingUpdate.partition', ru.partition));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const p = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
        causes.push(...validateIntOrPercent(ru.maxUnavailable, p));
        if (intOrPercentValue(ru.maxUnavailable) === 0) causes.push(invalidRendered(p, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        causes.push(...validateNotMoreThan100Percent(ru.maxUnavailable, p));
      }
    }
  } else {
    causes.push(invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const policy = peek(s, 'persistentVolumeClaimRetentionPolicy');
  if (policy) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      const v = policy[f];
      if (v !== 'Retain' && v !== 'Delete') causes.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v ?? '', ['Retain', 'Delete']));
    }
  }
  causes.push(...validateReplicas(s));
  const ordinals = peek(s, 'ordinals');
  if (ordinals) causes.push(...validateNonnegative('spec.ordinals.start', ordinals.start));
  causes.push(...validateWorkloadSelector(s, 'statefulset'));
  const template = peek(s, 'template');
  if (!template) causes.push(required('spec.template', ''));
  else {
    const meta = peek(template, 'metadata');
    causes.push(...templateMatchesSelector(s.selector, template, 'spec.template'));
    causes.push(...validateLabels(meta?.labels, 'spec.template.labels'));
    causes.push(...validateAnnotations(meta?.annotations, 'spec.template.annotations'));
  }
  causes.push(...validateAlwaysRestart(template, 'spec.template', 'StatefulSet'));
  objs(s, 'volumeClaimTemplates').forEach((t, i) => {
    const modes = peek(t, 'spec')?.accessModes;
    if (!Array.isArray(modes) || modes.length === 0) {
      causes.push(required(`spec.volumeClaimTemplates[${i}].spec.accessModes`, 'at least 1 access mode is required'));
    }
  });
  return causes;
}

export const statefulSetStrategy: Strategy = {
  ...specOnlyValidation,
  tracksGeneration: true,
  warnings: templateWarnings,
  ...statusSubresource(() => ({ replicas: 0, availableReplicas: 0 })),
  applyDefaults(obj) {
    const s = spec(obj);
    defStr(s, 'podManagementPolicy', 'OrderedReady');
    const us = child(s, 'updateStrategy');
    defStr(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') def(child(us, 'rollingUpdate'), 'partition', 0);
    def(s, 'replicas', 1);
    def(s, 'revisionHistoryLimit', 10);
    const policy = child(s, 'persistentVolumeClaimRetentionPolicy');
    defStr(policy, 'whenDeleted', 'Retain');
    defStr(policy, 'whenScaled', 'Retain');
    for (const t of objs(s, 'volumeClaimTemplates')) {
      defStr(child(t, 'spec'), 'volumeMode', 'Filesystem');
      def(t, 'status', { phase: 'Pending' });
      def(child(t, 'metadata'), 'creationTimestamp', null);
    }
    defaultTemplateOf(s);
  },
  validate(obj) {
    return validateStatefulSetSpec(spec(obj));
  },
  validateUpdate(obj, old) {
    const causes = validateStatefulSetSpec(spec(obj));
    const a = { ...spec(obj) };
    const b = { ...spec(old) };
    for (const k of STS_UPDATABLE) {
      delete a[k];
      delete b[k];
    }
    if (!sameValue(a, b)) {
      causes.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
    return causes;
  },
};

function validateDaemonSetUpdateStrategy(s: Obj): Cause[] {
  const us = peek(s, 'updateStrategy');
  if (us?.type === 'OnDelete') return [];
  if (us?.type !== 'RollingUpdate') return [notSupported('spec.updateStrategy', us?.type ?? '', ['RollingUpdate', 'OnDelete'])];
  const ru = peek(us, 'rollingUpdate');
  const p = 'spec.updateStrategy.rollingUpdate';
  if (!ru) return [required(p, '')];
  const causes = [...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`)];
  causes.push(...validateNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
  causes.push(...validateNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) causes.push(invalidRendered(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) causes.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return causes;
}

/** ValidateDaemonSetSpec, in upstream order (the selector itself is not required, only matching). */
function validateDaemonSetSpec(s: Obj): Cause[] {
  const causes = [...validateLabelSelector(s.selector, 'spec.selector')];
  const template = peek(s, 'template');
  causes.push(...templateMatchesSelector(s.selector, template, 'spec.template'));
  if (isObj(s.selector) && selectorIsEmpty(s.selector)) {
    causes.push(invalidRendered('spec.selector', goLabelSelector(s.selector), 'empty selector is invalid for daemonset'));
  }
  causes.push(...validatePodTemplateSpec(template, 'spec.template'));
  causes.push(...validateAlwaysRestart(template, 'spec.template', 'DaemonSet'));
  causes.push(...validateNonnegative('spec.minReadySeconds', s.minReadySeconds));
  causes.push(...validateDaemonSetUpdateStrategy(s));
  causes.push(...validateNonnegative('spec.revisionHistoryLimit', s.revisionHistoryLimit));
  return causes;
}

export const daemonSetStrategy: Strategy = {
  ...specOnlyValidation,
  tracksGeneration: true,
  warnings: templateWarnings,
  ...statusSubresource(() => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 })),
  applyDefaults(obj) {
    const s = spec(obj);
    const us = child(s, 'updateStrategy');
    defStr(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') {
      const ru = child(us, 'rollingUpdate');
      def(ru, 'maxUnavailable', 1);
      def(ru, 'maxSurge', 0);
    }
    def(s, 'revisionHistoryLimit', 10);
    defaultTemplateOf(s);
  },
  validate(obj) {
    return validateDaemonSetSpec(spec(obj));
  },
  validateUpdate(obj, old) {
    return [...validateDaemonSetSpec(spec(obj)), ...validateSelectorImmutable(specOf(obj), specOf(old))];
  },
};

