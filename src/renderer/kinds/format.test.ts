import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube.js';
import { humanDuration, podReady, podRestarts, podStatus } from './format.js';

const s = 1000;
const pod = (status: unknown, extra: Partial<KubeObject['metadata']> = {}, initContainers?: unknown[]): KubeObject => ({
  metadata: { name: 'p', ...extra },
  spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers },
  status,
});

describe('kubectl columns', () => {
  it('prints ages as kubectl does', () => {
    expect(humanDuration(45 * s)).toBe('45s');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(192 * s)).toBe('3m12s');
    expect(humanDuration(600 * s)).toBe('10m');
    expect(humanDuration((5 * 3600 + 20 * 60) * s)).toBe('5h20m');
    expect(humanDuration(30 * 3600 * s)).toBe('30h');
    expect(humanDuration((3 * 24 + 4) * 3600 * s)).toBe('3d4h');
    expect(humanDuration(400 * 24 * 3600 * s)).toBe('400d');
    expect(humanDuration(-5 * s)).toBe('<invalid>');
  });

  it('computes STATUS like printPod', () => {
    expect(podStatus(pod({ phase: 'Pending' }))).toBe('Pending');
    expect(podStatus(pod({ phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }, { state: { waiting: { reason: 'CrashLoopBackOff' } } }] }))).toBe('CrashLoopBackOff');
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } } }] }, {}, [{}, {}]))).toBe('Init:0/2');
    expect(podStatus(pod({ phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 137, reason: '' } } }] }))).toBe('ExitCode:137');
    expect(podStatus(pod({ phase: 'Running' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }))).toBe('Terminating');
  });

  it('computes READY and RESTARTS', () => {
    const now = Date.parse('2024-01-01T00:10:00Z');
    const p = pod({ containerStatuses: [{ ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: '2024-01-01T00:05:00Z' } } }, { ready: false, restartCount: 1, state: { running: {} } }] });
    expect(podReady(p)).toBe('1/2');
    expect(podRestarts(p, now)).toBe('3 (5m ago)');
    expect(podRestarts(pod({}), now)).toBe('0');
  });
});
