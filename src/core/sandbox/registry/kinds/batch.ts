// batch/v1 Jobs and CronJobs: SetDefaults_Job/_CronJob, the generated selector and labels of
// pkg/registry/batch/job/strategy.go, ValidateJob/ValidateCronJob and their update rules.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { cronScheduleError } from './cron.js';
import { dottedNameWarning, podSpecWarnings } from './pod-warnings.js';
import { templateWarnings } from './workloads.js';
import { immutable, invalid, notSupported, required, validateEnum, validateNonnegative, type Cause } from './field.js';
import { isDNS1123Label } from './names.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import { validatePodTemplateSpec } from './pod-template.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { selectorMatches, templateMatchesSelector, validateLabelSelector } from './selectors.js';
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
  for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) causes.push(...validateNonnegative(`${path}.${f}`, s[f]));
  const mode = s.completionMode;
  causes.push(...validateEnum(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && s.completions === undefined) causes.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (mode !== 'Indexed') {
    for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      if (s[f] !== undefined) causes.push(invalid(`${path}.${f}`, s[f], 'requires indexed completion mode'));
    }
  }
  causes.push(...validateEnum(`${path}.podReplacementPolicy`, s.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  if (s.podFailurePolicy !== undefined && s.podReplacementPolicy !== undefined && s.podReplacementPolicy !== 'Failed') {
    causes.push(notSupported(`${path}.podReplacementPolicy`, s.podReplacementPolicy, ['Failed']));
  }
  const template = peek(s, 'template');
  causes.push(...validatePodTemplateSpec(template, `${path}.template`));
  // The pod defaults turn a missing restartPolicy into Always, which Jobs cannot use.
  const restartPolicy = peek(template, 'spec')?.restartPolicy;
  if (restartPolicy === 'Always' || restartPolicy === undefined || restartPolicy === '') {
    causes.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    causes.push(notSupported(`${path}.template.spec.restartPolicy`, restartPolicy, ['OnFailure', 'Never']));
  } else if (s.podFailurePolicy !== undefined && restartPolicy !== 'Never') {
    causes.push(invalid(`${path}.template.spec.restartPolicy`, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return causes;
}

/** ValidateHasLabel: a generated template label must be present with the generated value. */
function validateHasLabel(labels: Record<string, string>, key: string, expected: string): Cause[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!(key in labels)) return [required(path, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(path, labels[key], `must be '${expected}'`)];
}

/** validateGeneratedSelector: without manualSelector, labels and selector must be the generated ones. */
function validateGeneratedSelector(obj: KubeObject): Cause[] {
  const s = spec(obj);
  if (s.manualSelector === true || !isObj(s.selector)) return [];
  const causes: Cause[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (!uid) causes.push(required('metadata.uid', ''));
  const labels = stringMap(peek(peek(s, 'template'), 'metadata')?.labels);
  causes.push(...validateHasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
  causes.push(...validateHasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  causes.push(...validateHasLabel(labels, CONTROLLER_UID_LABEL, uid));
  causes.push(...validateHasLabel(labels, JOB_NAME_LABEL, name));
  const expected = {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
  if (!selectorMatches(s.selector, expected)) {
    causes.push(invalidRendered('spec.selector', goLabelSelector(s.selector), '`selector` not auto-generated'));
  }
  return causes;
}

/** ValidateJobSpec: the common rules, then the selector and its match with the template. */
function validateJobSpec(s: Obj): Cause[] {
  const causes = validateJobSpecCommon(s, 'spec');
  if (!isObj(s.selector)) causes.push(required('spec.selector', ''));
  else causes.push(...validateLabelSelector(s.selector, 'spec.selector'));
  causes.push(...templateMatchesSelector(s.selector, peek(s, 'template'), 'spec.template'));
  return causes;
}

function validateJob(obj: KubeObject): Cause[] {
  const s = spec(obj);
  const causes = [...validateGeneratedSelector(obj), ...validateJobSpec(s)];
  const completions = s.completions;
  if (s.completionMode === 'Indexed' && typeof completions === 'number' && completions > 0) {
    const hostname = `${obj.metadata.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      causes.push(invalid('metadata.name', obj.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return causes;
}

/** The template of a suspended Job that never started may change its scheduling directives only. */
function validateTemplateUpdate(s: Obj, o: Obj, oldJob: KubeObject): Cause[] {
  const template = peek(s, 'template');
  const oldTemplate = structuredClone(peek(o, 'template'));
  const mutableScheduling = o.suspend === true && peek(oldJob, 'status')?.startTime === undefined;
  if (mutableScheduling && oldTemplate && template) {
    const oldMeta = child(oldTemplate, 'metadata');
    const newMeta = peek(template, 'metadata');
    oldMeta.labels = newMeta?.labels;
    oldMeta.annotations = newMeta?.annotations;
    const oldPodSpec = child(oldTemplate, 'spec');
    const newPodSpec = peek(template, 'spec');
    for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) oldPodSpec[f] = newPodSpec?.[f];
    const affinity = peek(newPodSpec, 'affinity');
    const oldAffinity = peek(oldPodSpec, 'affinity');
    if (affinity || oldAffinity) {
      const merged = { ...oldAffinity, nodeAffinity: affinity?.nodeAffinity };
      oldPodSpec.affinity = Object.values(merged).some((v) => v !== undefined) ? merged : undefined;
    }
  }
  return sameValue(template, oldTemplate) ? [] : [invalidRendered('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable')];
}

function validateJobUpdate(obj: KubeObject, old: KubeObject): Cause[] {
  const s = spec(obj);
  const o = spec(old);
  const causes = validateJobSpec(s);
  if (!sameValue(s.completions, o.completions)) {
    if (s.completionMode !== 'Indexed') causes.push(immutable('spec.completions', s.completions ?? null));
    else if (typeof s.completions === 'number' && s.completions !== s.parallelism) {
      causes.push(invalid('spec.completions', s.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  }
  causes.push(...validateSelectorImmutable(s, o));
  causes.push(...validateTemplateUpdate(s, o, old));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    if (!sameValue(s[f], o[f])) causes.push(immutable(`spec.${f}`, s[f] ?? null));
  }
  return causes;
}

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  warnings: templateWarnings,
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
    // A user selector gets the uid too, so a hand-written one fails as "not auto-generated".
    const selector = isObj(s.selector) ? s.selector : (s.selector = {});
    const matchLabels = { ...stringMap(selector.matchLabels) };
    matchLabels[CONTROLLER_UID_LABEL] ??= uid;
    selector.matchLabels = matchLabels;
  },
  validate(obj) {
    return validateJob(obj);
  },
  validateUpdate: validateJobUpdate,
  selectableFields(obj) {
    return { 'status.successful': String(peek(obj, 'status')?.succeeded ?? 0) };
  },
};

export const CRONJOB_NAME_MAX = 52;

function validateTimeZone(tz: unknown): Cause[] {
  if (tz === undefined || tz === null) return [];
  if (tz === '') return [invalid('spec.timeZone', '', 'timeZone must be nil or non-empty string')];
  if (typeof tz !== 'string') return [invalid('spec.timeZone', tz, 'must be a string')];
  const partOk = (part: string) => part !== '.' && part !== '..' && !part.startsWith('-') && /^[A-Za-z.\-_0-9+]{1,14}$/.test(part);
  if (!tz.split('/').every(partOk)) return [invalid('spec.timeZone', tz, `unknown time zone ${tz}`)];
  if (tz.toLowerCase() === 'local') return [invalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(tz) ? [] : [invalid('spec.timeZone', tz, `unknown time zone ${tz}`)];
}

function validateCronJobSpec(s: Obj, old: Obj | undefined): Cause[] {
  const causes: Cause[] = [];
  const schedule = str(s, 'schedule');
  if (!schedule) causes.push(required('spec.schedule', ''));
  else {
    const error = cronScheduleError(schedule);
    if (error) causes.push(invalid('spec.schedule', schedule, error));
    const allowTZ = (str(old, 'schedule') ?? '').includes('TZ');
    if (allowTZ && schedule.includes('TZ') && s.timeZone !== undefined) {
      causes.push(invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      causes.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  causes.push(...validateNonnegative('spec.startingDeadlineSeconds', s.startingDeadlineSeconds));
  if (!old || old.timeZone !== s.timeZone) causes.push(...validateTimeZone(s.timeZone));
  causes.push(...validateEnum('spec.concurrencyPolicy', s.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], true));
  const jobSpec = peek(peek(s, 'jobTemplate'), 'spec') ?? {};
  causes.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector !== undefined) {
    causes.push(invalidRendered('spec.jobTemplate.spec.selector', goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
  }
  if (jobSpec.manualSelector === true) causes.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  causes.push(...validateNonnegative('spec.successfulJobsHistoryLimit', s.successfulJobsHistoryLimit));
  causes.push(...validateNonnegative('spec.failedJobsHistoryLimit', s.failedJobsHistoryLimit));
  return causes;
}

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const cronJobStrategy: Strategy = {
  tracksGeneration: true,
  warnings(obj) {
    const jobSpec = peek(peek(peek(obj, 'spec'), 'jobTemplate'), 'spec');
    return [...dottedNameWarning(obj.metadata.name, 'workload'), ...podSpecWarnings(peek(peek(jobSpec, 'template'), 'spec'), 'spec.jobTemplate.spec.template.spec')];
  },
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
    const causes = validateCronJobSpec(spec(obj), undefined);
    // The controller appends an 11-character suffix to job names, which are DNS-1035-length bound.
    const name = obj.metadata.name ?? '';
    if (name.length > CRONJOB_NAME_MAX) causes.push(invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
    return causes;
  },
  validateUpdate(obj, old) {
    return validateCronJobSpec(spec(obj), peek(old, 'spec'));
  },
};
