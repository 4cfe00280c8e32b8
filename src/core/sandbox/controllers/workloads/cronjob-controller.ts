// The CronJob controller (v2): creates a Job named <cronjob>-<minutes since epoch> at each schedule
// time, honouring suspend, concurrencyPolicy, startingDeadlineSeconds (and the "too many missed
// start times" rule), keeps status.active/lastScheduleTime/lastSuccessfulTime, and deletes finished
// jobs beyond the history limits.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer } from '../informer.js';
import { QueueController, type ControllerDeps } from './base.js';
import { CRONJOBS, JOBS, controllerRefOf, isConflictOrGone, keyOf, kubeTime, newControllerRef, num, obj, sameStatus, specOf, splitKey, statusOf, str, updateStatus } from './common.js';
import { parseCronSchedule, type CronSchedule } from './cron-schedule.js';
import { jobFinished } from './job-controller.js';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Upstream stops counting missed schedules beyond this and warns. */
const MAX_MISSED = 100;

interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion: string;
  resourceVersion?: string;
}

export class CronJobController extends QueueController {
  constructor(deps: ControllerDeps) {
    super(deps, 'cronjob-controller');
    const { cronJobs, jobs } = deps.informers;
    this.listen(cronJobs, (e) => this.enqueue(e.object));
    this.listen(jobs, (e) => {
      const ref = controllerRefOf(e.object);
      if (ref?.kind === 'CronJob') this.queue.add(`${e.object.metadata.namespace}/${ref.name}`);
    });
  }

  protected primary(): Informer {
    return this.deps.informers.cronJobs;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const cached = this.deps.informers.cronJobs.get(namespace, name);
    if (!cached) return;
    const cj = structuredClone(cached);
    const spec = specOf(cj);
    const now = this.deps.clock.now();
    const jobs = this.deps.informers.jobs.list(namespace).filter((j) => controllerRefOf(j)?.uid === cj.metadata.uid);
    const status = structuredClone(statusOf(cj));
    let active = (Array.isArray(status.active) ? (status.active as ObjectRef[]) : []).filter((ref) => jobs.some((j) => j.metadata.uid === ref.uid) || this.recentlyCreated(ref));
    for (const job of jobs) {
      const listed = active.some((ref) => ref.uid === job.metadata.uid);
      const finished = jobFinished(job);
      if (!listed && !finished && job.metadata.uid && !this.warned.has(job.metadata.uid)) {
        // kubectl create job --from=cronjob/x makes one of these; upstream warns and leaves it alone.
        this.warned.add(job.metadata.uid);
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
      }
      if (listed && finished) {
        active = active.filter((ref) => ref.uid !== job.metadata.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, status: ${finished}`);
      }
      if (finished === 'Complete') {
        const completion = str(statusOf(job).completionTime);
        if (completion && (!status.lastSuccessfulTime || Date.parse(completion) > Date.parse(String(status.lastSuccessfulTime)))) status.lastSuccessfulTime = completion;
      }
    }
    status.active = active.length ? active : undefined;
    if (cj.metadata.deletionTimestamp) return this.writeStatus(cj, status);

    let schedule: CronSchedule;
    try {
      schedule = parseCronSchedule(String(spec.schedule ?? ''), str(spec.timeZone));
    } catch (error) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${error instanceof Error ? error.message : String(error)}`);
      return this.writeStatus(cj, status);
    }
    if (spec.suspend !== true) await this.maybeRun(cj, schedule, status, now);
    await this.writeStatus(cj, status);
    await this.cleanupHistory(cj, jobs.filter((j) => jobFinished(j)));
    if (spec.suspend !== true) {
      const next = schedule.next(now);
      // Due exactly then: the schedule compares with <= now.
      if (next) this.queue.addAfter(key, next.getTime() - now.getTime());
    }
  }

  private readonly warned = new Set<string>();

  /** Refs just added this run are not in the informer yet; keep them until it catches up. */
  private readonly justCreated = new Set<string>();
  private recentlyCreated(ref: ObjectRef): boolean {
    return ref.uid !== undefined && this.justCreated.has(ref.uid);
  }

  private async maybeRun(cj: KubeObject, schedule: CronSchedule, status: Record<string, unknown>, now: Date): Promise<void> {
    const spec = specOf(cj);
    const deadline = typeof spec.startingDeadlineSeconds === 'number' ? spec.startingDeadlineSeconds : undefined;
    let earliest = Date.parse(String(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString()));
    if (deadline !== undefined) earliest = Math.max(earliest, now.getTime() - deadline * 1000);
    // The most recent missed start time, counting how many were missed.
    let scheduled: Date | undefined;
    let missed = 0;
    for (let t = schedule.next(new Date(earliest)); t && t.getTime() <= now.getTime(); t = schedule.next(t)) {
      scheduled = t;
      if (++missed > MAX_MISSED) {
        // As upstream: warn, and start the latest one only.
        let last = t;
        for (let u = schedule.next(t); u && u.getTime() <= now.getTime(); u = schedule.next(u)) last = u;
        scheduled = last;
        break;
      }
    }
    if (!scheduled) return;
    if (missed > MAX_MISSED) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    if (deadline !== undefined && scheduled.getTime() + deadline * 1000 < now.getTime()) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${scheduled.toUTCString().replace('GMT', '+0000')}`);
      return;
    }
    const jobName = `${cj.metadata.name}-${Math.floor(scheduled.getTime() / 60_000)}`;
    let active = (status.active as ObjectRef[] | undefined) ?? [];
    if (active.some((ref) => ref.name === jobName)) return;
    const policy = str(spec.concurrencyPolicy) ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return;
    }
    if (policy === 'Replace') {
      for (const ref of active) {
        try {
          await this.deps.client.delete(JOBS, cj.metadata.namespace ?? '', ref.name, { propagationPolicy: 'Background' });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
        } catch (error) {
          if (!isConflictOrGone(error)) throw error;
        }
      }
      active = [];
    }
    const job = this.jobFor(cj, jobName, scheduled);
    let created: KubeObject;
    try {
      created = await this.deps.client.create(JOBS, cj.metadata.namespace ?? '', job);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
      // Created by an earlier run whose status write did not land: adopt it as the run.
      created = await this.deps.client.get(JOBS, cj.metadata.namespace ?? '', jobName);
      if (controllerRefOf(created)?.uid !== cj.metadata.uid) return;
    }
    if (created.metadata.uid) this.justCreated.add(created.metadata.uid);
    this.deps.clock.setTimeout(() => this.justCreated.delete(created.metadata.uid ?? ''), 60_000);
    status.active = [...active.filter((ref) => ref.uid !== created.metadata.uid), jobRef(created)];
    status.lastScheduleTime = kubeTime(scheduled);
  }

  private jobFor(cj: KubeObject, name: string, scheduled: Date): KubeObject {
    const template = obj(specOf(cj).jobTemplate);
    const meta = obj(template.metadata);
    const zone = str(specOf(cj).timeZone);
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...(obj(meta.labels) as Record<string, string>) },
        annotations: { ...(obj(meta.annotations) as Record<string, string>), [SCHEDULED_TIMESTAMP]: scheduledTimestamp(scheduled, zone) },
        ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(obj(template.spec)),
    };
  }

  private async cleanupHistory(cj: KubeObject, finished: KubeObject[]): Promise<void> {
    const spec = specOf(cj);
    const limits = { Complete: num(spec.successfulJobsHistoryLimit, 3), Failed: num(spec.failedJobsHistoryLimit, 1) };
    for (const kind of ['Complete', 'Failed'] as const) {
      const jobs = finished.filter((j) => jobFinished(j) === kind && !j.metadata.deletionTimestamp);
      const excess = jobs.length - limits[kind];
      if (excess <= 0) continue;
      const started = (j: KubeObject) => Date.parse(String(statusOf(j).startTime ?? j.metadata.creationTimestamp ?? '')) || 0;
      jobs.sort((a, b) => started(a) - started(b));
      for (const job of jobs.slice(0, excess)) {
        try {
          await this.deps.client.delete(JOBS, job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Background' });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
        } catch (error) {
          if (!isConflictOrGone(error)) throw error;
        }
      }
    }
  }

  private async writeStatus(cj: KubeObject, status: Record<string, unknown>): Promise<void> {
    if (sameStatus(status, statusOf(cj))) return;
    try {
      await updateStatus(this.deps.client, CRONJOBS, cj, status);
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
      this.queue.addAfter(keyOf(cj), 10);
    }
  }
}

function jobRef(job: KubeObject): ObjectRef {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name ?? '', uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/** RFC 3339 in the CronJob's time zone (UTC when it has none), as upstream writes the annotation. */
function scheduledTimestamp(date: Date, zone: string | undefined): string {
  if (!zone) return kubeTime(date);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  const wall = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')), Number(get('hour')) % 24, Number(get('minute')), Number(get('second')));
  const offset = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  if (offset === 0) return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
