// Golden rows: what `kubectl get pods -o wide` shows on a real cluster for these pod states.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { podPrinter } from './pods.js';

const now = new Date('2026-03-01T10:00:00Z');
const created = '2026-03-01T09:55:00Z';

function pod(name: string, spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', creationTimestamp: created, ...meta }, spec, status };
}

const one = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
const ready = [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }];

function row(p: KubeObject): unknown[] {
  return podPrinter.cells(p, now);
}

describe('pod printer', () => {
  it('has kube-apiserver columns', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ]);
    expect(podPrinter.columns[0].format).toBe('name');
  });

  it('prints a running pod with wide cells', () => {
    const p = pod('web-0', { ...one, nodeName: 'node-a' }, {
      phase: 'Running',
      conditions: ready,
      podIPs: [{ ip: '10.244.1.5' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: created } } }],
    });
    expect(row(p)).toEqual(['web-0', '1/1', 'Running', '0', '5m', '10.244.1.5', 'node-a', '<none>', '<none>']);
  });

  it('prints a pending, unscheduled pod', () => {
    expect(row(pod('p', one, { phase: 'Pending' }))).toEqual(['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('shows ContainerCreating while the image is pulled', () => {
    const p = pod('p', one, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(row(p).slice(1, 4)).toEqual(['0/1', 'ContainerCreating', '0']);
  });

  it('shows init progress, PodInitializing and init failures', () => {
    const spec = { initContainers: [{ name: 'init-a', image: 'busybox' }, { name: 'init-b', image: 'busybox' }], ...one };
    const waitingApp = [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }];
    const running = pod('p', spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'init-a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'init-b', ready: false, restartCount: 0, state: { running: {} } },
      ],
      containerStatuses: waitingApp,
    });
    expect(row(running)[2]).toBe('Init:1/2');
    const done = pod('p', spec, {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'init-a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'init-b', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
      containerStatuses: waitingApp,
    });
    expect(row(done)[2]).toBe('PodInitializing');
    const failed = pod('p', spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'init-a', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-03-01T09:59:00Z' } } },
      ],
      containerStatuses: waitingApp,
    });
    expect(row(failed).slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '3 (60s ago)']);
    const error = pod('p', spec, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'init-a', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }],
    });
    expect(row(error)[2]).toBe('Init:ExitCode:2');
  });

  it('shows CrashLoopBackOff with the last restart age', () => {
    const p = pod('crash', one, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-03-01T09:58:00Z' } },
        },
      ],
    });
    expect(row(p).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '5 (2m ago)']);
  });

  it('shows Completed and marks the row completed', () => {
    const p = pod('job-x', { ...one, restartPolicy: 'Never' }, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    expect(row(p).slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
    expect(podPrinter.rowConditions?.(p)).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(podPrinter.rowConditions?.(pod('r', one, { phase: 'Running' }))).toBeUndefined();
  });

  it('shows Terminating, and Unknown for pods on a lost node', () => {
    const status = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] };
    expect(row(pod('t', one, status, { deletionTimestamp: '2026-03-01T09:59:50Z' }))[2]).toBe('Terminating');
    expect(row(pod('t', one, { ...status, reason: 'NodeLost' }, { deletionTimestamp: '2026-03-01T09:59:50Z' }))[2]).toBe('Unknown');
    expect(row(pod('t', one, { phase: 'Succeeded' }, { deletionTimestamp: '2026-03-01T09:59:50Z' }))[2]).toBe('Succeeded');
  });

  it('counts started sidecars and a running main container as Running, not Completed', () => {
    const spec = {
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
      containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }],
    };
    const p = pod('side', spec, {
      phase: 'Running',
      conditions: ready,
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } }],
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', ready: true, restartCount: 0, state: { running: {} } },
      ],
    });
    expect(row(p).slice(1, 4)).toEqual(['2/3', 'Running', '1']);
  });

  it('prints readiness gates and SchedulingGated', () => {
    const p = pod('g', { ...one, readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] }, {
      phase: 'Pending',
      conditions: [{ type: 'a', status: 'True' }, { type: 'b', status: 'False' }, { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      nominatedNodeName: 'node-b',
    });
    const cells = row(p);
    expect(cells[2]).toBe('SchedulingGated');
    expect(cells.slice(7)).toEqual(['node-b', '1/2']);
  });
});
