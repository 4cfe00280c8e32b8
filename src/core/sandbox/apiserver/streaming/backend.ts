// What the streaming endpoints need from the nodes: the containers of running pods (exec, attach,
// port-forward, proxy), their logs, and resource usage (metrics.k8s.io). The simulated kubelet
// implements these; the API server only speaks the wire protocols.
import type { Disposable } from '../../../../shared/disposable.js';
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
   * restart). Rejects with an ApiError worded as the kubelet words it when there is nothing to
   * read, e.g. 400 `container "app" in pod "web" is waiting to start: ContainerCreating` or
   * `previous terminated container "app" in pod "web" not found`.
   */
  read(namespace: string, pod: string, container: string, previous: boolean): Promise<LogEntry[]>;
  /**
   * Entries logged after those read() returned, until the container instance ends (onEnd) or the
   * returned Disposable is disposed.
   */
  follow(namespace: string, pod: string, container: string, onEntry: (entry: LogEntry) => void, onEnd: () => void): Disposable;
}

export interface PodStreamBackend {
  /**
   * The running instance of a container of a pod, or undefined when it is not running (the caller
   * answers `unable to upgrade connection: container not found ("app")` as the kubelet does).
   */
  container(namespace: string, pod: string, container: string): Container | undefined;
  logs: PodLogSource;
}

export interface ContainerUsage {
  name: string;
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface PodUsage {
  namespace: string;
  name: string;
  containers: ContainerUsage[];
  /** When the sample was taken and the window it averages (metrics-server: 10-30 s). */
  timestamp: Date;
  windowSeconds: number;
}

export interface NodeUsage {
  name: string;
  cpuNanoCores: number;
  memoryBytes: number;
  timestamp: Date;
  windowSeconds: number;
}

export interface MetricsBackend {
  nodeUsage(): NodeUsage[];
  /** All namespaces when namespace is ''. */
  podUsage(namespace: string): PodUsage[];
}
