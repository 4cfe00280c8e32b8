// The ResourceQuota controller: status.hard mirrors spec.hard and status.used is recomputed (with the
// admission plugin's own accounting) whenever a quota changes, something it counts changes in its
// namespace, and every 5 minutes at the latest (the full resync).
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import { computeQuotaUsage } from '../../apiserver/admission/resource-quota.js';
import type { Informer } from '../informer.js';
import { QueueController, REFS, asObj, key, splitKey, tolerate, type ControllerDeps } from './shared.js';

const RESYNC_MS = 5 * 60_000;
const RECOUNT_DELAY_MS = 1000;

export class ResourceQuotaController extends QueueController {
  private readonly quotas: Informer;
  private timer: Disposable | undefined;
  private readonly pending = new Set<string>();
  private stopped = false;

  constructor(deps: ControllerDeps) {
    super(deps);
    this.quotas = this.watch(REFS.quotas, (e) => e.type !== 'DELETED' && this.queue.add(key(e.object)));
    for (const ref of [REFS.pods, REFS.services, REFS.pvcs]) this.watch(ref, (e) => this.namespaceChanged(e.object));
  }

  start(): void {
    this.enqueueAll(this.quotas);
    this.resync();
  }

  override dispose(): void {
    this.stopped = true;
    this.timer?.dispose();
    super.dispose();
  }

  private resync(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.enqueueAll(this.quotas);
      this.resync();
    }, RESYNC_MS);
  }

  /** Usage is recounted by listing the namespace: coalesce a burst of changes into one recount per second. */
  private namespaceChanged(obj: KubeObject): void {
    for (const q of this.quotas.list(obj.metadata.namespace ?? '')) {
      const k = key(q);
      if (this.pending.has(k)) continue;
      this.pending.add(k);
      this.deps.clock.setTimeout(() => {
        this.pending.delete(k);
        this.queue.add(k);
      }, RECOUNT_DELAY_MS);
    }
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const quota = this.quotas.get(ns, name);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const hard = { ...(asObj(asObj(quota.spec).hard) as Record<string, string>) };
    const used = await computeQuotaUsage(quota, this.deps.client, this.deps.clock.now());
    const status = asObj(quota.status);
    if (JSON.stringify(status.hard ?? {}) === JSON.stringify(sorted(hard)) && JSON.stringify(status.used ?? {}) === JSON.stringify(sorted(used))) return;
    const updated = await tolerate(() => this.deps.client.update(REFS.quotas, ns, { ...quota, status: { hard: sorted(hard), used: sorted(used) } }, { subresource: 'status' }));
    if (!updated) this.queue.addAfter(k, 100);
  }
}

function sorted(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k];
  return out;
}
