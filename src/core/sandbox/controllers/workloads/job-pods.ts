// Job pod helpers: completion indexes, the pod template a job's pods get, podFailurePolicy matching
// and the failure back-off (pkg/controller/job: indexed_job_utils.go, pod_failure_policy.go, backoff_utils.go).
import type { KubeObject } from '../../../../shared/kube.js';
import { newControllerRef, num, obj, podFromTemplate, podPhase, specOf, statusOf, str, templateOf, type Obj } from './common.js';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The documented pod failure back-off: 10 s doubling, capped at 6 minutes. */
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 6 * 60_000;

export function isIndexed(job: KubeObject): boolean {
  return specOf(job).completionMode === 'Indexed';
}

export function podIndex(pod: KubeObject): number | undefined {
  const raw = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** "1,3-5,7" → the set of indexes. */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

/** The set as status.completedIndexes writes it: sorted, consecutive runs as ranges. */
export function formatIndexes(indexes: Set<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function jobPod(job: KubeObject, index: number | undefined): KubeObject {
  const name = job.metadata.name ?? '';
  const template = structuredClone(templateOf(job));
  const pod = podFromTemplate(template, job, newControllerRef(job, 'batch/v1', 'Job'), index === undefined ? `${name}-` : `${name}-${index}-`);
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), TRACKING_FINALIZER];
  if (index !== undefined) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    const spec = obj(pod.spec);
    spec.hostname = `${name}-${index}`;
    // The index reaches the containers as JOB_COMPLETION_INDEX, from the annotation.
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
    for (const key of ['containers', 'initContainers']) {
      const list = spec[key];
      if (!Array.isArray(list)) continue;
      spec[key] = list.map((c: Obj) => ({ ...c, env: [...(Array.isArray(c.env) ? (c.env as Obj[]).filter((e) => e.name !== 'JOB_COMPLETION_INDEX') : []), env] }));
    }
  }
  return pod;
}

export interface PolicyVerdict {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  message?: string;
}

/** podFailurePolicy: the first rule matching a failed pod decides what its failure means. */
export function matchFailurePolicy(job: KubeObject, pod: KubeObject): PolicyVerdict | undefined {
  const rules = obj(specOf(job).podFailurePolicy).rules;
  if (!Array.isArray(rules)) return undefined;
  const statuses = [...(Array.isArray(statusOf(pod).initContainerStatuses) ? (statusOf(pod).initContainerStatuses as Obj[]) : []), ...(Array.isArray(statusOf(pod).containerStatuses) ? (statusOf(pod).containerStatuses as Obj[]) : [])];
  const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = obj(rules[i]);
    const action = str(rule.action) as PolicyVerdict['action'];
    const onExit = rule.onExitCodes ? obj(rule.onExitCodes) : undefined;
    if (onExit) {
      const values = Array.isArray(onExit.values) ? (onExit.values as number[]) : [];
      for (const s of statuses) {
        if (onExit.containerName && onExit.containerName !== s.name) continue;
        const code = obj(obj(s.state).terminated).exitCode;
        if (typeof code !== 'number' || code === 0) continue;
        const inValues = values.includes(code);
        if (onExit.operator === 'In' ? inValues : !inValues) {
          return { action, message: `Container ${String(s.name)} for pod ${podName} failed with exit code ${code} matching ${action} rule at index ${i}` };
        }
      }
    }
    const onConditions = rule.onPodConditions;
    if (Array.isArray(onConditions)) {
      const podConditions = Array.isArray(statusOf(pod).conditions) ? (statusOf(pod).conditions as Obj[]) : [];
      for (const want of onConditions as Obj[]) {
        const found = podConditions.find((c) => c.type === want.type && c.status === (want.status ?? 'True'));
        if (found) return { action, message: `Pod ${podName} has condition ${String(want.type)} matching ${action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}

export function isFinished(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** When a finished pod finished: its containers' latest finishedAt, else its last condition change. */
export function finishTime(pod: KubeObject): number {
  let latest = 0;
  const statuses = statusOf(pod).containerStatuses;
  if (Array.isArray(statuses)) {
    for (const s of statuses as Obj[]) latest = Math.max(latest, Date.parse(String(obj(obj(s.state).terminated).finishedAt ?? '')) || 0);
  }
  if (latest) return latest;
  const conditions = statusOf(pod).conditions;
  if (Array.isArray(conditions)) for (const c of conditions as Obj[]) latest = Math.max(latest, Date.parse(String(c.lastTransitionTime ?? '')) || 0);
  return latest || Date.parse(pod.metadata.deletionTimestamp ?? pod.metadata.creationTimestamp ?? '') || 0;
}

export function restartCount(pod: KubeObject): number {
  const statuses = statusOf(pod).containerStatuses;
  return Array.isArray(statuses) ? (statuses as Obj[]).reduce((n, s) => n + num(s.restartCount), 0) : 0;
}

/** Delay before the next pod after `failures` consecutive failures. */
export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
}
