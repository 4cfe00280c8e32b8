// A stand-in for controllers/events/recorder.ts (written in parallel by another engineer), with the
// same shape: `new EventRecorder(client, clock, component, host?)`, `event(object, type, reason,
// message)`. Writes core/v1 Events as client-go's recorder does, counting repeats of the same
// (object, type, reason, message) instead of creating a new Event each time.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';

const EVENTS = { group: '', resource: 'events' };

export interface EventSink {
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export class EventRecorder implements EventSink {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly component: string,
    private readonly host?: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.write(object, type, reason, message).catch((error: unknown) => this.onError(error));
  }

  private async write(object: KubeObject, type: string, reason: string, message: string): Promise<void> {
    const namespace = object.metadata.namespace || 'default';
    const now = this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const key = [object.metadata.uid, type, reason, message].join('\u0000');
    const previous = this.seen.get(key);
    if (previous) {
      previous.count++;
      try {
        await this.client.patch(EVENTS, previous.namespace, previous.name, 'merge', { count: previous.count, lastTimestamp: now });
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
        this.seen.delete(key);
      }
    }
    const name = `${object.metadata.name ?? ''}.${randomBytes(8).toString('hex').slice(0, 16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        uid: object.metadata.uid,
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
      if (this.seen.size > 5000) this.seen.clear();
      this.seen.set(key, { name, namespace, count: 1 });
    } catch (error) {
      // A namespace being deleted refuses new events; nothing to report then.
      if (error instanceof ApiError && (error.code === 403 || error.code === 404)) return;
      throw error;
    }
  }
}
