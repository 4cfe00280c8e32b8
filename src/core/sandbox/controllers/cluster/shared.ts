// What the cluster controllers share: informers made once per resource, the work-queue controller
// skeleton (subscriptions, dispose, idle) and small readers over untyped objects.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import { Informer, type InformerEvent } from '../informer.js';
import { WorkQueue } from '../work-queue.js';

export type Obj = Record<string, unknown>;

/** What controllers need of controllers/events/recorder.ts's EventRecorder (tests may collect instead). */
export interface EventSink {
  /** `at`: when it happened, if earlier than now (the event's time and its name's order). */
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, at?: Date): void;
}

export function asObj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

export function asArray(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(asObj) : [];
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const REFS = {
  pods: { group: '', resource: 'pods' },
  nodes: { group: '', resource: 'nodes' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  endpointSlices: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  leases: { group: 'coordination.k8s.io', resource: 'leases' },
  pvcs: { group: '', resource: 'persistentvolumeclaims' },
  pvs: { group: '', resource: 'persistentvolumes' },
  storageClasses: { group: 'storage.k8s.io', resource: 'storageclasses' },
  quotas: { group: '', resource: 'resourcequotas' },
  pdbs: { group: 'policy', resource: 'poddisruptionbudgets' },
  hpas: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
} satisfies Record<string, ResourceRef>;

/** One informer per resource, shared by every controller, started together. */
export class InformerSet implements Disposable {
  private readonly informers = new Map<string, Informer>();
  private readonly started = new Map<Informer, Promise<void>>();

  constructor(
    private readonly client: ApiClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  get(ref: ResourceRef): Informer {
    const key = `${ref.group}/${ref.resource}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(this.client, ref, this.onError);
      this.informers.set(key, informer);
    }
    return informer;
  }

  /** Starts informers not started yet (several components may share one set); resolves when all synced. */
  async start(): Promise<void> {
    await Promise.all(
      [...this.informers.values()].map((i) => {
        let started = this.started.get(i);
        if (!started) {
          started = i.start();
          this.started.set(i, started);
        }
        return started;
      }),
    );
  }

  dispose(): void {
    for (const i of this.informers.values()) i.dispose();
  }
}

export interface ControllerDeps {
  client: ApiClient;
  clock: Clock;
  informers: InformerSet;
  events: EventSink;
  onError: (error: unknown) => void;
}

/** A controller keyed by namespace/name, as kube-controller-manager's: events enqueue, sync reconciles. */
export abstract class QueueController implements Disposable {
  protected readonly queue: WorkQueue;
  private readonly subscriptions: Disposable[] = [];

  constructor(protected readonly deps: ControllerDeps) {
    this.queue = new WorkQueue((key) => this.sync(key), deps.clock, (_key, error) => deps.onError(error));
  }

  protected abstract sync(key: string): Promise<void>;

  protected watch(ref: ResourceRef, handler: (event: InformerEvent) => void): Informer {
    const informer = this.deps.informers.get(ref);
    this.subscriptions.push(informer.onDidChange(handler));
    return informer;
  }

  /** Queue every existing object of `informer` (after the informers synced). */
  enqueueAll(informer: Informer): void {
    for (const obj of informer.list()) this.queue.add(key(obj));
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  dispose(): void {
    this.queue.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}

export function key(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

export function splitKey(k: string): [string, string] {
  const slash = k.indexOf('/');
  return slash < 0 ? ['', k] : [k.slice(0, slash), k.slice(slash + 1)];
}

/** Swallow the errors a controller expects when racing with users: gone (404) or changed (409). */
export async function tolerate<T>(fn: () => Promise<T>, codes: number[] = [404, 409]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError && codes.includes(error.code)) return undefined;
    throw error;
  }
}

export function podReady(pod: KubeObject): boolean {
  const conditions = asArray(asObj(pod.status).conditions);
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = asObj(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
