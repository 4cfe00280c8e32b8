// apps/v1 workloads (and core ReplicationControllers): SetDefaults_Deployment/ReplicaSet/StatefulSet/
// DaemonSet, their ValidateXSpec and ValidateXUpdate rules, and status reset on create.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { dottedNameWarning, podSpecWarnings } from './pod-warnings.js';
import { forbidden, invalid, required, validateEnum, validateNonnegative, type Cause } from './field.js';
import { defaultTemplateOf } from './pod-template.js';
import { validateReplicatedTemplate } from './pod-template.js';
import { child, def, defStr, objs, peek, spec, stringMap, type Obj } from './util.js';
import { statusSubresource } from './util.js';
import {
  isZeroIntOrPercent,
  sameValue,
  specOf,
  validateIntOrPercent,
  validateReplicas,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
} from './workload-common.js';

function validateDeploymentSpec(s: Obj): Cause[] {
  const causes = [...validateReplicas(s), ...validateSelectorAndTemplate(s, 'deployment')];
  const strategy = peek(s, 'strategy');
  const type = strategy?.type;
  causes.push(...validateEnum('spec.strategy.type', type, ['Recreate', 'RollingUpdate'], true));
  const rolling = peek(strategy, 'rollingUpdate');
  if (type === 'Recreate' && rolling) {
    causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (type === 'RollingUpdate' && rolling) {
    causes.push(...validateIntOrPercent(rolling.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    causes.push(...validateIntOrPercent(rolling.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    if (isZeroIntOrPercent(rolling.maxUnavailable) && isZeroIntOrPercent(rolling.maxSurge)) {
      causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
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

export const deploymentStrategy: Strategy = {
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

function validateReplicaSetSpec(s: Obj): Cause[] {
  return [...validateReplicas(s), ...validateSelectorAndTemplate(s, 'replicaset')];
}

export const replicaSetStrategy: Strategy = {
  tracksGeneration: true,
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

function validateStatefulSetSpec(s: Obj): Cause[] {
  const causes = [...validateReplicas(s), ...validateSelectorAndTemplate(s, 'statefulset')];
  causes.push(...validateEnum('spec.podManagementPolicy', s.podManagementPolicy, ['OrderedReady', 'Parallel'], true));
  const us = peek(s, 'updateStrategy');
  causes.push(...validateEnum('spec.updateStrategy.type', us?.type, ['OnDelete', 'RollingUpdate'], true));
  if (us?.type === 'OnDelete' && us.rollingUpdate !== undefined) {
    causes.push(invalid('spec.updateStrategy.rollingUpdate', '', "only allowed for updateStrategy 'RollingUpdate'"));
  }
  const ru = peek(us, 'rollingUpdate');
  if (ru) causes.push(...validateNonnegative('spec.updateStrategy.rollingUpdate.partition', ru.partition));
  causes.push(...validateNonnegative('spec.revisionHistoryLimit', s.revisionHistoryLimit));
  const policy = peek(s, 'persistentVolumeClaimRetentionPolicy');
  if (policy) {
    causes.push(...validateEnum('spec.persistentVolumeClaimRetentionPolicy.whenDeleted', policy.whenDeleted, ['Retain', 'Delete']));
    causes.push(...validateEnum('spec.persistentVolumeClaimRetentionPolicy.whenScaled', policy.whenScaled, ['Retain', 'Delete']));
  }
  objs(s, 'volumeClaimTemplates').forEach((t, i) => {
    const modes = peek(t, 'spec')?.accessModes;
    if (!Array.isArray(modes) || modes.length === 0) {
      causes.push(required(`spec.volumeClaimTemplates[${i}].spec.accessModes`, 'at least 1 access mode is required'));
    }
  });
  return causes;
}

export const statefulSetStrategy: Strategy = {
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

function validateDaemonSetSpec(s: Obj): Cause[] {
  const causes = [...validateSelectorAndTemplate(s, 'daemonset'), ...validateNonnegative('spec.minReadySeconds', s.minReadySeconds)];
  const us = peek(s, 'updateStrategy');
  causes.push(...validateEnum('spec.updateStrategy.type', us?.type, ['OnDelete', 'RollingUpdate'], true));
  const ru = peek(us, 'rollingUpdate');
  if (us?.type === 'RollingUpdate' && ru) {
    causes.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
    causes.push(...validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
    if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge ?? 0)) {
      causes.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  causes.push(...validateNonnegative('spec.revisionHistoryLimit', s.revisionHistoryLimit));
  return causes;
}

export const daemonSetStrategy: Strategy = {
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

