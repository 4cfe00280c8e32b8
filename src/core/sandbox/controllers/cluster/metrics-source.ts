// What the HorizontalPodAutoscaler reads resource usage from: the simulated kubelets implement it
// (the same numbers metrics.k8s.io serves to `kubectl top`). Shapes follow metrics.k8s.io/v1beta1
// PodMetrics so one implementation serves both.

export interface ContainerMetrics {
  name: string;
  /** Quantities as metrics-server reports them, e.g. { cpu: "250m", memory: "64Mi" }. */
  usage: Record<string, string>;
}

export interface PodMetrics {
  /** Pod name (namespace is the query's). */
  name: string;
  /** When the sample was taken, RFC 3339. */
  timestamp?: string;
  containers: ContainerMetrics[];
}

export interface MetricsSource {
  /** Metrics of the pods of `namespace` matching the label selector (string form, e.g. "app=web"). */
  podMetrics(namespace: string, selector: string): Promise<PodMetrics[]>;
}
