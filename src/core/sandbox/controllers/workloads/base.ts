// The skeleton every workload controller shares: informers in, a deduplicating work queue keyed
// "namespace/name", and expectations so a controller does not act twice on a cache that has not yet
// seen its own writes (client-go's ControllerExpectations).
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../../apiserver/client.js';
import { ApiError } from '../../apiserver/errors.js';
import type { Informer, InformerEvent } from '../informer.js';
import { WorkQueue } from '../work-queue.js';
import { EventRecorder } from '../events/recorder.js';
import { keyOf } from './common.js';
import type { ChildIndex } from './ownership.js';

export interface WorkloadInformers {
  pods: Informer;
  nodes: Informer;
  replicaSets: Informer;
  deployments: Informer;
  statefulSets: Informer;
  daemonSets: Informer;
  controllerRevisions: Informer;
  persistentVolumeClaims: Informer;
  jobs: Informer;
  cronJobs: Informer;
}

export interface ControllerDeps {
  client: ApiClient;
  clock: Clock;
  informers: WorkloadInformers;
  /** Pods by controller uid, and orphans by namespace. */
  podIndex: ChildIndex;
  onError: (error: unknown) => void;
}

/** Expectations expire after 5 minutes, as upstream (a lost watch event must not wedge a controller). */
const EXPECTATION_TTL_MS = 5 * 60 * 1000;

export class Expectations {
  private readonly pending = new Map<string, { adds: number; deletes: Set<string>; at: number }>();

  constructor(private readonly clock: Clock) {}

  expect(key: string, adds: number, deleteUids: string[] = []): void {
    this.pending.set(key, { adds, deletes: new Set(deleteUids), at: this.clock.now().getTime() });
  }

  creationObserved(key: string): void {
    const e = this.pending.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, uid: string | undefined): void {
    if (uid) this.pending.get(key)?.deletes.delete(uid);
  }

  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || this.clock.now().getTime() - e.at > EXPECTATION_TTL_MS) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}

export abstract class QueueController implements Disposable {
  protected readonly queue: WorkQueue;
  protected readonly recorder: EventRecorder;
  private readonly subscriptions: Disposable[] = [];

  constructor(
    protected readonly deps: ControllerDeps,
    component: string,
    /** Keys synced at once, as kube-controller-manager's --concurrent-*-syncs. */
    workers = 1,
  ) {
    this.queue = new WorkQueue(
      (key) => this.sync(key),
      deps.clock,
      (key, error) => {
        // A write raced another (stale cache): the queue retries it; nothing worth reporting.
        if (error instanceof ApiError && error.code === 409) return;
        deps.onError(new Error(`${component}: syncing ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
      },
      workers,
    );
    this.recorder = new EventRecorder(deps.client, deps.clock, component, undefined, deps.onError);
  }

  protected abstract sync(key: string): Promise<void>;

  /** Enqueue every object the primary informer already holds. */
  protected abstract primary(): Informer;

  start(): void {
    for (const o of this.primary().list()) this.queue.add(keyOf(o));
  }

  protected listen(informer: Informer, handler: (event: InformerEvent) => void): void {
    this.subscriptions.push(informer.onDidChange(handler));
  }

  enqueue(o: KubeObject): void {
    this.queue.add(keyOf(o));
  }

  /** Resolves when the queue is drained and every event written (tests). */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.recorder.flush();
  }

  dispose(): void {
    this.queue.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
