// What the streaming endpoints need from the nodes: the containers of running pods (exec, attach,
// port-forward, proxy), their logs, and resource usage (metrics.k8s.io). The simulated kubelet
// implements these; the API server only speaks the wire protocols.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { Container } from '../../runtime/types.js';

/** One line of a container's output, as the runtime captured it (stdout and stderr interleaved). */
export interface LogEntry {
  time: Date;
  /** The text, ending with "\n" unless it is a partial last line. */
  line: string;
}

export interface PodLogSource {
  /**
   * Everything the container instance logged so far (previous: the instance before the last
   * restart); undefined when there is no such instance (the endpoint then answers from the pod's
   * status as the kubelet does: "is waiting to start: ContainerCreating", "previous terminated
   * container ... not found"). May also reject with an ApiError of its own.
   */
  read(namespace: string, pod: string, container: string, previous: boolean): LogEntry[] | undefined | Promise<LogEntry[] | undefined>;
  /**
   * Entries logged after those read() returned, until the container instance ends (onEnd) or the
   * returned Disposable is disposed; undefined when there is no such instance.
   */
  follow(namespace: string, pod: string, container: string, onEntry: (entry: LogEntry) => void, onEnd: () => void): Disposable | undefined;
}

export interface PodStreamBackend {
  /**
   * The running instance of a container of a pod, or undefined when it is not running (the caller
   * answers `unable to upgrade connection: container not found ("app")` as the kubelet does).
   */
  container(namespace: string, pod: string, container: string): Container | undefined;
  logs: PodLogSource;
}

/**
 * metrics.k8s.io objects as metrics-server serves them (NodeMetrics with usage, PodMetrics with
 * containers[].usage; quantities such as "41639406n" and "1604612Ki"), from the nodes' simulated usage.
 */
export interface MetricsBackend {
  nodeMetrics(): KubeObject[];
  /** namespace "" for all namespaces; labelSelector in the API's string form. */
  podMetrics(namespace: string, labelSelector?: string): KubeObject[];
}
