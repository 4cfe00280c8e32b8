// Events as the kubelet records them (source component "kubelet", host = node): a repeated event
// (same object, reason, message) bumps count and lastTimestamp, as client-go's correlator does, so
// `kubectl describe` shows "x5 over 2m" for a crash loop instead of a wall of identical lines.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import { rfc3339 } from '../registry/store/object-util.js';

const EVENTS = { group: '', resource: 'events' };

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** e.g. "spec.containers{nginx}" */
  fieldPath?: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number; namespace: string }>();
  private chain: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly nodeName: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queued in order; never throws (an event that cannot be written is logged, not fatal). */
  pod(pod: Pod, event: RecordedEvent): void {
    const meta = pod.metadata ?? {};
    const namespace = meta.namespace ?? 'default';
    const key = [meta.uid, event.fieldPath ?? '', event.type, event.reason, event.message].join('\u0000');
    const at = this.clock.now();
    const now = rfc3339(at);
    const involvedObject = {
      kind: 'Pod',
      namespace,
      name: meta.name,
      uid: meta.uid,
      apiVersion: 'v1',
      resourceVersion: meta.resourceVersion,
      ...(event.fieldPath ? { fieldPath: event.fieldPath } : {}),
    };
    this.chain = this.chain
      .then(async () => {
        const previous = this.seen.get(key);
        if (previous) {
          previous.count++;
          await this.client.patch(EVENTS, namespace, previous.name, 'merge', { count: previous.count, lastTimestamp: now }, { fieldManager: 'kubelet' });
          return;
        }
        // client-go names events <object>.<unix nanos in hex>: names sort in recording order, and
        // kubectl describe lists same-second events in that order (Pulling before Pulled...).
        const subMs = (this.sequence++ % 1000) * 1000 + Math.floor(Math.random() * 1000);
        const name = `${meta.name}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(subMs)).toString(16)}`;
        const obj: KubeObject = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject,
          reason: event.reason,
          message: event.message,
          source: { component: 'kubelet', host: this.nodeName },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type: event.type,
          eventTime: null,
          reportingComponent: 'kubelet',
          reportingInstance: this.nodeName,
        };
        await this.client.create(EVENTS, namespace, obj, { fieldManager: 'kubelet' });
        this.seen.set(key, { name, count: 1, namespace });
      })
      .catch((error: unknown) => this.onError(error));
  }

  /** Forget a pod's events (it is gone; its events expire with the API's event TTL). */
  forget(uid: string): void {
    for (const key of this.seen.keys()) if (key.startsWith(`${uid}\u0000`)) this.seen.delete(key);
  }

  /** Resolves when every queued event is written (tests, orderly shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }
}
