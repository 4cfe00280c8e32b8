// Pod templates inside workloads: defaults and ValidatePodTemplateSpec, plus the extra rules
// controllers impose on their templates (restartPolicy, activeDeadlineSeconds).
import { validateAnnotations, validateLabels } from '../object-meta.js';
import { forbidden, notSupported, required, type Cause } from './field.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import { templateMatchesSelector } from './selectors.js';
import { child, peek, type Obj } from './util.js';

/** SetDefaults for `spec.template` of a workload object. */
export function defaultTemplateOf(spec: Obj): void {
  defaultPodTemplate(child(spec, 'template'));
}

export function validatePodTemplateSpec(template: Obj | undefined, path: string): Cause[] {
  if (!template) return [required(path, '')];
  const meta = peek(template, 'metadata');
  return [
    ...validateLabels(meta?.labels, `${path}.labels`),
    ...validateAnnotations(meta?.annotations, `${path}.annotations`),
    ...validatePodSpec(peek(template, 'spec'), `${path}.spec`),
  ];
}

/** ValidatePodTemplateSpecForReplicaSet: used by ReplicaSets, Deployments, DaemonSets, StatefulSets, RCs. */
export function validateReplicatedTemplate(spec: Obj, path: string): Cause[] {
  const template = peek(spec, 'template');
  const templatePath = `${path}.template`;
  if (!template) return [required(templatePath, '')];
  const causes: Cause[] = [...templateMatchesSelector(spec.selector, template, templatePath)];
  causes.push(...validatePodTemplateSpec(template, templatePath));
  const podSpec = peek(template, 'spec');
  if (podSpec) {
    if (podSpec.restartPolicy !== 'Always') causes.push(notSupported(`${templatePath}.spec.restartPolicy`, podSpec.restartPolicy ?? '', ['Always']));
    if (podSpec.activeDeadlineSeconds !== undefined) {
      causes.push(forbidden(`${templatePath}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
    }
  }
  return causes;
}
