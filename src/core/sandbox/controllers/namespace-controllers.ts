// Per-namespace housekeeping, as kube-controller-manager does it: every Active namespace gets its
// "default" ServiceAccount and the kube-root-ca.crt ConfigMap; a Terminating namespace has its
// content deleted (its deletion conditions saying what remains), then its "kubernetes" finalizer removed.
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { Informer } from './informer.js';
import { WorkQueue } from './work-queue.js';

export interface NamespaceControllerDeps {
  client: ApiClient;
  namespaces: Informer;
  serviceAccounts: Informer;
  configMaps: Informer;
  registry: ResourceRegistry;
  clock: Clock;
  caCertPem: string;
  onError?: (error: unknown) => void;
}

const NS: ResourceRef = { group: '', resource: 'namespaces' };
const SA: ResourceRef = { group: '', resource: 'serviceaccounts' };
const CM: ResourceRef = { group: '', resource: 'configmaps' };

export class NamespaceControllers {
  private readonly queue: WorkQueue;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: NamespaceControllerDeps) {
    this.queue = new WorkQueue((key) => this.sync(key), deps.clock, (_k, e) => deps.onError?.(e));
    const enqueueNs = (obj: KubeObject) => this.queue.add(obj.metadata.namespace || obj.metadata.name || '');
    for (const informer of [deps.namespaces]) {
      const d = informer.onDidChange((e) => this.queue.add(e.object.metadata.name ?? ''));
      this.disposers.push(() => d.dispose());
    }
    for (const informer of [deps.serviceAccounts, deps.configMaps]) {
      const d = informer.onDidChange((e) => e.type === 'DELETED' && enqueueNs(e.object));
      this.disposers.push(() => d.dispose());
    }
    for (const ns of deps.namespaces.list()) this.queue.add(ns.metadata.name ?? '');
  }

  dispose(): void {
    this.queue.stop();
    for (const d of this.disposers) d();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async sync(name: string): Promise<void> {
    const ns = this.deps.namespaces.get('', name);
    if (!ns) return;
    if (ns.metadata.deletionTimestamp) return this.finalize(ns);
    await this.ensure(SA, name, this.deps.serviceAccounts, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
    await this.ensure(CM, name, this.deps.configMaps, 'kube-root-ca.crt', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': this.deps.caCertPem },
    });
  }

  private async ensure(ref: ResourceRef, namespace: string, informer: Informer, name: string, obj: KubeObject): Promise<void> {
    if (informer.get(namespace, name)) return;
    try {
      await this.deps.client.create(ref, namespace, obj);
    } catch (error) {
      // 409: it exists already; 403/404: the namespace went away or is terminating meanwhile.
      if (error instanceof ApiError && [403, 404, 409].includes(error.code)) return;
      throw error;
    }
  }

  /** Deletes every namespaced object in the namespace, then lets the namespace go. */
  private async finalize(ns: KubeObject): Promise<void> {
    const name = ns.metadata.name ?? '';
    const { client, registry } = this.deps;
    let remaining = 0;
    for (const def of registry.all()) {
      if (!def.namespaced || !def.verbs.includes('list') || !def.verbs.includes('delete')) continue;
      const ref = { group: def.group, resource: def.plural };
      const list = await client.list(ref, name);
      for (const item of list.items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await client.delete(ref, name, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 404)) throw error;
        }
      }
    }
    if (remaining > 0) {
      // Some objects wait for graceful deletion or finalizers: say so in the namespace's conditions
      // (kubectl describe ns shows them) and look again shortly.
      const after = await this.remainingContent(name);
      if (after.count > 0) {
        await this.reportDeletionProgress(name, after);
        this.queue.addAfter(name, 1000);
        return;
      }
    }
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if ((spec.finalizers ?? []).includes('kubernetes')) {
      await client.update(NS, '', { ...ns, spec: { ...spec, finalizers: spec.finalizers!.filter((f) => f !== 'kubernetes') } }, { subresource: 'finalize' });
    }
  }

  private async remainingContent(namespace: string): Promise<RemainingContent> {
    const out: RemainingContent = { count: 0, byResource: new Map(), byFinalizer: new Map() };
    for (const def of this.deps.registry.all()) {
      if (!def.namespaced || !def.verbs.includes('list')) continue;
      const items = (await this.deps.client.list({ group: def.group, resource: def.plural }, namespace)).items;
      if (items.length === 0) continue;
      out.count += items.length;
      out.byResource.set(`${def.plural}.${def.group}`, items.length);
      for (const item of items) for (const f of item.metadata.finalizers ?? []) out.byFinalizer.set(f, (out.byFinalizer.get(f) ?? 0) + 1);
    }
    return out;
  }

  /** The five deletion conditions kube-controller-manager's namespace deleter keeps up to date. */
  private async reportDeletionProgress(name: string, remaining: RemainingContent): Promise<void> {
    const { client, clock } = this.deps;
    const ns = await client.get(NS, '', name);
    const status = (ns.status ?? {}) as { phase?: string; conditions?: NamespaceCondition[] };
    const list = (m: Map<string, number>, what: string) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${what} ${n} resource instances`).join(', ');
    const wanted: Omit<NamespaceCondition, 'lastTransitionTime'>[] = [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(remaining.byResource, 'has')}` },
      remaining.byFinalizer.size > 0
        ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(remaining.byFinalizer, 'in')}` }
        : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ];
    const old = status.conditions ?? [];
    const now = clock.now().toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = wanted.map((c) => {
      const previous = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: previous && previous.status === c.status ? previous.lastTransitionTime : now };
    });
    if (JSON.stringify(conditions) === JSON.stringify(old)) return;
    try {
      await client.update(NS, '', { ...ns, status: { ...status, conditions } }, { subresource: 'status' });
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) throw error;
    }
  }
}

interface RemainingContent {
  count: number;
  /** "configmaps." (resource.group) → instances, as the namespace deleter names them. */
  byResource: Map<string, number>;
  byFinalizer: Map<string, number>;
}

interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
}
