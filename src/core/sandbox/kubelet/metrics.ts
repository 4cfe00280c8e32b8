// metrics.k8s.io/v1beta1 objects (PodMetrics, NodeMetrics) from the runtime's simulated usage, as
// metrics-server would serve them for `kubectl top` and the HorizontalPodAutoscaler.
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import { parseLabelSelector } from '../registry/selectors/label-selector.js';
import { rfc3339 } from '../registry/store/object-util.js';
import type { MetricsSource as AutoscalerMetricsSource } from '../controllers/cluster/metrics-source.js';
import type { Kubelet } from './kubelet.js';

export type { AutoscalerMetricsSource };

export interface MetricsSource {
  /** namespace "" for all namespaces; labelSelector in the API's string form. */
  podMetrics(namespace: string, labelSelector?: string): KubeObject[];
  nodeMetrics(): KubeObject[];
}

/** The node's own daemons (kubelet, containerd, system) use something even with no pods. */
const NODE_BASE = { cpuNanoCores: 45_000_000, memoryBytes: 600 * 1024 * 1024 };

export function cpuQuantity(nanoCores: number): string {
  return `${Math.round(nanoCores)}n`;
}

export function memoryQuantity(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}

export class KubeletMetrics implements MetricsSource {
  constructor(
    private readonly kubelets: () => Kubelet[],
    private readonly clock: Clock,
  ) {}

  podMetrics(namespace: string, labelSelector?: string): KubeObject[] {
    const selector = labelSelector ? parseLabelSelector(labelSelector) : undefined;
    const now = rfc3339(this.clock.now());
    const out: KubeObject[] = [];
    for (const kubelet of this.kubelets()) {
      if (!kubelet.isRunning) continue;
      for (const pod of kubelet.pods()) {
        if (namespace && pod.namespace !== namespace) continue;
        if (selector && !selector.matches(pod.labels)) continue;
        const containers = pod.worker.namedContainers();
        if (containers.length === 0) continue;
        out.push({
          apiVersion: 'metrics.k8s.io/v1beta1',
          kind: 'PodMetrics',
          metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels, creationTimestamp: now },
          timestamp: now,
          window: '15s',
          containers: containers.map((c) => {
            const u = c.container.usage();
            return { name: c.name, usage: { cpu: cpuQuantity(u.cpuNanoCores), memory: memoryQuantity(u.memoryBytes) } };
          }),
        });
      }
    }
    return out;
  }

  forAutoscaler(): AutoscalerMetricsSource {
    return {
      podMetrics: async (namespace, selector) =>
        this.podMetrics(namespace, selector).map((m) => ({
          name: m.metadata.name ?? '',
          timestamp: m.timestamp as string,
          containers: m.containers as { name: string; usage: Record<string, string> }[],
        })),
    };
  }

  nodeMetrics(): KubeObject[] {
    const now = rfc3339(this.clock.now());
    return this.kubelets()
      .filter((k) => k.isRunning)
      .map((kubelet) => {
        let cpu = NODE_BASE.cpuNanoCores;
        let memory = NODE_BASE.memoryBytes;
        for (const pod of kubelet.pods()) {
          for (const c of pod.containers) {
            const u = c.usage();
            cpu += u.cpuNanoCores;
            memory += u.memoryBytes;
          }
        }
        return {
          apiVersion: 'metrics.k8s.io/v1beta1',
          kind: 'NodeMetrics',
          metadata: { name: kubelet.nodeName, labels: {}, creationTimestamp: now },
          timestamp: now,
          window: '20s',
          usage: { cpu: cpuQuantity(cpu), memory: memoryQuantity(memory) },
        };
      });
  }
}
