// Writes core/v1 Events as client-go's event recorder does: a repeat of the same event (object,
// type, reason, message, source) within 10 minutes bumps count and lastTimestamp on the existing
// Event instead of creating a new one. Unless told not to (the scheduler's events.k8s.io recorder),
// it also correlates as client-go's EventCorrelator: the 10th distinct message of one object's
// reason within 10 minutes becomes a single "(combined from similar events): ..." Event counted on,
// and a source may write 25 events about one object, then one per 5 minutes (a ReplicaSet creating
// 100 pods writes 25 events, as kube-controller-manager does, not 100). Fire-and-forget: recording
// never fails the caller.
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
/** client-go's defaultAggregateMaxEvents: distinct messages before they are combined. */
const AGGREGATE_MAX_EVENTS = 10;
/** client-go's defaultSpamBurst and defaultSpamQPS (one event per 5 minutes once the burst is spent). */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
const COMBINED_PREFIX = '(combined from similar events): ';

export type EventType = 'Normal' | 'Warning';

interface Remembered {
  name: string;
  namespace: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface EventRecorderOptions {
  /** Aggregate similar events and rate-limit each object's events, as client-go's legacy recorder (default true). */
  correlate?: boolean;
}

export class EventRecorder {
  private readonly seen = new Map<string, Remembered>();
  /** Per object and reason: the distinct messages seen, and when the last one was. */
  private readonly similar = new Map<string, { messages: Set<string>; last: number }>();
  /** Per object: the spam filter's token bucket. */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Repeats the spam filter dropped: client-go still counts them, so the next written repeat jumps. */
  private readonly dropped = new Map<string, number>();
  private readonly correlate: boolean;
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
    options: EventRecorderOptions = {},
  ) {
    this.correlate = options.correlate ?? true;
  }

  event(object: KubeObject, type: EventType, reason: string, message: string, when?: Date): void {
    // The time is the moment of the call (or the caller's), not of the (queued) write.
    const at = when ?? this.clock.now();
    let key = this.keyOf(object, type, reason, message);
    let combined = false;
    if (this.correlate) {
      // As EventCorrelate: aggregate, then count (the dropped repeats too), then filter.
      combined = this.aggregate(object, type, reason, message, at.getTime());
      if (combined) {
        message = COMBINED_PREFIX + message;
        key = this.keyOf(object, type, reason, COMBINED_PREFIX);
      }
      if (!this.takeToken(object, at.getTime())) {
        remember(this.dropped, key, (this.dropped.get(key) ?? 0) + 1);
        return;
      }
    }
    const text = message;
    // Repeats dropped since the last written one, counted by this write.
    const dropped = this.dropped.get(key) ?? 0;
    this.dropped.delete(key);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const done = previous
      .then(() => this.limited(() => this.write(object, type, reason, text, at, key, combined, dropped)))
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

  /**
   * EventAggregatorByReasonFunc: true once this object's reason has had 10 distinct messages, each
   * less than 10 minutes after the previous one (the event is then written as the combined one).
   */
  private aggregate(object: KubeObject, type: EventType, reason: string, message: string, now: number): boolean {
    const key = this.keyOf(object, type, reason, '');
    let record = this.similar.get(key);
    if (!record || now - record.last > AGGREGATION_WINDOW_MS) record = { messages: new Set(), last: now };
    record.messages.add(message);
    record.last = now;
    remember(this.similar, key, record);
    if (record.messages.size < AGGREGATE_MAX_EVENTS) return false;
    // The set stays at its maximum (Go's PopAny drops an arbitrary one).
    record.messages.delete(record.messages.values().next().value as string);
    return true;
  }

  /** EventSourceObjectSpamFilter: a token bucket per source and object, 25 deep, refilled every 5 minutes. */
  private takeToken(object: KubeObject, now: number): boolean {
    const key = [object.metadata.uid ?? object.metadata.name, object.kind, object.metadata.namespace ?? '', object.metadata.name ?? ''].join('\u0000');
    const bucket = this.buckets.get(key) ?? { tokens: SPAM_BURST, at: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, now - bucket.at) / SPAM_REFILL_MS);
    bucket.at = now;
    remember(this.buckets, key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
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

  private async write(object: KubeObject, type: EventType, reason: string, message: string, nowDate: Date, key: string, combined: boolean, dropped: number): Promise<void> {
    const namespace = object.metadata.namespace || 'default';
    const now = nowDate.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const previous = this.seen.get(key);
    if (previous && nowDate.getTime() - previous.lastSeen <= AGGREGATION_WINDOW_MS) {
      try {
        const count = previous.count + dropped + 1;
        // The combined event takes the latest message, as client-go's patch carries it.
        await this.client.patch(EVENTS, previous.namespace, previous.name, 'merge', combined ? { count, lastTimestamp: now, message } : { count, lastTimestamp: now });
        previous.count = count;
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

/** Sets `key` as the newest entry of a map kept to MAX_REMEMBERED entries (client-go's LRU caches). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
