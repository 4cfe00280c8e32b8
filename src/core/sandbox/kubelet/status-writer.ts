// Coalesced pod status writes: one pods/status patch per burst of changes, none when nothing
// changed, in order. Conditions keep their lastTransitionTime from what was last written, not from
// a possibly stale informer copy.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.js';
import { computePodStatus, type PodView } from './pod-status.js';

export class StatusWriter {
  private chain: Promise<void> = Promise.resolve();
  private scheduled: Promise<void> = Promise.resolve();
  private queued = false;
  private lastStatus: PodStatus | undefined;
  private lastTexts: Map<string, string> | undefined;
  private liveTexts: { status: PodStatus | undefined; texts: Map<string, string | undefined> } | undefined;
  stopped = false;

  constructor(
    private readonly current: () => { pod: Pod; view: PodView },
    private readonly write: (pod: Pod, status: PodStatus) => Promise<void>,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    // Answered on the next turn of the event loop, so the changes of one turn (a container started,
    // then its start's bookkeeping) make one status; and requests made until the write starts
    // computing (while the previous one is in flight too) are answered by it, as it reads the state then.
    this.scheduled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.chain = this.chain
        .then(() => {
          this.queued = false;
          return this.flushNow();
        })
        .catch((error: unknown) => this.onError(error));
    });
  }

  /** Resolves once every requested write is done. */
  async flushed(): Promise<void> {
    await this.scheduled;
    await this.chain;
  }

  private async flushNow(): Promise<void> {
    if (this.stopped) return;
    const { pod, view } = this.current();
    const base: Pod = this.lastStatus ? { ...pod, status: { ...pod.status, conditions: this.lastStatus.conditions } } : pod;
    const status = computePodStatus(base, view, this.clock.now());
    // Each field's JSON once: equal texts field by field tell that nothing changed (most requests).
    const texts = new Map<string, string>();
    const previous = this.lastTexts;
    let same = previous !== undefined;
    for (const name in status) {
      const text = JSON.stringify((status as Record<string, unknown>)[name]);
      texts.set(name, text);
      if (same && previous?.get(name) !== text) same = false;
    }
    if (same && previous?.size === texts.size) return;
    this.lastStatus = status;
    this.lastTexts = texts;
    const changed = this.changedFields(status, texts, previous, pod.status);
    // A field dropped from the status (merge patches never remove one, as before): nothing to send.
    if (Object.keys(changed).length > 0) await this.write(pod, changed);
  }

  /**
   * The fields of `status` that differ from what was last written or from the pod as last seen (as
   * the kubelet patches only what changed): merged into the live status they give what the whole
   * status would, as lists and scalars are replaced. Comparing JSON texts errs towards sending more.
   */
  private changedFields(status: PodStatus, texts: Map<string, string>, written: Map<string, string> | undefined, seen: PodStatus | undefined): PodStatus {
    const out: Record<string, unknown> = {};
    const next = status as Record<string, unknown>;
    for (const [name, text] of texts) {
      if (!written || text !== written.get(name) || text !== this.liveText(seen, name)) out[name] = next[name];
    }
    return out as PodStatus;
  }

  /** A field of the pod's status as last seen, as JSON: the informer's objects are immutable, so kept per object. */
  private liveText(seen: PodStatus | undefined, name: string): string | undefined {
    if (!this.liveTexts || this.liveTexts.status !== seen) this.liveTexts = { status: seen, texts: new Map() };
    const texts = this.liveTexts.texts;
    if (!texts.has(name)) texts.set(name, JSON.stringify((seen as Record<string, unknown> | undefined)?.[name]));
    return texts.get(name);
  }
}
