// A sandbox in this process with the streaming handlers bound to test doubles, and the real
// kubectl 1.32 pointed at it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeObject } from '../../../../shared/kube.js';
import { realClock } from '../../../clock/clock.js';
import { Sandbox } from '../../sandbox.js';
import { metricsConnectHandlers, streamingConnectHandlers } from './index.js';
import { PODS } from './pods.js';
import { FakeMetrics, FakePodBackend, ScriptedContainer } from './test-doubles.js';
import { run, type CommandResult } from '../../../../../test/integration/harness.js';

/** The sandbox's only node with --nodes 1. */
export const NODE = 'kubedesk-control-plane';

export const KUBECTL = resolve(import.meta.dirname, '..', '..', '..', '..', '..', '.tools', 'bin', 'kubectl');

export interface TestSandbox {
  sandbox: Sandbox;
  backend: FakePodBackend;
  metrics: FakeMetrics;
  dataDir: string;
  kubectlArgs: string[];
  stop(): Promise<void>;
}

export async function startTestSandbox(): Promise<TestSandbox> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubedesk-streaming-'));
  // The test plays the kubelet: no simulated kubelet may race it on the pods it reports.
  const sandbox = await Sandbox.start({ dataDir, port: 0, nodes: 1, simulateCluster: false });
  const backend = new FakePodBackend();
  const metrics = new FakeMetrics();
  const { client, httpDeps } = sandbox.controlPlane;
  for (const [key, handler] of streamingConnectHandlers(backend, client, realClock)) httpDeps.connect.set(key, handler);
  for (const [key, handler] of metricsConnectHandlers(metrics, client)) httpDeps.connect.set(key, handler);
  return {
    sandbox,
    backend,
    metrics,
    dataDir,
    kubectlArgs: ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', join(dataDir, 'kubectl-cache')],
    stop: async () => {
      await sandbox.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pod the way a kubelet would have reported it: bound to node-1, Running, with its containers. */
export async function runningPod(
  t: TestSandbox,
  name: string,
  containers: ScriptedContainer[],
  labels: Record<string, string> = {},
  namespace = 'default',
  state: object = { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } },
): Promise<KubeObject> {
  const { client } = t.sandbox.controlPlane;
  const pod = await client.create(PODS, namespace, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: NODE, containers: containers.map((c) => ({ name: c.config.name, image: 'scripted', ports: c.listeningPorts().map((p) => ({ containerPort: p })) })) },
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const updated = await client.update(PODS, namespace, {
    ...pod,
    status: {
      phase: 'Running',
      podIP: '10.244.0.5',
      startTime: now,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: containers.map((c) => ({ name: c.config.name, image: 'scripted', imageID: '', ready: true, started: true, restartCount: 0, state })),
    },
  }, { subresource: 'status' });
  for (const c of containers) t.backend.add(namespace, name, c);
  return updated;
}

export type Result = CommandResult;

export interface RunOptions {
  stdin?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export function kubectl(t: TestSandbox, args: string[], options: RunOptions = {}): Promise<Result> {
  return runCommand(KUBECTL, [...t.kubectlArgs, ...args], options);
}

/** The integration harness's runner, with the shorter deadline these in-process tests use. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<Result> {
  return run(command, args, { ...options, timeoutMs: options.timeoutMs ?? 15_000 });
}

/** A long-running kubectl (port-forward, logs -f, proxy): its output so far, and a way to stop it. */
export function startKubectl(t: TestSandbox, args: string[], env: Record<string, string> = {}) {
  const child = spawn(KUBECTL, [...t.kubectlArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    /** Resolves once stdout matches. */
    waitFor: async (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(stdout);
        if (m) return m;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`kubectl ${args.join(' ')}: no ${pattern} in output\nstdout: ${stdout}\nstderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** A free TCP port on 127.0.0.1 (for kubectl port-forward and proxy). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePromise(port));
    });
  });
}
