// The Job controller (1.32): runs pods until completions succeed, counts finished pods through the
// batch.kubernetes.io/job-tracking finalizer, backs off after failures (10 s doubling, capped at
// 6 min), fails on backoffLimit, activeDeadlineSeconds or podFailurePolicy (FailureTarget first,
// then Failed once pods are gone), completes (SuccessCriteriaMet, then Complete), supports Indexed
// completion, suspend and ttlSecondsAfterFinished.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { Expectations, QueueController, type ControllerDeps } from './base.js';
import { adoptOrRelease, ownerKeysForPod } from './ownership.js';
import { JOBS, PODS, claimable, isConflictOrGone, isPodReady, keyOf, kubeTime, newControllerRef, num, obj, sameStatus, specOf, splitKey, statusOf, updateStatus, type Obj } from './common.js';
import { podsToDelete } from './replicaset-controller.js';
import {
  TRACKING_FINALIZER,
  backoffDelay,
  finishTime,
  formatIndexes,
  isFinished,
  isIndexed,
  jobPod,
  matchFailurePolicy,
  parseIndexes,
  podIndex,
  restartCount,
} from './job-pods.js';

const BURST = 500;

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

const MESSAGES = {
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
  CompletionsReached: 'Reached expected number of succeeded pods',
};

export function jobConditions(job: KubeObject): JobCondition[] {
  const c = statusOf(job).conditions;
  return Array.isArray(c) ? (c as JobCondition[]) : [];
}

export function jobFinished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const done = jobConditions(job).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return done?.type as 'Complete' | 'Failed' | undefined;
}

export class JobController extends QueueController {
  private readonly expectations: Expectations;
  /** UIDs already counted per job: a stale cache must not count a pod twice. */
  private readonly counted = new Map<string, Set<string>>();
  /** Consecutive failures since the last success, and when the last one happened. */
  private readonly backoff = new Map<string, { failures: number; last: number }>();

  constructor(deps: ControllerDeps) {
    super(deps, 'job-controller');
    this.expectations = new Expectations(deps.clock);
    const { jobs, pods } = deps.informers;
    this.listen(jobs, (e) => {
      if (e.type === 'DELETED') {
        this.expectations.forget(keyOf(e.object));
        this.counted.delete(keyOf(e.object));
        this.backoff.delete(keyOf(e.object));
      }
      this.enqueue(e.object);
    });
    this.listen(pods, (e) => {
      for (const key of ownerKeysForPod(e.object, e.old, 'Job', jobs)) {
        if (e.type === 'ADDED') this.expectations.creationObserved(key);
        if (e.type === 'DELETED' || (e.object.metadata.deletionTimestamp && !e.old?.metadata.deletionTimestamp)) this.expectations.deletionObserved(key, e.object.metadata.uid);
        this.queue.add(key);
      }
    });
  }

  protected primary(): Informer {
    return this.deps.informers.jobs;
  }

  protected async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const cached = this.deps.informers.jobs.get(namespace, name);
    if (!cached) return;
    let job = structuredClone(cached);
    const spec = specOf(job);
    const now = this.deps.clock.now();
    const claim = claimable(job, this.deps.podIndex.candidates(job), spec.selector);
    const pods = [...claim.owned, ...(await adoptOrRelease(this.deps.client, PODS, job, claim, newControllerRef(job, 'batch/v1', 'Job')))];
    const counted = this.counted.get(key) ?? new Set<string>();
    this.counted.set(key, counted);

    if (jobFinished(job)) {
      await this.removeFinalizers(pods.filter((p) => p.metadata.finalizers?.includes(TRACKING_FINALIZER)));
      return this.expireAfterTtl(job);
    }

    // 1. Finished (or deleted) pods still holding our finalizer: note them as uncounted first.
    const status = structuredClone(statusOf(job));
    const uncounted = { succeeded: [...((obj(status.uncountedTerminatedPods).succeeded as string[] | undefined) ?? [])], failed: [...((obj(status.uncountedTerminatedPods).failed as string[] | undefined) ?? [])] };
    const tracked = pods.filter((p) => p.metadata.finalizers?.includes(TRACKING_FINALIZER) && !counted.has(p.metadata.uid ?? ''));
    let failJob: string | undefined;
    const ignored: KubeObject[] = [];
    for (const pod of tracked) {
      const uid = pod.metadata.uid ?? '';
      if (uncounted.succeeded.includes(uid) || uncounted.failed.includes(uid)) continue;
      const phase = statusOf(pod).phase;
      if (phase === 'Succeeded') uncounted.succeeded.push(uid);
      else if (phase === 'Failed' || pod.metadata.deletionTimestamp) {
        const verdict = phase === 'Failed' ? matchFailurePolicy(job, pod) : undefined;
        if (verdict?.action === 'Ignore') ignored.push(pod);
        else uncounted.failed.push(uid);
        if (verdict?.action === 'FailJob') failJob ??= verdict.message;
      }
    }
    const withUncounted = { ...status, uncountedTerminatedPods: uncounted };
    if (!sameStatus(obj(status.uncountedTerminatedPods), uncounted)) job = await this.writeStatus(job, withUncounted);

    // 2. Release those pods, then 3. move them into the counts.
    const toRelease = pods.filter((p) => uncounted.succeeded.includes(p.metadata.uid ?? '') || uncounted.failed.includes(p.metadata.uid ?? ''));
    await this.removeFinalizers([...toRelease, ...ignored]);
    const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    const completed = parseIndexes(status.completedIndexes as string | undefined);
    let succeeded = num(status.succeeded);
    let failed = num(status.failed);
    const record = this.backoff.get(key) ?? { failures: 0, last: 0 };
    const finishedNow = [...uncounted.succeeded.map((uid) => ({ uid, ok: true })), ...uncounted.failed.map((uid) => ({ uid, ok: false }))];
    finishedNow.sort((a, b) => finishTime(byUid.get(a.uid) ?? { metadata: {} }) - finishTime(byUid.get(b.uid) ?? { metadata: {} }));
    for (const { uid, ok } of finishedNow) {
      // Counted already, by a write this stale cache has not seen yet.
      if (counted.has(uid)) continue;
      counted.add(uid);
      const pod = byUid.get(uid);
      if (ok) {
        const index = pod ? podIndex(pod) : undefined;
        if (isIndexed(job)) {
          if (index !== undefined && index < num(spec.completions) && !completed.has(index)) {
            completed.add(index);
            succeeded++;
          }
        } else succeeded++;
        record.failures = 0;
      } else {
        failed++;
        record.failures++;
        record.last = Math.max(record.last, pod ? finishTime(pod) : now.getTime());
      }
    }
    this.backoff.set(key, record);

    const active = pods.filter((p) => !isFinished(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isFinished(p) && p.metadata.deletionTimestamp);
    const next: Obj = {
      ...status,
      uncountedTerminatedPods: {},
      succeeded,
      failed,
      active: active.length,
      ready: active.filter(isPodReady).length,
      terminating: terminating.length,
      ...(isIndexed(job) ? { completedIndexes: formatIndexes(completed) } : {}),
    };
    let conditions = [...jobConditions(job)];
    const nowText = kubeTime(now);
    const setCondition = (type: string, reason: string, message: string, state = 'True') => {
      const old = conditions.find((c) => c.type === type);
      if (old && old.status === state && old.reason === reason) return;
      conditions = [...conditions.filter((c) => c.type !== type), { type, status: state, reason, message, lastProbeTime: nowText, lastTransitionTime: nowText }];
    };
    const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');

    // 4. Decide: failure, success, suspension, or more pods.
    const suspended = spec.suspend === true;
    if (!has('FailureTarget') && !has('SuccessCriteriaMet')) {
      const deadline = typeof spec.activeDeadlineSeconds === 'number' && typeof next.startTime === 'string' ? Date.parse(next.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
      if (failJob) setCondition('FailureTarget', 'PodFailurePolicy', failJob);
      else if (this.pastBackoffLimit(job, failed, active)) setCondition('FailureTarget', 'BackoffLimitExceeded', MESSAGES.BackoffLimitExceeded);
      else if (!suspended && deadline !== undefined && deadline <= now.getTime()) setCondition('FailureTarget', 'DeadlineExceeded', MESSAGES.DeadlineExceeded);
      else if (this.successReached(job, succeeded, completed, active.length)) setCondition('SuccessCriteriaMet', 'CompletionsReached', MESSAGES.CompletionsReached);
      else if (deadline !== undefined && !suspended) this.queue.addAfter(key, deadline - now.getTime() + 1);
    }
    if (has('FailureTarget') || has('SuccessCriteriaMet')) {
      await this.deletePods(key, job, active);
      if (active.length === 0 && terminating.length === 0) {
        if (has('FailureTarget')) {
          const target = conditions.find((c) => c.type === 'FailureTarget');
          setCondition('Failed', target?.reason ?? 'BackoffLimitExceeded', target?.message ?? MESSAGES.BackoffLimitExceeded);
          this.recorder.event(job, 'Warning', target?.reason ?? 'BackoffLimitExceeded', target?.message ?? MESSAGES.BackoffLimitExceeded);
        } else {
          setCondition('Complete', 'CompletionsReached', MESSAGES.CompletionsReached);
          next.completionTime = nowText;
          this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
        }
      }
    } else if (suspended) {
      await this.deletePods(key, job, active);
      if (!has('Suspended')) {
        setCondition('Suspended', 'JobSuspended', 'Job suspended');
        this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
      }
      delete next.startTime;
    } else {
      if (conditions.some((c) => c.type === 'Suspended' && c.status === 'True')) {
        setCondition('Suspended', 'JobResumed', 'Job resumed', 'False');
        this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
      }
      next.startTime ??= nowText;
      if (this.expectations.satisfied(key)) await this.managePods(key, job, active, succeeded, completed, record, now);
    }
    next.conditions = conditions.length ? conditions : undefined;
    if (!sameStatus(next, statusOf(job))) job = await this.writeStatus(job, next);
    if (jobFinished(job)) await this.expireAfterTtl(job);
  }

  private pastBackoffLimit(job: KubeObject, failed: number, active: KubeObject[]): boolean {
    const limit = num(specOf(job).backoffLimit, 6);
    if (obj(obj(specOf(job).template).spec).restartPolicy === 'OnFailure') {
      // Container restarts count against the limit when the kubelet restarts in place.
      const restarts = failed + active.reduce((n, p) => n + restartCount(p), 0);
      return limit === 0 ? restarts > 0 : restarts >= limit;
    }
    return failed > limit;
  }

  private successReached(job: KubeObject, succeeded: number, completed: Set<number>, active: number): boolean {
    const completions = specOf(job).completions;
    if (isIndexed(job)) return completed.size >= num(completions);
    if (typeof completions !== 'number') return succeeded > 0 && active === 0;
    return succeeded >= completions;
  }

  private async managePods(key: string, job: KubeObject, active: KubeObject[], succeeded: number, completed: Set<number>, record: { failures: number; last: number }, now: Date): Promise<void> {
    const spec = specOf(job);
    const parallelism = num(spec.parallelism, 1);
    const completions = spec.completions;
    let indexes: (number | undefined)[];
    if (isIndexed(job)) {
      const running = new Set(active.map(podIndex));
      const wanted: number[] = [];
      for (let i = 0; i < num(completions) && wanted.length + active.length < parallelism; i++) if (!completed.has(i) && !running.has(i)) wanted.push(i);
      indexes = wanted;
    } else {
      const want = typeof completions !== 'number' ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
      const diff = want - active.length;
      if (diff < 0) return this.deletePods(key, job, podsToDelete(active, -diff));
      indexes = Array.from({ length: diff }, () => undefined);
    }
    if (indexes.length === 0) return;
    const wait = record.last + backoffDelay(record.failures) - now.getTime();
    if (record.failures > 0 && wait > 0) {
      this.queue.addAfter(key, wait);
      return;
    }
    const batch = indexes.slice(0, BURST);
    this.expectations.expect(key, batch.length);
    let failure: unknown;
    await Promise.all(
      batch.map(async (index) => {
        try {
          const pod = await this.deps.client.create(PODS, job.metadata.namespace ?? '', jobPod(job, index));
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (error) {
          this.expectations.creationObserved(key);
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${error instanceof Error ? error.message : String(error)}`);
          failure ??= error;
        }
      }),
    );
    if (failure) throw failure;
  }

  private async deletePods(key: string, job: KubeObject, pods: KubeObject[]): Promise<void> {
    if (pods.length === 0) return;
    this.expectations.expect(key, 0, pods.map((p) => p.metadata.uid ?? ''));
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.deps.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (error) {
          this.expectations.deletionObserved(key, pod.metadata.uid);
          if (!isConflictOrGone(error)) throw error;
        }
      }),
    );
  }

  private async removeFinalizers(pods: KubeObject[]): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
        if (finalizers.length === (pod.metadata.finalizers ?? []).length) return;
        try {
          await this.deps.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', { metadata: { finalizers: finalizers.length ? finalizers : null, uid: pod.metadata.uid } });
        } catch (error) {
          if (!isConflictOrGone(error)) throw error;
        }
      }),
    );
  }

  private async writeStatus(job: KubeObject, status: Obj): Promise<KubeObject> {
    return updateStatus(this.deps.client, JOBS, job, status);
  }

  /** The TTL-after-finished controller's part: delete a finished job ttlSecondsAfterFinished later. */
  private async expireAfterTtl(job: KubeObject): Promise<void> {
    const ttl = specOf(job).ttlSecondsAfterFinished;
    if (typeof ttl !== 'number' || job.metadata.deletionTimestamp) return;
    const done = jobConditions(job).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const finishedAt = Date.parse(String(statusOf(job).completionTime ?? done?.lastTransitionTime ?? ''));
    if (!Number.isFinite(finishedAt)) return;
    const left = finishedAt + ttl * 1000 - this.deps.clock.now().getTime();
    if (left > 0) {
      this.queue.addAfter(keyOf(job), left);
      return;
    }
    try {
      await this.deps.client.delete(JOBS, job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } });
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
    }
  }
}
