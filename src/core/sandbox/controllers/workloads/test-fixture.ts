// Test fixture: the real in-process control plane (store, API server, admission, bootstrap) over an
// EmbeddedKV in a temp directory, with a FakeClock, and the workload controllers as its clients.
// Kubelets are simulated by patching pod status through the status subresource, as a kubelet would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../../shared/kube.js';
import { FakeClock } from '../../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { ensurePki, type Pki } from '../../apiserver/auth/pki.js';
import { EmbeddedKV } from '../../store/memory-kv.js';
import { buildControlPlane, type ControlPlane } from '../../wiring/control-plane.js';
import { startWorkloadControllers, type WorkloadControllers } from './index.js';
import { PODS, ignoreNotFound, kubeTime } from './common.js';

export interface Fixture {
  client: ApiClient;
  clock: FakeClock;
  plane: ControlPlane;
  controllers: WorkloadControllers;
  errors: unknown[];
  /** Waits until every controller queue is drained and the informers caught up (a few rounds). */
  settle(): Promise<void>;
  /** Advances the fake clock, then settles. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

let sharedPki: Promise<Pki> | undefined;

export async function startFixture(options: { nodes?: number; start?: number } = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-workloads-'));
  sharedPki ??= mkdtemp(join(tmpdir(), 'kubedesk-pki-')).then((d) => ensurePki(d));
  const pki = await sharedPki;
  const kv = await EmbeddedKV.open(join(dir, 'store'), { fsync: false });
  const clock = new FakeClock(options.start ?? Date.UTC(2026, 0, 1));
  // API server and part-1 controllers only: these tests play the kubelet themselves, and the
  // controllers under test are the only workload controllers running.
  const input = { kv, pki, clock, log: () => undefined, serverUrl: () => 'https://127.0.0.1:6443', nodes: options.nodes ?? 3, simulateCluster: false };
  const plane = await buildControlPlane(input);
  await plane.start();
  const errors: unknown[] = [];
  const controllers = startWorkloadControllers({ client: plane.client, clock, onError: (e) => errors.push(e) });
  await controllers.synced;
  const settle = async () => {
    // Writes reach the informers asynchronously: drain, let watch events land, drain again until quiet.
    for (let quiet = 0; quiet < 3; ) {
      const before = controllers.activity();
      await controllers.idle();
      // Watch events arrive asynchronously; under load (tests run in parallel on 2 cores) they take a while.
      await new Promise((r) => setTimeout(r, 75));
      await controllers.idle();
      quiet = controllers.activity() === before ? quiet + 1 : 0;
    }
  };
  return {
    client: plane.client,
    clock,
    plane,
    controllers,
    errors,
    settle,
    async advance(ms) {
      clock.advance(ms);
      await settle();
    },
    async close() {
      controllers.dispose();
      plane.stop();
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What a kubelet reports once a pod's containers run and pass readiness. Undefined when the pod is
 * gone meanwhile (a controller deleted it): a kubelet would have nothing to report either.
 */
export async function markPodReady(client: ApiClient, pod: KubeObject, at: Date, ready = true): Promise<KubeObject | undefined> {
  const now = kubeTime(at);
  const spec = (pod.spec ?? {}) as { containers?: { name: string; image?: string }[] };
  const current = await ignoreNotFound(() => client.get(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
  if (!current) return undefined;
  return ignoreNotFound(() => client.update(
    PODS,
    pod.metadata.namespace ?? '',
    {
      ...current,
      status: {
        phase: 'Running',
        podIP: '10.244.0.10',
        startTime: now,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          { type: 'Initialized', status: 'True', lastTransitionTime: now },
          { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
          { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
        ],
        containerStatuses: (spec.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
        })),
      },
    },
    { subresource: 'status' },
  ));
}

/** A pod's containers exited: phase Succeeded (exit 0) or Failed. */
export async function markPodFinished(client: ApiClient, pod: KubeObject, at: Date, succeeded: boolean): Promise<KubeObject> {
  const now = kubeTime(at);
  const current = await client.get(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  const spec = (current.spec ?? {}) as { containers?: { name: string; image?: string }[] };
  return client.update(
    PODS,
    pod.metadata.namespace ?? '',
    {
      ...current,
      status: {
        phase: succeeded ? 'Succeeded' : 'Failed',
        startTime: now,
        conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now }],
        containerStatuses: (spec.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: succeeded ? 0 : 1, reason: succeeded ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
        })),
      },
    },
    { subresource: 'status' },
  );
}

export async function listOf(client: ApiClient, ref: ResourceRef, namespace = 'default', labelSelector?: string): Promise<KubeObject[]> {
  return (await client.list(ref, namespace, labelSelector ? { labelSelector } : {})).items;
}

export async function eventsOf(client: ApiClient, name: string, namespace = 'default'): Promise<{ reason: string; message: string; count: number; type: string; source: { component?: string } }[]> {
  const items = await listOf(client, { group: '', resource: 'events' }, namespace);
  return items
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => ({ reason: String(e.reason), message: String(e.message), count: Number(e.count), type: String(e.type), source: e.source as { component?: string } }));
}
