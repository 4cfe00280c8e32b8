// The garbage collector, as kube-controller-manager's: objects whose owners (ownerReferences) are all
// gone are deleted (background propagation); an owner deleted with the "orphan" finalizer has its
// dependents' references removed first; one with "foregroundDeletion" waits for its dependents to go.
import type { KubeObject, OwnerReference } from '../../../shared/kube.js';
import { parseApiVersion } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { Informer, InformerEvent } from './informer.js';
import { WorkQueue } from './work-queue.js';

interface Node {
  ref: ResourceRef;
  object: KubeObject;
}

export class GarbageCollector {
  private readonly byUid = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue: WorkQueue;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly registry: ResourceRegistry,
    informers: Informer[],
    clock: Clock,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.queue = new WorkQueue((uid) => this.sync(uid), clock, (_k, e) => onError(e));
    for (const informer of informers) {
      for (const object of informer.list()) this.observe({ type: 'ADDED', object }, informer.ref);
      const d = informer.onDidChange((event) => this.observe(event, informer.ref));
      this.disposers.push(() => d.dispose());
    }
  }

  dispose(): void {
    this.queue.stop();
    for (const d of this.disposers) d();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private observe(event: InformerEvent, ref: ResourceRef): void {
    const uid = event.object.metadata.uid;
    if (!uid) return;
    const previous = this.byUid.get(uid);
    const refs = event.object.metadata.ownerReferences;
    // As the graph builder: an update that leaves the owners as they were (a status write) changes
    // nothing to collect; owners going away re-queue their dependents below.
    if (event.type !== 'DELETED' && previous && sameOwners(previous.object.metadata.ownerReferences, refs)) {
      previous.object = event.object;
      if (event.object.metadata.deletionTimestamp) this.queue.add(uid);
      return;
    }
    for (const owner of previous?.object.metadata.ownerReferences ?? []) this.dependents.get(owner.uid)?.delete(uid);
    if (event.type === 'DELETED') {
      // An owner deleted in the foreground waits for this one: its last dependent gone, it may go.
      for (const owner of previous?.object.metadata.ownerReferences ?? []) {
        if (this.byUid.get(owner.uid)?.object.metadata.deletionTimestamp) this.queue.add(owner.uid);
      }
      this.byUid.delete(uid);
      // Dependents of a vanished owner are candidates for collection.
      for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
      this.dependents.delete(uid);
      return;
    }
    this.byUid.set(uid, { ref, object: event.object });
    for (const owner of refs ?? []) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Set()));
      set.add(uid);
      // An owner being deleted in the foreground waits on us: let it re-check.
      if (this.byUid.get(owner.uid)?.object.metadata.deletionTimestamp) this.queue.add(owner.uid);
    }
    if (event.object.metadata.ownerReferences?.length || event.object.metadata.deletionTimestamp) this.queue.add(uid);
  }

  private async sync(uid: string): Promise<void> {
    const node = this.byUid.get(uid);
    if (!node) return;
    const meta = node.object.metadata;
    const finalizers = meta.finalizers ?? [];
    if (meta.deletionTimestamp && finalizers.includes('orphan')) return this.orphanDependents(node);
    if (meta.deletionTimestamp && finalizers.includes('foregroundDeletion')) return this.deleteForeground(node);
    const owners = meta.ownerReferences ?? [];
    if (owners.length === 0 || meta.deletionTimestamp) return;
    const alive = await Promise.all(owners.map((o) => this.ownerExists(o, meta.namespace ?? '')));
    if (alive.some(Boolean)) {
      // An owner being deleted in the foreground asks its dependents to go first.
      const foreground = owners.some((o) => this.byUid.get(o.uid)?.object.metadata.finalizers?.includes('foregroundDeletion'));
      if (!foreground) return;
    }
    await this.deleteObject(node, alive.some(Boolean) ? 'Foreground' : 'Background');
  }

  private async ownerExists(owner: OwnerReference, namespace: string): Promise<boolean> {
    const known = this.byUid.get(owner.uid);
    if (known) return true;
    const { group } = parseApiVersion(owner.apiVersion);
    const def = this.registry.byKind(group, owner.kind);
    if (!def) return true; // an owner kind we cannot see is never collected on a guess
    try {
      const live = await this.client.get({ group, resource: def.plural }, def.namespaced ? namespace : '', owner.name);
      return live.metadata.uid === owner.uid;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return false;
      throw error;
    }
  }

  private async deleteObject(node: Node, propagationPolicy: 'Background' | 'Foreground'): Promise<void> {
    const meta = node.object.metadata;
    try {
      await this.client.delete(node.ref, meta.namespace ?? '', meta.name ?? '', { propagationPolicy, preconditions: { uid: meta.uid } });
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) throw error;
    }
  }

  private async orphanDependents(owner: Node): Promise<void> {
    const ownerUid = owner.object.metadata.uid!;
    for (const depUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dep = this.byUid.get(depUid);
      if (!dep) continue;
      const refs = (dep.object.metadata.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
      const patch = { metadata: { ownerReferences: refs.length > 0 ? refs : null, uid: dep.object.metadata.uid } };
      try {
        await this.client.patch(dep.ref, dep.object.metadata.namespace ?? '', dep.object.metadata.name ?? '', 'merge', patch);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    await this.removeFinalizer(owner, 'orphan');
  }

  private async deleteForeground(owner: Node): Promise<void> {
    const ownerUid = owner.object.metadata.uid!;
    const deps = [...(this.dependents.get(ownerUid) ?? [])].map((u) => this.byUid.get(u)).filter((d): d is Node => !!d);
    if (deps.length > 0) {
      for (const dep of deps) if (!dep.object.metadata.deletionTimestamp) await this.deleteObject(dep, 'Foreground');
      return; // dependents' deletion events re-queue the owner
    }
    await this.removeFinalizer(owner, 'foregroundDeletion');
  }

  private async removeFinalizer(node: Node, finalizer: string): Promise<void> {
    const meta = node.object.metadata;
    const finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.client.patch(node.ref, meta.namespace ?? '', meta.name ?? '', 'merge', {
        metadata: { finalizers: finalizers.length > 0 ? finalizers : null, resourceVersion: meta.resourceVersion },
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 409) {
        this.queue.addAfter(meta.uid ?? '', 50);
        return;
      }
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }
}

/** The same owner references (what the collector decides on), in the same order. */
function sameOwners(a: OwnerReference[] | undefined, b: OwnerReference[] | undefined): boolean {
  if (a === b) return true;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((x, i) => {
    const y = (b ?? [])[i];
    return x.uid === y.uid && x.name === y.name && x.kind === y.kind && x.apiVersion === y.apiVersion && x.controller === y.controller && x.blockOwnerDeletion === y.blockOwnerDeletion;
  });
}
