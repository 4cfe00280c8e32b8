// Deployment arithmetic shared by the rollout strategies and status (pkg/controller/deployment/util).
import type { KubeObject } from '../../../../shared/kube.js';
import { num, obj, scaledValue, specOf, statusOf, str, templateOf, type Obj } from './common.js';
import { computeTemplateHash } from './template-hash.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';

export function replicasOf(o: KubeObject | undefined): number {
  return o ? num(specOf(o).replicas, 1) : 0;
}

export function sumSpec(list: KubeObject[]): number {
  return list.reduce((n, rs) => n + replicasOf(rs), 0);
}

export function sumStatus(list: KubeObject[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return list.reduce((n, rs) => n + num(statusOf(rs)[field]), 0);
}

export function revisionOf(o: KubeObject): number {
  const v = Number(o.metadata.annotations?.[REVISION] ?? '0');
  return Number.isInteger(v) ? v : 0;
}

export function isRollingUpdate(d: KubeObject): boolean {
  return str(obj(specOf(d).strategy).type) !== 'Recreate';
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero means one unavailable. */
export function fenceposts(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  if (!isRollingUpdate(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const rolling = obj(obj(specOf(d).strategy).rollingUpdate);
  const desired = replicasOf(d);
  const maxSurge = scaledValue(rolling.maxSurge ?? '25%', desired, true);
  let maxUnavailable = scaledValue(rolling.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** MaxUnavailable as status and scaling use it: never more than the desired replicas. */
export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).maxUnavailable, replicasOf(d));
}

/** The pod template without the pod-template-hash label (EqualIgnoreHash compares these). */
export function templateWithoutHash(template: Obj): Obj {
  const copy = structuredClone(template);
  const meta = obj(copy.metadata);
  const labels = { ...(obj(meta.labels) as Record<string, string>) };
  delete labels[HASH_LABEL];
  copy.metadata = { ...meta, labels };
  return copy;
}

/** controller.ComputeHash(&d.Spec.Template, d.Status.CollisionCount), as upstream names the new ReplicaSet. */
export function podTemplateHash(d: KubeObject): string {
  const collisionCount = statusOf(d).collisionCount;
  return computeTemplateHash(templateOf(d), typeof collisionCount === 'number' ? collisionCount : undefined);
}

/** Annotations a deployment passes on to its replica sets (skipAnnotations upstream). */
export function copiedAnnotations(d: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (k === 'kubectl.kubernetes.io/last-applied-configuration' || k === REVISION || k === 'deployment.kubernetes.io/revision-history' || k === DESIRED_REPLICAS || k === MAX_REPLICAS || k === 'deprecated.deployment.rollback.to') continue;
    out[k] = v;
  }
  return out;
}

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export function conditionsOf(status: Obj): DeploymentCondition[] {
  return Array.isArray(status.conditions) ? (status.conditions as DeploymentCondition[]).map((c) => ({ ...c })) : [];
}

/** SetDeploymentCondition: same status and reason changes nothing; same status keeps lastTransitionTime. */
export function setCondition(conditions: DeploymentCondition[], next: DeploymentCondition): DeploymentCondition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason) return conditions;
  if (current && current.status === next.status) next = { ...next, lastTransitionTime: current.lastTransitionTime };
  return [...conditions.filter((c) => c.type !== next.type), next];
}
