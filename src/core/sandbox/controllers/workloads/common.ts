// Helpers every workload controller shares: resource refs, controller references, pod readiness and
// availability as kube-controller-manager judges them, int-or-percent scaling, template hashing.
import type { KubeObject, OwnerReference } from '../../../../shared/kube.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import { labelSelectorFromObject, SelectorError } from '../../registry/selectors/index.js';
import type { LabelSelector, LabelSelectorObject } from '../../registry/selectors/label-selector.js';

export const PODS: ResourceRef = { group: '', resource: 'pods' };
export const NODES: ResourceRef = { group: '', resource: 'nodes' };
export const PVCS: ResourceRef = { group: '', resource: 'persistentvolumeclaims' };
export const REPLICASETS: ResourceRef = { group: 'apps', resource: 'replicasets' };
export const DEPLOYMENTS: ResourceRef = { group: 'apps', resource: 'deployments' };
export const STATEFULSETS: ResourceRef = { group: 'apps', resource: 'statefulsets' };
export const DAEMONSETS: ResourceRef = { group: 'apps', resource: 'daemonsets' };
export const REVISIONS: ResourceRef = { group: 'apps', resource: 'controllerrevisions' };
export const JOBS: ResourceRef = { group: 'batch', resource: 'jobs' };
export const CRONJOBS: ResourceRef = { group: 'batch', resource: 'cronjobs' };

/** Loosely typed nested object access: controllers read specs the API server already validated. */
export type Obj = Record<string, unknown>;

export function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function specOf(o: KubeObject): Obj {
  return obj(o.spec);
}

export function statusOf(o: KubeObject): Obj {
  return obj(o.status);
}

export function templateOf(o: KubeObject): Obj {
  return obj(specOf(o).template);
}

/** metav1.Time as the API serializes it: RFC 3339, whole seconds. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

export function controllerRefOf(o: KubeObject): OwnerReference | undefined {
  // A loop, not find(): called for every child of every sync.
  const refs = o.metadata.ownerReferences;
  if (refs) for (const r of refs) if (r.controller === true) return r;
  return undefined;
}

export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  return compiledSelector(selector)?.matches(labels ?? {}) ?? false;
}

/** Selectors of informer objects (frozen, so never changed) compiled once: a sync matches each child against it. */
const compiledSelectors = new WeakMap<object, LabelSelector | undefined>();

/** The selector to match with; undefined when it is invalid (it matches nothing, as labelSelectorObjectMatches). */
function compiledSelector(selector: unknown): LabelSelector | undefined {
  const frozen = typeof selector === 'object' && selector !== null && Object.isFrozen(selector);
  if (frozen && compiledSelectors.has(selector)) return compiledSelectors.get(selector);
  let compiled: LabelSelector | undefined;
  try {
    compiled = labelSelectorFromObject(selector as LabelSelectorObject | undefined);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
  }
  if (frozen) compiledSelectors.set(selector, compiled);
  return compiled;
}

/** Children of `owner` among `candidates`, as the controller-ref manager sees them (owned or orphaned and matching). */
export function claimable(owner: KubeObject, candidates: KubeObject[], selector: unknown): { owned: KubeObject[]; orphans: KubeObject[]; release: KubeObject[] } {
  const owned: KubeObject[] = [];
  const orphans: KubeObject[] = [];
  const release: KubeObject[] = [];
  const compiled = compiledSelector(selector);
  for (const c of candidates) {
    const ref = controllerRefOf(c);
    const matches = compiled?.matches(c.metadata.labels ?? {}) ?? false;
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches || owner.metadata.deletionTimestamp) owned.push(c);
      else release.push(c);
    } else if (matches && !c.metadata.deletionTimestamp && !owner.metadata.deletionTimestamp) {
      orphans.push(c);
    }
  }
  return { owned, orphans, release };
}

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

export function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  const conditions = statusOf(pod).conditions;
  return Array.isArray(conditions) ? (conditions as PodCondition[]).find((c) => c.type === type) : undefined;
}

export function podPhase(pod: KubeObject): string {
  return str(statusOf(pod).phase) ?? 'Pending';
}

export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/** Milliseconds until a ready pod becomes available, or undefined if it is not ready or already is. */
export function untilAvailable(pod: KubeObject, minReadySeconds: number, now: Date): number | undefined {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True' || minReadySeconds <= 0 || !ready.lastTransitionTime) return undefined;
  const left = Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 - now.getTime();
  return left > 0 ? left : undefined;
}

/** Running or pending, not terminating (controller.IsPodActive). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (m) {
      const v = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(v) : Math.floor(v);
    }
    const n = Number(value);
    if (Number.isInteger(n)) return n;
  }
  return 0;
}

/** A pod built from a template as controller.GetPodFromTemplate does. */
export function podFromTemplate(template: Obj, owner: KubeObject, ref: OwnerReference, namePrefix?: string): KubeObject {
  const meta = obj(template.metadata);
  const labels = { ...(obj(meta.labels) as Record<string, string>) };
  const annotations = { ...(obj(meta.annotations) as Record<string, string>) };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: owner.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(namePrefix !== undefined ? { generateName: namePrefix } : {}),
      ownerReferences: [ref],
      ...(Array.isArray(meta.finalizers) ? { finalizers: [...(meta.finalizers as string[])] } : {}),
    },
    spec: structuredClone(obj(template.spec)),
  };
  return pod;
}

/** Sorts object keys recursively so a comparison does not depend on the order fields were written in. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sort((v as Obj)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte mapped into an alphabet without vowels (no words, no confusables). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.code === 404;
}

export function isConflictOrGone(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 404 || error.code === 409);
}

/** Runs fn, ignoring "not found" (the object went away meanwhile: nothing left to do). */
export async function ignoreNotFound<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Same content, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Status equality as the API would store it: zero counts and absent fields are the same (omitempty). */
export function sameStatus(a: unknown, b: unknown): boolean {
  const compact = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(compact);
    if (v && typeof v === 'object') {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v as Obj)) {
        if (x === 0 || x === undefined || x === null || x === '' || x === false || (Array.isArray(x) && x.length === 0)) continue;
        const c = compact(x);
        if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
        out[k] = c;
      }
      return out;
    }
    return v;
  };
  return canonicalJson(compact(a)) === canonicalJson(compact(b));
}

/**
 * Updates an object's status and returns it as stored. The in-process API currently answers an
 * update with the object's previous resourceVersion; a follow-up write with it would conflict, so
 * the stored object is read back in that case.
 */
export async function updateStatus(client: ApiClient, ref: ResourceRef, o: KubeObject, status: unknown): Promise<KubeObject> {
  const sent = o.metadata.resourceVersion;
  const result = await client.update(ref, o.metadata.namespace ?? '', { ...o, status }, { subresource: 'status' });
  if (sent === undefined || result.metadata.resourceVersion !== sent) return result;
  return client.get(ref, o.metadata.namespace ?? '', o.metadata.name ?? '');
}
