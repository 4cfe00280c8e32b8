// One simulated node's kubelet: posts the node's status, renews its Lease, and runs the pods bound
// to it (one PodWorker each). stop() makes the node go silent as a powered-off machine would.
import type { NodeStatus, Pod, PodStatus, Service } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import type { Container, ContainerRuntime, VolumeStore } from '../runtime/types.js';
import type { ConfigSource } from './container-env.js';
import type { TokenRequest, VolumeDeps } from './container-volumes.js';
import { EventRecorder } from './events.js';
import { ImagePuller } from './image-puller.js';
import type { MemoryLogStore } from './log-store.js';
import { recordKubeletStart } from './node-events.js';
import { LEASE_RENEW_MS, postNodeStatus, renewLease, STATUS_REPORT_MS } from './node-status.js';
import type { KubeletPodSource } from './node-pods.js';
import { PodSource, type PodSourceHandler } from './pod-source.js';
import { PodWorker } from './pod-worker.js';

const PODS = { group: '', resource: 'pods' };

export interface KubeletDeps {
  client: ApiClient;
  clock: Clock;
  runtime: ContainerRuntime;
  logs: MemoryLogStore;
  store(kind: 'emptyDir' | 'hostPath' | 'pvc', key: string): VolumeStore;
  requestToken(namespace: string, serviceAccount: string, request: TokenRequest): Promise<string>;
  /** Services of a namespace from a shared informer (service links at every container start). */
  services?(namespace: string): Service[];
  /** The pods bound to this node (the fleet's NodePodIndex); omitted: the kubelet's own watch by spec.nodeName. */
  podSource?(nodeName: string, handler: PodSourceHandler): KubeletPodSource;
  onError(error: unknown): void;
}

async function optional<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) return undefined;
    throw error;
  }
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly usedIPs = new Map<string, number>();
  /** The host numbers of usedIPs, kept beside it (not rebuilt for each pod started). */
  private readonly takenHosts = new Set<number>();
  private readonly puller: ImagePuller;
  private events: EventRecorder;
  private source: KubeletPodSource | undefined;
  private leaseTimer: Disposable | undefined;
  private statusTimer: Disposable | undefined;
  private running = false;
  private hostIP = '';
  private cidrBase = '';
  private nodeUid = '';
  private allocatable: Record<string, string> = {};

  constructor(
    readonly nodeName: string,
    private readonly deps: KubeletDeps,
  ) {
    this.puller = new ImagePuller(deps.runtime);
    this.events = new EventRecorder(deps.client, deps.clock, nodeName, deps.onError);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch (error) {
      // A failed start (the Node object is gone) leaves the kubelet stopped, so start() can be retried.
      this.stop();
      throw error;
    }
  }

  private async run(): Promise<void> {
    const { client, clock } = this.deps;
    const node = await client.get({ group: '', resource: 'nodes' }, '', this.nodeName);
    this.nodeUid = node.metadata.uid ?? '';
    const status = (node.status ?? {}) as NodeStatus;
    this.hostIP = status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
    this.allocatable = status.allocatable ?? {};
    const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24';
    this.cidrBase = cidr.replace(/\.\d+\/\d+$/, '.');
    this.events = new EventRecorder(client, clock, this.nodeName, this.deps.onError);
    await this.heartbeat(true);
    recordKubeletStart(client, clock, node, this.deps.onError);
    const handler: PodSourceHandler = { upsert: (pod) => this.upsert(pod), remove: (pod) => this.remove(pod) };
    this.source = this.deps.podSource?.(this.nodeName, handler) ?? new PodSource(client, this.nodeName, handler, this.deps.onError);
    await this.source.start();
  }

  /** The node goes silent: no status, no Lease renewal, its containers stop. Pods stay as the API has them. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.source?.dispose();
    this.leaseTimer?.dispose();
    this.statusTimer?.dispose();
    for (const w of this.workers.values()) w.kill();
    this.workers.clear();
    this.usedIPs.clear();
    this.takenHosts.clear();
  }

  private async heartbeat(postStatus: boolean): Promise<void> {
    if (!this.running) return;
    const { client, clock } = this.deps;
    try {
      await renewLease(client, this.nodeName, this.nodeUid, clock.now());
      if (postStatus) await postNodeStatus(client, this.nodeName, [...this.puller.present.values()], clock.now());
    } catch (error) {
      this.deps.onError(error);
    }
    if (!this.running) return;
    this.leaseTimer = clock.setTimeout(() => void this.heartbeat(false), LEASE_RENEW_MS);
    if (postStatus) this.statusTimer = clock.setTimeout(() => void this.postStatus(), STATUS_REPORT_MS);
  }

  private async postStatus(): Promise<void> {
    if (!this.running) return;
    try {
      await postNodeStatus(this.deps.client, this.nodeName, [...this.puller.present.values()], this.deps.clock.now());
    } catch (error) {
      this.deps.onError(error);
    }
    if (this.running) this.statusTimer = this.deps.clock.setTimeout(() => void this.postStatus(), STATUS_REPORT_MS);
  }

  private allocateIP(uid: string): string {
    for (let host = 2; host < 255; host++) {
      if (!this.takenHosts.has(host)) {
        const previous = this.usedIPs.get(uid);
        if (previous !== undefined) this.takenHosts.delete(previous);
        this.usedIPs.set(uid, host);
        this.takenHosts.add(host);
        return `${this.cidrBase}${host}`;
      }
    }
    throw new Error(`node ${this.nodeName}: no free pod IP left in its podCIDR (253 pods); delete pods or add nodes`);
  }

  private configSource(): ConfigSource {
    const { client } = this.deps;
    return {
      configMap: async (ns, name) => {
        const cm = await optional(() => client.get({ group: '', resource: 'configmaps' }, ns, name));
        return cm ? { data: (cm.data as Record<string, string> | undefined) ?? {}, binaryData: (cm.binaryData as Record<string, string> | undefined) ?? {} } : undefined;
      },
      secret: async (ns, name) => {
        const s = await optional(() => client.get({ group: '', resource: 'secrets' }, ns, name));
        return s ? ((s.data as Record<string, string> | undefined) ?? {}) : undefined;
      },
      services: async (ns) => this.deps.services?.(ns) ?? ((await client.list({ group: '', resource: 'services' }, ns)).items as unknown as Service[]),
    };
  }

  private volumeDeps(): VolumeDeps {
    const { client } = this.deps;
    return {
      config: this.configSource(),
      requestToken: this.deps.requestToken,
      store: (kind, key) => this.deps.store(kind, kind === 'hostPath' ? `${this.nodeName}:${key}` : key),
      claimVolume: async (ns, claim) => {
        const pvc = await optional(() => client.get({ group: '', resource: 'persistentvolumeclaims' }, ns, claim));
        return pvc ? ((pvc.spec as { volumeName?: string } | undefined)?.volumeName ?? '') : undefined;
      },
      nodeAllocatable: this.allocatable,
    };
  }

  private upsert(pod: Pod): void {
    if (!this.running) return;
    const uid = pod.metadata?.uid ?? '';
    const existing = this.workers.get(uid);
    if (existing) return existing.update(pod);
    const phase = pod.status?.phase;
    // A finished pod is history: the kubelet does not run it again.
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const { clock } = this.deps;
    const worker = new PodWorker(
      {
        nodeName: this.nodeName,
        hostIP: this.hostIP,
        clock,
        runtime: this.deps.runtime,
        puller: this.puller,
        events: this.events,
        logs: this.deps.logs,
        volumes: this.volumeDeps(),
        allocateIP: (id) => this.allocateIP(id),
        writeStatus: (p, status) => this.writeStatus(p, status),
        deletePod: (p) => this.deletePod(p),
        onError: this.deps.onError,
      },
      pod,
    );
    this.workers.set(uid, worker);
    worker.start();
    if (pod.metadata?.deletionTimestamp) void worker.terminate();
  }

  private remove(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const worker = this.workers.get(uid);
    worker?.kill();
    this.workers.delete(uid);
    const host = this.usedIPs.get(uid);
    if (host !== undefined) this.takenHosts.delete(host);
    this.usedIPs.delete(uid);
    this.events.forget(uid);
    this.deps.logs.removePod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', uid);
  }

  private async writeStatus(pod: Pod, status: PodStatus): Promise<void> {
    if (!this.running) return;
    try {
      await this.deps.client.patch(PODS, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'merge', { status }, { subresource: 'status', fieldManager: 'kubelet' });
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return;
      throw error;
    }
  }

  private async deletePod(pod: Pod): Promise<void> {
    try {
      await this.deps.client.delete(PODS, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 404 || error.code === 409)) return;
      throw error;
    }
  }

  /** Every pod this kubelet runs, for the cluster network, exec and metrics. */
  pods(): { namespace: string; name: string; uid: string; labels: Record<string, string>; podIP: string | undefined; ready: boolean; containers: Container[]; worker: PodWorker }[] {
    return [...this.workers.values()].map((w) => ({ ...w.identity(), podIP: w.podIP, ready: w.isReady(), containers: w.runningContainers(), worker: w }));
  }

  /** Resolves when queued events are written (tests). */
  flushEvents(): Promise<void> {
    return this.events.flush();
  }
}
