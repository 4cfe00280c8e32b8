// Test fixture: the real in-process control plane (store, API server, admission, bootstrap) over an
// EmbeddedKV in a temp directory, driven by a FakeClock. Controllers under test are clients of it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../../shared/kube.js';
import { FakeClock } from '../../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { ensurePki, type Pki } from '../../apiserver/auth/pki.js';
import { EmbeddedKV } from '../../store/memory-kv.js';
import { buildControlPlane, type ControlPlane } from '../../wiring/control-plane.js';

export interface TestControlPlane {
  client: ApiClient;
  clock: FakeClock;
  plane: ControlPlane;
  close(): Promise<void>;
}

let sharedPki: Promise<{ pki: Pki; dir: string }> | undefined;

/** One PKI per test file: generating keys is the slow part. */
function pkiOnce(): Promise<{ pki: Pki; dir: string }> {
  sharedPki ??= mkdtemp(join(tmpdir(), 'kubedesk-pki-')).then(async (dir) => ({ pki: await ensurePki(dir), dir }));
  return sharedPki;
}

export async function startTestControlPlane(nodes = 3, start = Date.UTC(2026, 0, 1)): Promise<TestControlPlane> {
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-cluster-'));
  const { pki } = await pkiOnce();
  const kv = await EmbeddedKV.open(join(dir, 'store'), { fsync: false });
  const clock = new FakeClock(start);
  // Part 1 only: the components under test are started by each test, not by the control plane.
  const plane = await buildControlPlane({ kv, pki, clock, log: () => undefined, serverUrl: () => 'https://127.0.0.1:6443', nodes, simulateCluster: false });
  await plane.start();
  return {
    client: plane.client,
    clock,
    plane,
    async close() {
      plane.stop();
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const PODS: ResourceRef = { group: '', resource: 'pods' };
export const NODES: ResourceRef = { group: '', resource: 'nodes' };
export const EVENTS: ResourceRef = { group: '', resource: 'events' };

/** Polls `probe` (real time: the API and informers are asynchronous) until it returns a value. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function pod(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

export async function eventsFor(client: ApiClient, namespace: string, name: string): Promise<KubeObject[]> {
  const list = await client.list(EVENTS, namespace);
  return list.items.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name);
}
