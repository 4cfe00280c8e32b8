// Deletion as kube-apiserver does it: preconditions, admission, graceful deletion for pods,
// finalizers (orphan, foregroundDeletion) set from the propagation policy, and namespaces that go
// through Terminating before they disappear.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError, fromStorageError } from '../../apiserver/errors.js';
import type { DeleteOptions, GenericStore, RequestContext } from './generic-store.js';
import { deepClone, rfc3339 } from './object-util.js';

export interface DeleteOutcome {
  object: KubeObject;
  /** false: the object still exists (graceful deletion or finalizers pending). */
  deleted: boolean;
}

export async function deleteObject(store: GenericStore, ctx: RequestContext, name: string, options: DeleteOptions = {}): Promise<DeleteOutcome> {
  const { storage, clock, admission } = store.deps;
  const key = store.keyFor(ctx.namespace, name);
  const current = await store.get(ctx.namespace, name);
  checkPreconditions(store, current, options);
  await admission.validate(store.attributes('DELETE', ctx, name, '', undefined, current));

  const grace = gracePeriodFor(store, current, options);
  const finalizers = new Set(current.metadata.finalizers ?? []);
  if (options.propagationPolicy === 'Orphan') {
    finalizers.add('orphan');
    finalizers.delete('foregroundDeletion');
  } else if (options.propagationPolicy === 'Foreground') {
    finalizers.add('foregroundDeletion');
    finalizers.delete('orphan');
  } else if (options.propagationPolicy === 'Background') {
    finalizers.delete('orphan');
    finalizers.delete('foregroundDeletion');
  }
  const isNamespace = store.def.group === '' && store.def.plural === 'namespaces';
  const namespaceFinalizers = isNamespace ? (((current.spec as { finalizers?: string[] } | undefined)?.finalizers) ?? []) : [];
  const pending = grace > 0 || finalizers.size > 0 || namespaceFinalizers.length > 0;

  if (!pending) {
    if (ctx.dryRun) return { object: current, deleted: true };
    try {
      const deleted = await storage.delete(key, { preconditions: { uid: current.metadata.uid } });
      return { object: store.decorate(deleted), deleted: true };
    } catch (error) {
      throw fromStorageError(error, store.qr, name);
    }
  }

  const now = clock.now();
  const next = deepClone(current);
  const existingDeadline = current.metadata.deletionTimestamp ? Date.parse(current.metadata.deletionTimestamp) : Infinity;
  const deadline = now.getTime() + grace * 1000;
  if (deadline < existingDeadline) {
    next.metadata.deletionTimestamp = rfc3339(new Date(deadline));
    next.metadata.deletionGracePeriodSeconds = grace;
  }
  next.metadata.finalizers = finalizers.size > 0 ? [...finalizers] : undefined;
  if (next.metadata.finalizers === undefined) delete next.metadata.finalizers;
  if (isNamespace) {
    next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
  }
  if (ctx.dryRun) return { object: next, deleted: false };
  try {
    const updated = await storage.guaranteedUpdate(key, (live) => {
      if (!live || live.metadata.uid !== current.metadata.uid) throw ApiError.notFound(store.qr, name);
      const merged = deepClone(live);
      merged.metadata.deletionTimestamp = next.metadata.deletionTimestamp;
      merged.metadata.deletionGracePeriodSeconds = next.metadata.deletionGracePeriodSeconds;
      if (next.metadata.finalizers) merged.metadata.finalizers = next.metadata.finalizers;
      else delete merged.metadata.finalizers;
      if (isNamespace) merged.status = next.status;
      return merged;
    });
    return { object: store.decorate(updated), deleted: false };
  } catch (error) {
    throw fromStorageError(error, store.qr, name);
  }
}

function checkPreconditions(store: GenericStore, current: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw ApiError.conflict(store.qr, current.metadata.name ?? '', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw ApiError.conflict(
      store.qr,
      current.metadata.name ?? '',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}

/** Only pods are deleted gracefully, and only once a kubelet runs them (scheduled, not finished). */
function gracePeriodFor(store: GenericStore, obj: KubeObject, options: DeleteOptions): number {
  if (!(store.def.group === '' && store.def.plural === 'pods')) return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}
