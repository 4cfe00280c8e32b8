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
  const causes = [
    ...validateLabels(meta?.labels, `${path}.labels`),
    ...validateAnnotations(meta?.annotations, `${path}.annotations`),
    ...validatePodSpec(peek(template, 'spec'), `${path}.spec`),
  ];
  const ephemeral = peek(template, 'spec')?.ephemeralContainers;
  if (Array.isArray(ephemeral) && ephemeral.length > 0) {
    causes.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return causes;
}

/** restartPolicy Always and no activeDeadlineSeconds, as every replicating controller requires. */
export function validateAlwaysRestart(template: Obj | undefined, templatePath: string, kind: string): Cause[] {
  const podSpec = peek(template, 'spec');
  const causes: Cause[] = [];
  if (podSpec?.restartPolicy !== 'Always') causes.push(notSupported(`${templatePath}.spec.restartPolicy`, podSpec?.restartPolicy ?? '', ['Always']));
  if (podSpec?.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    causes.push(forbidden(`${templatePath}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return causes;
}

/** ValidatePodTemplateSpecForReplicaSet: ReplicaSets, Deployments and ReplicationControllers. */
export function validateReplicatedTemplate(spec: Obj, path: string): Cause[] {
  const template = peek(spec, 'template');
  const templatePath = `${path}.template`;
  if (!template) return [required(templatePath, '')];
  return [
    ...templateMatchesSelector(spec.selector, template, templatePath),
    ...validatePodTemplateSpec(template, templatePath),
    ...validateAlwaysRestart(template, templatePath, 'ReplicaSet'),
  ];
}
