import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { computePodStatus, podPhase, type ContainerRecord, type PodView } from './pod-status.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');

function record(name: string, state: ContainerRecord['state'], extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return { name, init: false, image: 'docker.io/library/nginx:latest', imageID: '', state, restartCount: 0, ready: false, started: false, volumeMounts: [], ...extra };
}

function view(containers: ContainerRecord[], initContainers: ContainerRecord[] = []): PodView {
  return { sandboxReady: true, hostIP: '172.18.0.3', podIP: '10.244.1.2', startTime: T0, containers, initContainers };
}

const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always'): Pod => ({ metadata: { name: 'p' }, spec: { restartPolicy, containers: [] }, status: { phase: 'Pending', qosClass: 'BestEffort' } });

describe('pod phase (kubelet getPhase)', () => {
  const running = { kind: 'running' as const, startedAt: T0 };
  const exited = (exitCode: number) => ({ kind: 'terminated' as const, exitCode, reason: exitCode ? 'Error' : 'Completed', finishedAt: T1 });
  it.each([
    ['waiting first time', 'Always', [record('a', { kind: 'waiting', reason: 'ContainerCreating' })], 'Pending'],
    ['one running', 'Always', [record('a', running)], 'Running'],
    ['crash looping', 'Always', [record('a', { kind: 'waiting', reason: 'CrashLoopBackOff' }, { lastState: exited(1) })], 'Running'],
    ['all exited 0, Never', 'Never', [record('a', exited(0))], 'Succeeded'],
    ['one failed, Never', 'Never', [record('a', exited(0)), record('b', exited(1))], 'Failed'],
    ['failed, OnFailure restarts', 'OnFailure', [record('a', exited(1))], 'Running'],
    ['all exited 0, OnFailure', 'OnFailure', [record('a', exited(0))], 'Succeeded'],
    ['running and exited, Never', 'Never', [record('a', running), record('b', exited(1))], 'Running'],
  ] as const)('%s', (_name, policy, containers, phase) => {
    expect(podPhase(pod(policy), view([...containers]))).toBe(phase);
  });

  it('init containers pending keep the pod Pending; a failed one under Never fails it', () => {
    const init = record('i', { kind: 'terminated', exitCode: 1, reason: 'Error', finishedAt: T1 }, { init: true });
    expect(podPhase(pod('Always'), view([record('a', { kind: 'waiting', reason: 'PodInitializing' })], [init]))).toBe('Pending');
    expect(podPhase(pod('Never'), view([record('a', { kind: 'waiting', reason: 'PodInitializing' })], [init]))).toBe('Failed');
  });
});

describe('pod status (golden)', () => {
  it('a running ready pod', () => {
    const status = computePodStatus(pod(), view([record('nginx', { kind: 'running', startedAt: T0 }, { ready: true, started: true, containerID: 'containerd://abc', imageID: 'docker.io/library/nginx@sha256:1' })]), T1);
    expect(status).toEqual({
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' },
      ],
      hostIP: '172.18.0.3',
      hostIPs: [{ ip: '172.18.0.3' }],
      podIP: '10.244.1.2',
      podIPs: [{ ip: '10.244.1.2' }],
      startTime: '2026-01-01T00:00:00Z',
      containerStatuses: [
        {
          containerID: 'containerd://abc',
          image: 'docker.io/library/nginx:latest',
          imageID: 'docker.io/library/nginx@sha256:1',
          lastState: {},
          name: 'nginx',
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        },
      ],
      qosClass: 'BestEffort',
    });
  });

  it('keeps lastTransitionTime while a condition holds, and conditions other writers own', () => {
    const previous: Pod = {
      ...pod(),
      status: {
        conditions: [
          { type: 'Ready', status: 'False', lastTransitionTime: '2025-12-31T00:00:00Z' },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-30T00:00:00Z' },
          { type: 'example.com/gate', status: 'True', lastTransitionTime: '2025-12-29T00:00:00Z' },
        ],
      },
    };
    const status = computePodStatus(previous, view([record('a', { kind: 'waiting', reason: 'ContainerCreating' })]), T1);
    const byType = new Map(status.conditions!.map((c) => [c.type, c]));
    expect(byType.get('Ready')).toMatchObject({ status: 'False', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' });
    expect(byType.get('PodScheduled')?.lastTransitionTime).toBe('2025-12-30T00:00:00Z');
    expect(byType.get('example.com/gate')?.status).toBe('True');
  });

  it('a terminated container with lastState, signal and message', () => {
    const status = computePodStatus(
      pod('Always'),
      view([
        record(
          'app',
          { kind: 'waiting', reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=p_default(u)' },
          { restartCount: 2, lastState: { kind: 'terminated', exitCode: 137, reason: 'OOMKilled', signal: 9, startedAt: T0, finishedAt: T1, containerID: 'containerd://x' } },
        ),
      ]),
      T1,
    );
    expect(status.containerStatuses![0].lastState).toEqual({
      terminated: { containerID: 'containerd://x', exitCode: 137, finishedAt: '2026-01-01T00:01:00Z', reason: 'OOMKilled', signal: 9, startedAt: '2026-01-01T00:00:00Z' },
    });
    expect(status.containerStatuses![0].state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=p_default(u)' } });
  });
});
