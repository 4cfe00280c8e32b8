// The simulated kubelets (src/core/sandbox/kubelet: KubeletFleet) seen as this folder's backends.
// Typed structurally so the API server does not depend on the kubelet package.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Container } from '../../runtime/types.js';
import type { LogEntry, MetricsBackend, PodStreamBackend } from './backend.js';

export interface FleetLike {
  logs: {
    read(namespace: string, pod: string, container: string, options?: { previous?: boolean; timestamps?: boolean }): string[] | undefined;
    follow(namespace: string, pod: string, container: string, options: { tailLines?: number; timestamps?: boolean }, follower: { onLine(line: string): void; onEnd(): void }): Disposable | undefined;
  };
  containerFor(namespace: string, pod: string, container?: string): Container | undefined;
  metrics: { nodeMetrics(): KubeObject[]; podMetrics(namespace: string, labelSelector?: string): KubeObject[] };
}

/** "2026-11-24T20:00:00.123000000Z text": the kubelet's --timestamps rendering, back to an entry. */
export function parseStampedLine(line: string): LogEntry {
  const space = line.indexOf(' ');
  const time = new Date(line.slice(0, space));
  return Number.isNaN(time.getTime()) || space < 0 ? { time: new Date(0), line } : { time, line: line.slice(space + 1) };
}

/**
 * The backends over a fleet, or over a getter when the kubelets start after the API server is
 * built (until then: no running container, no logs, no metrics).
 */
export function fleetBackends(source: FleetLike | (() => FleetLike | undefined)): { pods: PodStreamBackend; metrics: MetricsBackend } {
  const fleet = typeof source === 'function' ? source : () => source;
  return {
    pods: {
      container: (namespace, pod, container) => fleet()?.containerFor(namespace, pod, container),
      logs: {
        read: (namespace, pod, container, previous) => fleet()?.logs.read(namespace, pod, container, { previous, timestamps: true })?.map(parseStampedLine),
        // tailLines 0: the lines read() returned are not replayed, only what comes next.
        follow: (namespace, pod, container, onEntry, onEnd) =>
          fleet()?.logs.follow(namespace, pod, container, { tailLines: 0, timestamps: true }, { onLine: (line) => onEntry(parseStampedLine(line)), onEnd }),
      },
    },
    metrics: {
      nodeMetrics: () => fleet()?.metrics.nodeMetrics() ?? [],
      podMetrics: (namespace, labelSelector) => fleet()?.metrics.podMetrics(namespace, labelSelector) ?? [],
    },
  };
}
