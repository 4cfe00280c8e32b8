// ControllerRevisions for StatefulSets and DaemonSets (pkg/controller/history): a revision holds the
// template as a patch, is named <owner>-<hash of that patch>, numbered in order of use, and old ones
// beyond revisionHistoryLimit are deleted.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer } from '../informer.js';
import { REVISIONS, controllerRefOf, isConflictOrGone, newControllerRef, num, obj, specOf, statusOf, templateOf } from './common.js';
import { computeTemplateHash, hashControllerRevision, revisionPatchJson } from './template-hash.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';
/** The label history.NewControllerRevision puts on a StatefulSet's revisions. */
export const CONTROLLER_HASH_LABEL = 'controller.kubernetes.io/hash';

/**
 * What a revision stores: the template, replacing the whole template on rollback, exactly as the
 * controllers' getPatch writes it (Go's JSON: `creationTimestamp: null`, `resources: {}`...).
 */
export function revisionData(owner: KubeObject): Record<string, unknown> {
  return JSON.parse(revisionPatchJson(templateOf(owner))) as Record<string, unknown>;
}

/** A revision's data in Go's form, whichever form it was stored in (older sandboxes stored plain JSON). */
function revisionText(r: KubeObject): string {
  return revisionPatchJson(templateFromRevision(r));
}

export function revisionNumber(r: KubeObject): number {
  return num(r.revision);
}

export function ownedRevisions(owner: KubeObject, revisions: Informer): KubeObject[] {
  return revisions
    .list(owner.metadata.namespace ?? '')
    .filter((r) => controllerRefOf(r)?.uid === owner.metadata.uid)
    .sort((a, b) => revisionNumber(a) - revisionNumber(b));
}

/**
 * A new revision's name and labels. A DaemonSet names it by controller.ComputeHash of the template
 * (its pods' controller-revision-hash), a StatefulSet by history.HashControllerRevision of the data
 * (its pods' controller-revision-hash is then the revision's whole name).
 */
function newRevisionMeta(owner: KubeObject, kind: string, text: string, collisionCount: number | undefined): { name: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  const templateLabels = obj(obj(templateOf(owner).metadata).labels) as Record<string, string>;
  // Both copy the owner's annotations onto the revision.
  const annotations = owner.metadata.annotations && Object.keys(owner.metadata.annotations).length ? { annotations: { ...owner.metadata.annotations } } : {};
  if (kind === 'DaemonSet') {
    const hash = computeTemplateHash(templateOf(owner), collisionCount);
    return { name: `${owner.metadata.name}-${hash}`, labels: { ...templateLabels, [REVISION_HASH_LABEL]: hash }, ...annotations };
  }
  const hash = hashControllerRevision(text, collisionCount ?? 0);
  return { name: `${(owner.metadata.name ?? '').slice(0, 223)}-${hash}`, labels: { ...templateLabels, [CONTROLLER_HASH_LABEL]: hash }, ...annotations };
}

/**
 * The revision matching the owner's current template, created (or renumbered as the newest) if
 * needed. Returns it and every owned revision.
 */
export async function ensureUpdateRevision(client: ApiClient, owner: KubeObject, kind: string, revisions: Informer): Promise<{ update: KubeObject; all: KubeObject[] }> {
  const all = ownedRevisions(owner, revisions);
  const text = revisionPatchJson(templateOf(owner));
  const data = JSON.parse(text) as Record<string, unknown>;
  const next = (all.length ? revisionNumber(all[all.length - 1]) : 0) + 1;
  const equal = all.filter((r) => revisionText(r) === text);
  const namespace = owner.metadata.namespace ?? '';
  if (equal.length) {
    const found = equal[equal.length - 1];
    if (found === all[all.length - 1]) return { update: found, all };
    // Rolling back to an older template makes that revision the newest again.
    const renumbered = await client.patch(REVISIONS, namespace, found.metadata.name ?? '', 'merge', { revision: next });
    return { update: renumbered, all: all.map((r) => (r === found ? renumbered : r)) };
  }
  const status = statusOf(owner).collisionCount;
  // A StatefulSet always hashes a collision count (0 at first); a DaemonSet only once it has one.
  let collisionCount = typeof status === 'number' ? status : kind === 'DaemonSet' ? undefined : 0;
  for (;;) {
    const meta = newRevisionMeta(owner, kind, text, collisionCount);
    const revision: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { ...meta, namespace, ownerReferences: [newControllerRef(owner, 'apps/v1', kind)] },
      data,
      revision: next,
    };
    try {
      const created = await client.create(REVISIONS, namespace, revision);
      return { update: created, all: [...all, created] };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
      const existing = await client.get(REVISIONS, namespace, meta.name);
      if (controllerRefOf(existing)?.uid === owner.metadata.uid && revisionText(existing) === text) return { update: existing, all: [...all, existing] };
      collisionCount = (collisionCount ?? 0) + 1;
    }
  }
}

/**
 * The controller-revision-hash of the pods of a revision: a DaemonSet revision's hash label, a
 * StatefulSet revision's name (revisions made before the sandbox matched upstream keep their label).
 */
export function revisionHash(r: KubeObject | undefined): string | undefined {
  if (!r) return undefined;
  const label = r.metadata.labels?.[REVISION_HASH_LABEL];
  if (label !== undefined) return label;
  return controllerRefOf(r)?.kind === 'StatefulSet' ? r.metadata.name : undefined;
}

/** Deletes the oldest revisions beyond the limit, except those `live` (current, update, in use by pods). */
export async function truncateHistory(client: ApiClient, owner: KubeObject, all: KubeObject[], live: Set<string>): Promise<void> {
  const limit = num(specOf(owner).revisionHistoryLimit, 10);
  const history = all.filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = history.length - limit;
  for (const r of history.slice(0, Math.max(0, excess))) {
    try {
      await client.delete(REVISIONS, r.metadata.namespace ?? '', r.metadata.name ?? '');
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
    }
  }
}

/** The owner's spec with the template stored in a revision (to build pods of an older revision). */
export function templateFromRevision(r: KubeObject): Record<string, unknown> {
  const template = { ...obj(obj(obj(r.data).spec).template) };
  delete template.$patch;
  return template;
}
