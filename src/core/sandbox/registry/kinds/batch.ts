// batch/v1 Jobs and CronJobs: SetDefaults_Job/_CronJob, the generated selector and labels of
// pkg/registry/batch/job/strategy.go, ValidateJob/ValidateCronJob and their update rules.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { cronScheduleError } from './cron.js';
import { immutable, invalid, required, validateEnum, validateNonnegative, type Cause } from './field.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import { validatePodTemplateSpec } from './pod-template.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { templateMatchesSelector, validateLabelSelector } from './selectors.js';
import { child, def, defStr, isObj, peek, spec, str, statusSubresource, stringMap, type Obj } from './util.js';
import { sameValue, validateSelectorImmutable } from './workload-common.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';

/** SetDefaults_Job applied to a JobSpec (not to CronJob job templates, as upstream). */
function defaultJobSpec(s: Obj): void {
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  def(s, 'parallelism', 1);
  def(s, 'backoffLimit', s.backoffLimitPerIndex !== undefined ? 2147483647 : 6);
  defStr(s, 'completionMode', 'NonIndexed');
  def(s, 'suspend', false);
  def(s, 'podReplacementPolicy', s.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(child(s, 'template'));
}

/** Job template rules shared by Jobs and CronJob job templates. `path` is the JobSpec path. */
function validateJobSpecCommon(s: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    causes.push(...validateNonnegative(`${path}.${f}`, s[f]));
  }
  const mode = s.completionMode;
  causes.push(...validateEnum(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && s.completions === undefined) causes.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  const template = peek(s, 'template');
  causes.push(...validatePodTemplateSpec(template, `${path}.template`));
  const restartPolicy = peek(template, 'spec')?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    causes.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  }
  if (peek(template, 'spec')?.activeDeadlineSeconds !== undefined) {
    causes.push(invalid(`${path}.template.spec.activeDeadlineSeconds`, peek(template, 'spec')?.activeDeadlineSeconds, 'activeDeadlineSeconds in Job template is not Supported'));
  }
  return causes;
}

function validateJob(obj: KubeObject): Cause[] {
  const s = spec(obj);
  const causes = validateJobSpecCommon(s, 'spec');
  if (!isObj(s.selector)) causes.push(required('spec.selector', ''));
  else {
    causes.push(...validateLabelSelector(s.selector, 'spec.selector'));
    causes.push(...templateMatchesSelector(s.selector, peek(s, 'template'), 'spec.template'));
  }
  if (s.manualSelector !== true && isObj(s.selector)) {
    const uid = obj.metadata.uid ?? '';
    const labels = stringMap(peek(peek(s, 'template'), 'metadata')?.labels);
    const expected = { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
    if (!uid) causes.push(required('metadata.uid', ''));
    else if (!sameValue(s.selector, expected) || labels[CONTROLLER_UID_LABEL] !== uid) {
      causes.push(invalidRendered('spec.selector', goLabelSelector(s.selector), '`selector` not auto-generated'));
    }
  }
  return causes;
}

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  ...statusSubresource(() => ({})),
  applyDefaults(obj) {
    defaultJobSpec(spec(obj));
  },
  prepareForCreate(obj) {
    obj.status = {};
    const s = spec(obj);
    if (s.manualSelector === true) return;
    // generateSelector: label the template with the job's uid and name, select on the uid.
    const uid = obj.metadata.uid ?? '';
    const name = obj.metadata.name ?? '';
    const meta = child(child(s, 'template'), 'metadata');
    const labels = { ...stringMap(meta.labels) };
    labels[CONTROLLER_UID_LABEL] ??= uid;
    labels[JOB_NAME_LABEL] ??= name;
    labels[LEGACY_CONTROLLER_UID_LABEL] ??= uid;
    labels[LEGACY_JOB_NAME_LABEL] ??= name;
    meta.labels = labels;
    if (s.selector === undefined) s.selector = { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
  },
  validate(obj) {
    return validateJob(obj);
  },
  validateUpdate(obj, old) {
    const causes = validateJob(obj);
    const s = spec(obj);
    const o = spec(old);
    causes.push(...validateSelectorImmutable(s, o));
    if (!sameValue(s.completionMode, o.completionMode)) causes.push(immutable('spec.completionMode', s.completionMode ?? ''));
    if (!sameValue(s.completions, o.completions) && s.completionMode !== 'Indexed') causes.push(immutable('spec.completions', s.completions ?? null));
    // Only a suspended Job that never started may change its template (scheduling directives).
    const suspendedFresh = o.suspend === true && peek(old, 'status')?.startTime === undefined;
    if (!suspendedFresh && !sameValue(s.template, o.template)) {
      causes.push(invalidRendered('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'));
    }
    return causes;
  },
  selectableFields(obj) {
    return { 'status.successful': String(peek(obj, 'status')?.succeeded ?? 0) };
  },
};

export const CRONJOB_NAME_MAX = 52;

function validateCronJob(obj: KubeObject): Cause[] {
  const s = spec(obj);
  const causes: Cause[] = [];
  const name = obj.metadata.name ?? '';
  if (name.length > CRONJOB_NAME_MAX) causes.push(invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  const schedule = str(s, 'schedule');
  if (!schedule) causes.push(required('spec.schedule', ''));
  else if (/(^|\s)(CRON_)?TZ=/.test(schedule)) {
    causes.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  } else {
    const error = cronScheduleError(schedule);
    if (error) causes.push(invalid('spec.schedule', schedule, error));
  }
  const tz = s.timeZone;
  if (typeof tz === 'string') {
    if (!isKnownTimeZone(tz)) causes.push(invalid('spec.timeZone', tz, 'unknown time zone ' + tz));
  }
  causes.push(...validateEnum('spec.concurrencyPolicy', s.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], true));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    causes.push(...validateNonnegative(`spec.${f}`, s[f]));
  }
  const jobTemplate = peek(s, 'jobTemplate');
  const jobSpec = peek(jobTemplate, 'spec');
  if (!jobSpec) causes.push(required('spec.jobTemplate.spec', ''));
  else causes.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
  return causes;
}

function isKnownTimeZone(tz: string): boolean {
  if (tz === '' || tz.startsWith(' ') || tz.includes(' ')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const cronJobStrategy: Strategy = {
  tracksGeneration: true,
  ...statusSubresource(() => ({})),
  applyDefaults(obj) {
    const s = spec(obj);
    defStr(s, 'concurrencyPolicy', 'Allow');
    def(s, 'suspend', false);
    def(s, 'successfulJobsHistoryLimit', 3);
    def(s, 'failedJobsHistoryLimit', 1);
    const jobTemplate = child(s, 'jobTemplate');
    const jobSpec = child(jobTemplate, 'spec');
    defaultPodTemplate(child(jobSpec, 'template'));
    def(child(jobTemplate, 'metadata'), 'creationTimestamp', null);
  },
  validate(obj) {
    return validateCronJob(obj);
  },
  validateUpdate(obj) {
    return validateCronJob(obj);
  },
};
