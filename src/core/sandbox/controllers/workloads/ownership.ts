// Controller references: which owner a child event concerns, and adopting orphans / releasing
// children that no longer match (the controller-ref manager of kube-controller-manager).
import type { KubeObject, OwnerReference } from '../../../../shared/kube.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import type { Informer } from '../informer.js';
import { controllerRefOf, isConflictOrGone, selectorMatches, specOf } from './common.js';

/** Keys ("ns/name") of the owners of `kind` a child's add/update/delete concerns. */
export function ownerKeysForPod(child: KubeObject, old: KubeObject | undefined, kind: string, owners: Informer): string[] {
  const keys = new Set<string>();
  const namespace = child.metadata.namespace ?? '';
  for (const o of [child, old]) {
    if (!o) continue;
    const ref = controllerRefOf(o);
    if (ref) {
      if (ref.kind === kind) keys.add(`${namespace}/${ref.name}`);
      continue;
    }
    // An orphan: every owner whose selector matches may want to adopt it.
    for (const owner of owners.list(namespace)) {
      if (selectorMatches(specOf(owner).selector, o.metadata.labels)) keys.add(`${namespace}/${owner.metadata.name}`);
    }
  }
  return [...keys];
}

/**
 * Adopts matching orphans and releases owned children whose labels no longer match. Returns the
 * adopted children. A child changed or deleted meanwhile is skipped: the next sync sees it again.
 */
export async function adoptOrRelease(
  client: ApiClient,
  ref: ResourceRef,
  owner: KubeObject,
  claim: { orphans: KubeObject[]; release: KubeObject[] },
  controllerRef: OwnerReference,
): Promise<KubeObject[]> {
  const adopted: KubeObject[] = [];
  const namespace = owner.metadata.namespace ?? '';
  for (const child of claim.orphans) {
    const refs = [...(child.metadata.ownerReferences ?? []), controllerRef];
    try {
      adopted.push(await client.patch(ref, namespace, child.metadata.name ?? '', 'merge', { metadata: { ownerReferences: refs, uid: child.metadata.uid } }));
    } catch (error) {
      if (!isConflictOrGone(error) && !(error instanceof Error && 'code' in error && (error as { code: number }).code === 422)) throw error;
    }
  }
  for (const child of claim.release) {
    const refs = (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
    try {
      await client.patch(ref, namespace, child.metadata.name ?? '', 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: child.metadata.uid } });
    } catch (error) {
      if (!isConflictOrGone(error)) throw error;
    }
  }
  return adopted;
}
