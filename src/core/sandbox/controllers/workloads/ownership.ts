// Controller references: which owner a child event concerns, and adopting orphans / releasing
// children that no longer match (the controller-ref manager of kube-controller-manager).
import type { KubeObject, OwnerReference } from '../../../../shared/kube.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import type { Informer } from '../informer.js';
import { controllerRefOf, isConflictOrGone, selectorMatches, specOf } from './common.js';

/** Keys ("ns/name") of the owners of `kind` a child's add/update/delete concerns. */
const NONE: readonly string[] = Object.freeze([]);

export function ownerKeysForPod(child: KubeObject, old: KubeObject | undefined, kind: string, owners: Informer): readonly string[] {
  const namespace = child.metadata.namespace ?? '';
  // The usual case, a controlled child updated under the same controller: no set or list to build
  // (every workload controller hears every pod event).
  const ref = controllerRefOf(child);
  if (ref && (!old || controllerRefOf(old)?.uid === ref.uid)) return ref.kind === kind ? [`${namespace}/${ref.name}`] : NONE;
  const keys = new Set<string>();
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

/**
 * Children indexed by their controller's uid, plus the orphans of each namespace: a controller syncing
 * one owner looks at its own children and the orphans it could adopt, not at every pod of the
 * namespace (10,000 pods over 100 deployments would make each sync scan them all).
 */
export class ChildIndex {
  private readonly byOwner = new Map<string, Map<string, KubeObject>>();
  private readonly orphans = new Map<string, Map<string, KubeObject>>();
  /** Where each child is filed, to move or drop it without searching. */
  private readonly where = new Map<string, { map: Map<string, Map<string, KubeObject>>; bucket: string }>();
  private readonly subscription: { dispose(): void };

  constructor(informer: Informer) {
    for (const o of informer.list()) this.add(o);
    this.subscription = informer.onDidChange((e) => {
      this.remove(e.object);
      if (e.type !== 'DELETED') this.add(e.object);
    });
  }

  /** The owner's children and the orphans of its namespace. */
  candidates(owner: KubeObject): KubeObject[] {
    const own = this.byOwner.get(owner.metadata.uid ?? '');
    const orphans = this.orphans.get(owner.metadata.namespace ?? '');
    return [...(own?.values() ?? []), ...(orphans?.values() ?? [])];
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private add(o: KubeObject): void {
    const ref = controllerRefOf(o);
    const map = ref ? this.byOwner : this.orphans;
    const bucket = ref ? ref.uid : (o.metadata.namespace ?? '');
    let inner = map.get(bucket);
    if (!inner) map.set(bucket, (inner = new Map()));
    const key = childKey(o);
    inner.set(key, o);
    this.where.set(key, { map, bucket });
  }

  private remove(o: KubeObject): void {
    const key = childKey(o);
    const at = this.where.get(key);
    if (!at) return;
    this.where.delete(key);
    const inner = at.map.get(at.bucket);
    inner?.delete(key);
    if (inner?.size === 0) at.map.delete(at.bucket);
  }
}

function childKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}
