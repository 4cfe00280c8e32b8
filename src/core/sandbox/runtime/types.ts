// The simulated container runtime's contract: what the kubelet (and the streaming endpoints: logs,
// exec, attach, port-forward) need from a "container". No process runs on the host: a container is
// an image's simulated behaviour (its entrypoint as a program of the simulated shell) over its own
// virtual filesystem. Everything takes an injected Clock so tests can run on a fake one.
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';

/** A file the kubelet mounts into the container (configMap/secret/projected/downwardAPI/emptyDir...). */
export interface MountedFile {
  /** Absolute path inside the container, e.g. "/etc/config/app.properties". */
  path: string;
  content: string | Uint8Array;
  mode?: number;
}

/** A volume shared between containers of a pod (emptyDir) or outliving the pod (PVC, hostPath). */
export interface SharedVolume {
  /** Where it is mounted in this container. */
  mountPath: string;
  readOnly: boolean;
  /** The backing store; the same object is given to every container that mounts it. */
  store: VolumeStore;
}

/** A directory tree the runtime reads and writes (in memory; PVC data may be persisted by the kubelet). */
export interface VolumeStore {
  read(path: string): Uint8Array | undefined;
  write(path: string, data: Uint8Array): void;
  remove(path: string): boolean;
  list(dir: string): string[];
  isDirectory(path: string): boolean;
  mkdir(path: string): void;
}

export interface ContainerConfig {
  /** Unique per container instance (restarts get a new id), e.g. "containerd://<64 hex>". */
  id: string;
  podName: string;
  namespace: string;
  podUid: string;
  podIP: string;
  nodeName: string;
  hostname: string;
  name: string;
  image: string;
  /** Pod spec command/args; undefined: the image's entrypoint/cmd. */
  command?: string[];
  args?: string[];
  workingDir?: string;
  /** Fully resolved environment (env, envFrom, service links, downward API), in order. */
  env: [string, string][];
  tty: boolean;
  stdin: boolean;
  stdinOnce: boolean;
  files: MountedFile[];
  volumes: SharedVolume[];
  /** Memory limit in bytes (a program allocating beyond it is OOMKilled, exit 137), 0: none. */
  memoryLimitBytes: number;
  /** CPU limit in nanocores: the cgroup throttles usage there, so metrics never exceed it. Absent or 0: none. */
  cpuLimitNanoCores?: number;
}

export type ExitReason = 'Completed' | 'Error' | 'OOMKilled' | 'ContainerCannotRun' | 'StartError';

export interface ContainerExit {
  exitCode: number;
  reason: ExitReason;
  /** For the termination message: what the program wrote to /dev/termination-log, or the runtime's error (StartError). */
  message?: string;
  /** The last 2 KiB of output, for terminationMessagePolicy FallbackToLogsOnError. */
  logTail?: string;
  signal?: number;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ProcessIo {
  stdin?: AsyncIterable<Uint8Array>;
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  tty: boolean;
  /** TTY size changes (kubectl exec -it sends them). */
  onResize?(listener: (size: { cols: number; rows: number }) => void): Disposable;
}

/** A network answer of a simulated server inside a container (nginx's page, a probe endpoint...). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface Container extends Disposable {
  readonly config: ContainerConfig;
  /** Starts the main process. Output and exit arrive through the events below. */
  start(): void;
  onDidOutput(listener: (stream: OutputStream, chunk: Uint8Array, at: Date) => void): Disposable;
  onDidExit(listener: (exit: ContainerExit) => void): Disposable;
  /** SIGTERM then, after the grace period, SIGKILL is the kubelet's job; this delivers one signal. */
  signal(signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP'): void;
  /** `kubectl exec`: runs a command in the container's environment and filesystem; resolves with its exit code. */
  exec(command: string[], io: ProcessIo): Promise<number>;
  /** `kubectl attach`: the main process's stdin/stdout/stderr. Resolves when detached or the process ends. */
  attach(io: ProcessIo): Promise<void>;
  /** A TCP connection to a port the container listens on (port-forward, services, probes); undefined when nothing listens. */
  connect(port: number): ContainerConnection | undefined;
  /** Convenience for httpGet probes and service proxies: one HTTP request to a listening port. */
  http(port: number, request: HttpRequest): Promise<HttpResponse | undefined>;
  /** Ports with a listener now. */
  listeningPorts(): number[];
  /** Simulated resource use, for metrics.k8s.io and `kubectl top`. */
  usage(): { cpuNanoCores: number; memoryBytes: number };
}

export interface ContainerConnection extends Disposable {
  write(data: Uint8Array): void;
  onDidData(listener: (data: Uint8Array) => void): Disposable;
  onDidClose(listener: () => void): Disposable;
  end(): void;
}

export interface ImageInfo {
  /** Normalized reference, e.g. "docker.io/library/nginx:1.27". */
  reference: string;
  /** "sha256:..." stable per reference. */
  digest: string;
  sizeBytes: number;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: [string, string][];
  /** Ports the image documents (EXPOSE). */
  exposedPorts: number[];
}

export type PullResult = { ok: true; image: ImageInfo; durationMs: number } | { ok: false; reason: 'ErrImagePull'; message: string };

export interface ContainerRuntime {
  /** Simulated pull (with a believable duration); unknown images fail with a message naming the catalog. */
  pull(image: string): Promise<PullResult>;
  create(config: ContainerConfig): Container;
  /** Images known to the catalog (for node status and the app's catalog view). */
  images(): ImageInfo[];
}

/** An HTTP request to a simulated server (the kubelet's probes, services, wget/curl of other containers). */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** The client's IP, for access logs (nginx's $remote_addr). */
  remoteAddress?: string;
}

/**
 * Cluster DNS as containers see it, provided by the kubelet. Names are fully qualified without the
 * trailing dot ("web.default.svc.cluster.local", "10-244-1-5.default.pod.cluster.local",
 * "web-0.web.default.svc.cluster.local"); the container applies its resolv.conf search list itself.
 */
export interface Resolver {
  /** A records of the name: one ClusterIP, or every ready pod IP of a headless service; [] or undefined: NXDOMAIN. */
  resolve(fqdn: string): string[] | string | undefined;
  /** The CNAME a name answers with (an ExternalName service's externalName); undefined: none. */
  cname?(fqdn: string): string | undefined;
}

/** A listening simulated server reached over the sandbox network. */
export interface NetworkEndpoint {
  http(request: HttpRequest): Promise<HttpResponse | undefined>;
  /** Raw TCP (redis-cli, nc); optional. */
  connect?(): ContainerConnection | undefined;
}

/** The pod network, provided by the kubelet: pod IPs, and Service ClusterIPs load-balanced to ready endpoints. */
export interface Network {
  /** undefined: nothing listens there (connection refused). */
  connect(ip: string, port: number): NetworkEndpoint | undefined;
}

/** Where an ingress controller sends a request: the chosen rule's backend and its ready endpoints. */
export interface IngressRoute {
  namespace: string;
  ingress: string;
  service: string;
  /** The Service port as the rule names it (number, or name resolved to the number). */
  servicePort: number;
  /** Ready endpoints (pod IP, target port); empty: the backend has none (503). */
  endpoints: { ip: string; port: number }[];
  /** The path the backend receives (after nginx.ingress.kubernetes.io/rewrite-target). */
  path: string;
}

/** The Ingress rules of the cluster, as an ingress controller inside a container reads them. */
export interface IngressRoutes {
  /** The rule matching host and path among Ingresses of the classes `controller` serves; undefined: default backend (404). */
  route(controller: string, host: string, path: string): IngressRoute | undefined;
}

export interface RuntimeDeps {
  clock: Clock;
  resolver: Resolver;
  network: Network;
  /** Ingress rules, for ingress controller images; absent: they serve only their default backend. */
  ingress?: IngressRoutes;
}
