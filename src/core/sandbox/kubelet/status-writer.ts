// Coalesced pod status writes: one pods/status patch per burst of changes, none when nothing
// changed, in order. Conditions keep their lastTransitionTime from what was last written, not from
// a possibly stale informer copy.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.js';
import { computePodStatus, type PodView } from './pod-status.js';

export class StatusWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private lastWritten = '';
  private lastStatus: PodStatus | undefined;
  private lastTexts: Map<string, string> | undefined;
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
    queueMicrotask(() => {
      this.queued = false;
      this.chain = this.chain.then(() => this.flushNow()).catch((error: unknown) => this.onError(error));
    });
  }

  /** Resolves once every requested write is done. */
  async flushed(): Promise<void> {
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await this.chain;
  }

  private async flushNow(): Promise<void> {
    if (this.stopped) return;
    const { pod, view } = this.current();
    const base: Pod = this.lastStatus ? { ...pod, status: { ...pod.status, conditions: this.lastStatus.conditions } } : pod;
    const status = computePodStatus(base, view, this.clock.now());
    // Each field's JSON once: the whole text tells whether anything changed, the parts what did.
    const texts = new Map(Object.entries(status).map(([name, value]) => [name, JSON.stringify(value)]));
    const key = [...texts].join('\u0000');
    if (key === this.lastWritten) return;
    const previous = this.lastTexts;
    this.lastStatus = status;
    this.lastWritten = key;
    this.lastTexts = texts;
    const changed = changedFields(status, texts, previous, pod.status);
    // A field dropped from the status (merge patches never remove one, as before): nothing to send.
    if (Object.keys(changed).length > 0) await this.write(pod, changed);
  }
}

/**
 * The fields of `status` that differ from what was last written or from the pod as last seen (as
 * the kubelet patches only what changed): merged into the live status they give what the whole
 * status would, as lists and scalars are replaced. Comparing JSON texts errs towards sending more.
 */
function changedFields(status: PodStatus, texts: Map<string, string>, written: Map<string, string> | undefined, seen: PodStatus | undefined): PodStatus {
  const out: Record<string, unknown> = {};
  const next = status as Record<string, unknown>;
  const live = (seen ?? {}) as Record<string, unknown>;
  for (const [name, text] of texts) {
    if (!written || text !== written.get(name) || text !== JSON.stringify(live[name])) out[name] = next[name];
  }
  return out as PodStatus;
}
