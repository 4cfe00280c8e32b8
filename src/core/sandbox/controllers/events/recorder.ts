// Writes core/v1 Events as client-go's event recorder does: a repeat of the same event (object,
// type, reason, message, source) within 10 minutes bumps count and lastTimestamp on the existing
// Event instead of creating a new one. Fire-and-forget: recording never fails the caller.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';

const EVENTS: ResourceRef = { group: '', resource: 'events' };
/** client-go's aggregation window (eventcorrelator: maxIntervalInSeconds = 600). */
const AGGREGATION_WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 4096;
/**
 * Writes in flight at once. Each write waits for the store's commit; one at a time, a rollout's
 * thousands of events (SuccessfulCreate, Scheduled) trailed the pods by minutes and held them in
 * memory meanwhile. Repeats of one event still go one after another, so counts stay in order.
 */
const MAX_IN_FLIGHT = 16;

export type EventType = 'Normal' | 'Warning';

interface Remembered {
  name: string;
  namespace: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Remembered>();
  /** The last queued write of each aggregation key (a repeat waits for it). */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private inFlight = 0;
  private sequence = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly component: string,
    private readonly host?: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  event(object: KubeObject, type: EventType, reason: string, message: string, when?: Date): void {
    // The time is the moment of the call (or the caller's), not of the (queued) write.
    const at = when ?? this.clock.now();
    const key = this.keyOf(object, type, reason, message);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const done = previous
      .then(() => this.limited(() => this.write(object, type, reason, message, at, key)))
      .catch((error: unknown) => this.onError(error));
    this.tails.set(key, done);
    this.pending.add(done);
    void done.finally(() => {
      this.pending.delete(done);
      if (this.tails.get(key) === done) this.tails.delete(key);
    });
  }

  /** Resolves once every event recorded so far is written (tests, orderly shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private keyOf(object: KubeObject, type: EventType, reason: string, message: string): string {
    return [object.metadata.uid ?? object.metadata.name, object.kind, type, reason, message, this.component, this.host ?? ''].join('\u0000');
  }

  /** Runs `fn` once fewer than MAX_IN_FLIGHT writes are under way, in the order of the calls. */
  private async limited(fn: () => Promise<void>): Promise<void> {
    // A finished write hands its slot to the oldest waiter, so no later call overtakes it.
    if (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  /**
   * client-go names events <object>.<unix nanos in hex>. Clocks here have millisecond precision, so
   * the sub-millisecond part is a sequence (names sort in recording order, as kubectl lists them)
   * then randomness (recorders sharing a fake clock differ; a clash is retried).
   */
  private eventName(object: KubeObject, at: Date): string {
    const subMs = (this.sequence++ % 1000) * 1000 + Math.floor(Math.random() * 1000);
    const nanos = BigInt(at.getTime()) * 1_000_000n + BigInt(subMs);
    return `${object.metadata.name ?? 'unknown'}.${nanos.toString(16)}`;
  }

  private async write(object: KubeObject, type: EventType, reason: string, message: string, nowDate: Date, key: string): Promise<void> {
    const namespace = object.metadata.namespace || 'default';
    const now = nowDate.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const previous = this.seen.get(key);
    if (previous && nowDate.getTime() - previous.lastSeen <= AGGREGATION_WINDOW_MS) {
      try {
        await this.client.patch(EVENTS, previous.namespace, previous.name, 'merge', { count: previous.count + 1, lastTimestamp: now });
        previous.count++;
        previous.lastSeen = nowDate.getTime();
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    this.seen.delete(key);
    const name = this.eventName(object, nowDate);
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: this.host ?? '',
    };
    try {
      await this.client.create(EVENTS, namespace, event);
    } catch (error) {
      // A terminating or deleted namespace refuses new events: nothing worth reporting.
      if (error instanceof ApiError && (error.code === 403 || error.code === 404)) return;
      if (!(error instanceof ApiError && error.code === 409)) throw error;
      // Another recorder took the name in the same instant (a fake clock): one more try.
      event.metadata.name = this.eventName(object, nowDate);
      await this.client.create(EVENTS, namespace, event);
    }
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { name: event.metadata.name ?? name, namespace, count: 1, firstSeen: nowDate.getTime(), lastSeen: nowDate.getTime() });
  }
}
