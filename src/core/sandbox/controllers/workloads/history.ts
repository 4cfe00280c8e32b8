// ControllerRevisions for StatefulSets and DaemonSets (pkg/controller/history): a revision holds the
// template as a patch, is named <owner>-<hash of that patch>, numbered in order of use, and old ones
// beyond revisionHistoryLimit are deleted.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer } from '../informer.js';
import { REVISIONS, canonicalJson, computeHash, controllerRefOf, isConflictOrGone, newControllerRef, num, obj, specOf, statusOf, templateOf } from './common.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** What a revision stores: the template, replacing the whole template on rollback. */
export function revisionData(owner: KubeObject): Record<string, unknown> {
  return { spec: { template: { ...templateOf(owner), $patch: 'replace' } } };
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
 * The revision matching the owner's current template, created (or renumbered as the newest) if
 * needed. Returns it and every owned revision.
 */
export async function ensureUpdateRevision(client: ApiClient, owner: KubeObject, kind: string, revisions: Informer): Promise<{ update: KubeObject; all: KubeObject[] }> {
  const all = ownedRevisions(owner, revisions);
  const data = revisionData(owner);
  const text = canonicalJson(data);
  const next = (all.length ? revisionNumber(all[all.length - 1]) : 0) + 1;
  const equal = all.filter((r) => canonicalJson(r.data) === text);
  const namespace = owner.metadata.namespace ?? '';
  if (equal.length) {
    const found = equal[equal.length - 1];
    if (found === all[all.length - 1]) return { update: found, all };
    // Rolling back to an older template makes that revision the newest again.
    const renumbered = await client.patch(REVISIONS, namespace, found.metadata.name ?? '', 'merge', { revision: next });
    return { update: renumbered, all: all.map((r) => (r === found ? renumbered : r)) };
  }
  let collisionCount = num(statusOf(owner).collisionCount);
  for (;;) {
    // Upstream always hashes a collision count (0 at first) after the data, as 4 little-endian bytes;
    // the data is a JSON map, which Go writes with sorted keys, as canonicalJson does.
    const hash = computeHash(text, collisionCount);
    const revision: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${owner.metadata.name}-${hash}`,
        namespace,
        labels: { ...(obj(obj(templateOf(owner).metadata).labels) as Record<string, string>), [REVISION_HASH_LABEL]: hash },
        ownerReferences: [newControllerRef(owner, 'apps/v1', kind)],
      },
      data,
      revision: next,
    };
    try {
      const created = await client.create(REVISIONS, namespace, revision);
      return { update: created, all: [...all, created] };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
      const existing = await client.get(REVISIONS, namespace, revision.metadata.name ?? '');
      if (controllerRefOf(existing)?.uid === owner.metadata.uid && canonicalJson(existing.data) === text) return { update: existing, all: [...all, existing] };
      collisionCount++;
    }
  }
}

/** The hash label of a revision: what pods of that revision carry. */
export function revisionHash(r: KubeObject | undefined): string | undefined {
  return r?.metadata.labels?.[REVISION_HASH_LABEL];
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
