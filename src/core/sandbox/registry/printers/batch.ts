// batch/v1 printers: jobs (STATUS COMPLETIONS DURATION, as of 1.32) and cronjobs.
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { formatLabelSelector } from '../selectors/label-selector.js';
import { between, since } from './duration.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, ageOf, boolPtr, column, containerCells, docColumn, int, nameOf } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

/** The first condition of a type decides (hasJobCondition). */
function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  if (job.spec?.completions != null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export const jobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    docColumn('Completions', 'string', 'JobStatus.succeeded'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'JobSpec.selector', 1),
  ],
  cells(obj, now) {
    const job = as<Job>(obj);
    const start = job.status?.startTime;
    const end = job.status?.completionTime;
    const duration = !start ? '' : end ? between(start, end) : since(start, now);
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [nameOf(obj), jobStatus(job), completions(job), duration, ageOf(obj, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Schedule', 'string', 'CronJobSpec.schedule'),
    docColumn('Timezone', 'string', 'CronJobSpec.timeZone'),
    docColumn('Suspend', 'boolean', 'CronJobSpec.suspend'),
    docColumn('Active', 'integer', 'CronJobStatus.active'),
    docColumn('Last Schedule', 'string', 'CronJobStatus.lastScheduleTime'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'JobSpec.selector', 1),
  ],
  cells(obj, now) {
    const cj = as<CronJob>(obj);
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    return [
      nameOf(obj),
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPtr(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
