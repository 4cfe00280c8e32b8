// Test fixture: the real in-process control plane (EmbeddedKV in a temp dir, real PKI, real API,
// real TokenRequest) on a FakeClock, with kubelets over the test runtime. No API mocks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { FakeClock } from '../../clock/clock.js';
import { ensurePki } from '../apiserver/auth/pki.js';
import { ServiceAccountTokens } from '../apiserver/auth/tokens.js';
import type { ApiClient } from '../apiserver/client.js';
import { tokenRequestHandler } from '../apiserver/handlers/virtual.js';
import { SYSTEM_USER } from '../apiserver/services.js';
import { nodeNames } from '../bootstrap/nodes.js';
import { EmbeddedKV } from '../store/memory-kv.js';
import { buildControlPlane } from '../wiring/control-plane.js';
import { startKubelets, type KubeletFleet, type KubeletFleetDeps } from './fleet.js';
import { TestRuntime } from './test-runtime.js';

export const PODS = { group: '', resource: 'pods' };

export interface TestCluster {
  client: ApiClient;
  clock: FakeClock;
  /** The test double (unused by the kubelets when another runtime is given). */
  runtime: TestRuntime;
  fleet: KubeletFleet;
  errors: unknown[];
  /** Moves the fake clock in steps, letting API writes settle between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  pod(name: string, namespace?: string): Promise<Pod>;
  createPod(pod: Pod, node?: string): Promise<Pod>;
  events(podName: string, namespace?: string): Promise<Event[]>;
  close(): Promise<void>;
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 2));
}

export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 4000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export async function startTestCluster(options: { nodes?: number; runtime?: (clock: FakeClock) => KubeletFleetDeps['runtime'] } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kubelet-test-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const kv = await EmbeddedKV.open(join(dir, 'store'), { fsync: false });
  const pki = await ensurePki(join(dir, 'pki'));
  const errors: unknown[] = [];
  const log = () => undefined;
  const nodes = options.nodes ?? 2;
  // The control plane's own cluster components (scheduler, controllers, its kubelets) stay off: the
  // kubelets under test are the only ones, and pods are bound by the tests.
  const input = { kv, pki, clock, log, serverUrl: () => 'https://127.0.0.1:6443', nodes, simulateCluster: false };
  const cp = await buildControlPlane(input);
  await cp.start();
  const client = cp.client;
  const tokens = new ServiceAccountTokens({ privateKey: pki.saPrivateKey, publicKey: pki.saPublicKey, now: () => clock.now() });
  const tokenRequest = tokenRequestHandler(tokens, client);
  const runtime = new TestRuntime(clock);
  const fleet = await startKubelets({
    client,
    clock,
    runtime: options.runtime ? options.runtime(clock) : runtime,
    nodeNames: nodeNames(nodes),
    onError: (e) => errors.push(e),
    requestToken: async (namespace, sa, request) => {
      const { object } = await tokenRequest(SYSTEM_USER, { namespace } as Parameters<typeof tokenRequest>[1], sa, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: request }, false);
      return ((object as KubeObject).status as { token: string }).token;
    },
  });
  const cluster: TestCluster = {
    client,
    clock,
    runtime,
    fleet,
    errors,
    async advance(ms, stepMs = 1000) {
      await settle();
      for (let done = 0; done < ms; done += stepMs) {
        clock.advance(Math.min(stepMs, ms - done));
        await settle();
      }
    },
    async pod(name, namespace = 'default') {
      return (await client.get(PODS, namespace, name)) as unknown as Pod;
    },
    async createPod(pod, node = nodeNames(nodes)[nodes > 1 ? 1 : 0]) {
      const obj = { apiVersion: 'v1', kind: 'Pod', ...pod, spec: { nodeName: node, ...pod.spec } } as unknown as KubeObject;
      return (await client.create(PODS, pod.metadata?.namespace ?? 'default', obj)) as unknown as Pod;
    },
    async events(podName, namespace = 'default') {
      await Promise.all(fleet.nodes().map((k) => k.flushEvents()));
      const list = await client.list({ group: '', resource: 'events' }, namespace);
      return (list.items as unknown as Event[]).filter((e) => e.involvedObject.name === podName).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    },
    async close() {
      fleet.dispose();
      cp.stop();
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
