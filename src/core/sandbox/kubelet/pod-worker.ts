// One pod on one node, from binding to deletion: image pulls, init containers one after another,
// containers with restart back-off, probes, graceful termination, and the status that results.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type { Container, ContainerExit, ContainerRuntime } from '../runtime/types.js';
import { containerConfig, newContainerId } from './container-config.js';
import { containerEnv, ContainerConfigError } from './container-env.js';
import { containerMounts, MountError, resolveVolumes, type ResolvedVolume, type VolumeDeps } from './container-volumes.js';
import type { EventRecorder, RecordedEvent } from './events.js';
import { goDuration, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, type ImagePuller } from './image-puller.js';
import type { MemoryLogStore } from './log-store.js';
import type { PodView, TerminatedState } from './pod-status.js';
import { runPostStart, startProbes, type HealthContext } from './container-health.js';
import { fieldPath, newSlot, type Slot } from './slot.js';
import { StatusWriter } from './status-writer.js';
import { stopContainer } from './termination.js';

export interface PodWorkerDeps {
  nodeName: string;
  hostIP: string;
  clock: Clock;
  runtime: ContainerRuntime;
  puller: ImagePuller;
  events: EventRecorder;
  logs: MemoryLogStore;
  volumes: VolumeDeps;
  allocateIP(uid: string): string;
  writeStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** DELETE with gracePeriodSeconds 0 and a uid precondition, once every container stopped. */
  deletePod(pod: Pod): Promise<void>;
  onError(error: unknown): void;
}

/** A container that ran 10 minutes is healthy again: its next crash restarts at once. */
const BACKOFF_RESET_MS = 10 * 60_000;
/** How often a pod stuck on config or mount errors is retried (the kubelet's pod sync). */
const RETRY_MS = 10_000;
/** Stateless decoding (no stream option): one decoder serves every container's output. */
const decoder = new TextDecoder();

export class PodWorker {
  private readonly view: PodView;
  private readonly slots: Slot[];
  private volumes: Map<string, ResolvedVolume> | undefined;
  private volumeTimer: Disposable | undefined;
  private startChain: Promise<void> = Promise.resolve();
  private readonly status: StatusWriter;
  private terminating: Promise<void> | undefined;
  private killed = false;
  /** Every init container completed once: restarts of sidecars no longer hold the containers back. */
  private initialized = false;

  constructor(
    private readonly deps: PodWorkerDeps,
    private pod: Pod,
  ) {
    const spec = pod.spec ?? { containers: [] };
    const hasInit = (spec.initContainers ?? []).length > 0;
    const previous = new Map([...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s.restartCount]));
    this.slots = [
      ...(spec.initContainers ?? []).map((c) => newSlot(c, true, hasInit, previous.get(c.name) ?? 0)),
      ...spec.containers.map((c) => newSlot(c, false, hasInit, previous.get(c.name) ?? 0)),
    ];
    const uid = pod.metadata?.uid ?? '';
    this.view = {
      sandboxReady: true,
      hostIP: deps.hostIP,
      podIP: spec.hostNetwork ? deps.hostIP : deps.allocateIP(uid),
      startTime: pod.status?.startTime ? new Date(pod.status.startTime) : deps.clock.now(),
      initContainers: this.slots.filter((s) => s.init).map((s) => s.record),
      containers: this.slots.filter((s) => !s.init).map((s) => s.record),
    };
    this.status = new StatusWriter(() => ({ pod: this.pod, view: this.view }), deps.writeStatus, deps.clock, deps.onError);
  }

  get podIP(): string | undefined {
    return this.view.podIP;
  }

  identity(): { namespace: string; name: string; uid: string; labels: Record<string, string> } {
    const m = this.pod.metadata ?? {};
    return { namespace: m.namespace ?? 'default', name: m.name ?? '', uid: m.uid ?? '', labels: m.labels ?? {} };
  }

  /** Running instances by container name (main containers first). */
  namedContainers(): { name: string; container: Container; spec: NonNullable<Pod['spec']>['containers'][number] }[] {
    return this.slots.filter((s) => s.instance).map((s) => ({ name: s.spec.name, container: s.instance as Container, spec: s.spec }));
  }

  /** The running instance of a container (exec, attach, port-forward, services). */
  container(name: string): Container | undefined {
    return this.slots.find((s) => s.spec.name === name && !s.init)?.instance ?? this.slots.find((s) => s.spec.name === name)?.instance;
  }

  runningContainers(): Container[] {
    return this.slots.flatMap((s) => (s.instance ? [s.instance] : []));
  }

  isReady(): boolean {
    return this.slots.filter((s) => !s.init).every((s) => s.record.ready);
  }

  start(): void {
    const deadline = this.pod.spec?.activeDeadlineSeconds;
    if (deadline !== undefined) {
      const left = this.view.startTime.getTime() + deadline * 1000 - this.deps.clock.now().getTime();
      this.after(undefined, Math.max(0, left), () => this.deadlineExceeded());
    }
    this.sync();
    // An API error (the store closing under a stopping sandbox) is reported, not left unhandled.
    void this.mountVolumes().catch((error: unknown) => this.deps.onError(error));
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp) {
      void this.terminate();
      return;
    }
    // `kubectl set image` on a pod: the container is killed and recreated with the new image.
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const slot of this.slots) {
      const next = specs.find((c) => c.name === slot.spec.name);
      if (!next || next.image === slot.spec.image) continue;
      slot.spec = next;
      if (slot.init && slot.finished) continue;
      slot.record.image = next.image ?? '';
      slot.record.imageID = '';
      const instance = slot.instance;
      if (!instance) continue;
      this.event({ type: 'Normal', reason: 'Killing', message: `Container ${next.name} definition changed, will be restarted`, fieldPath: fieldPath(slot) });
      slot.restartAfterKill = true;
      slot.backoffMs = 0;
      void stopContainer(slot, instance, pod.spec?.terminationGracePeriodSeconds ?? 30, this.deps.clock, true);
    }
  }

  /** Graceful termination; resolves once the pod is deleted. */
  terminate(): Promise<void> {
    this.terminating ??= this.runTermination().catch((error: unknown) => this.deps.onError(error));
    return this.terminating;
  }

  /** The pod is gone (force-deleted) or the node stops: everything ends now, nothing is written. */
  kill(): void {
    this.killed = true;
    this.status.stopped = true;
    this.volumeTimer?.dispose();
    for (const slot of this.slots) {
      slot.timer?.dispose();
      for (const p of slot.probes) p.dispose();
      slot.instance?.signal('SIGKILL');
      this.release(slot);
    }
  }

  private event(event: RecordedEvent): void {
    if (!this.killed) this.deps.events.pod(this.pod, event);
  }

  private after(slot: Slot | undefined, ms: number, fn: () => void): Disposable {
    const timer = this.deps.clock.setTimeout(() => {
      if (slot) slot.timer = undefined;
      if (!this.killed && !this.terminating) fn();
    }, ms);
    if (slot) slot.timer = timer;
    return timer;
  }

  private async mountVolumes(): Promise<void> {
    try {
      this.volumes = await resolveVolumes(this.podWithAddresses(), this.deps.volumes);
    } catch (error) {
      if (!(error instanceof MountError)) throw error;
      this.event({ type: 'Warning', reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${error.volume}" : ${error.message}` });
      this.volumeTimer = this.after(undefined, RETRY_MS, () => void this.mountVolumes().catch((e: unknown) => this.deps.onError(e)));
      return;
    }
    this.advance();
  }

  /** Starts what should run next: init containers in order (sidecars once started stay beside), then every container. */
  private advance(): void {
    if (this.killed || this.terminating || this.view.terminalPhase || !this.volumes) return;
    const idle = (slot: Slot) => !slot.busy && !slot.instance && !slot.timer;
    for (const slot of this.slots.filter((s) => s.init)) {
      if (slot.finished) continue;
      if (idle(slot)) this.enqueueStart(slot);
      // A sidecar blocks the next init container only until it has started, and only the first time.
      if (slot.sidecar && (this.initialized || (slot.instance && slot.record.started))) continue;
      return;
    }
    this.initialized = true;
    for (const slot of this.slots.filter((s) => !s.init)) {
      if (!slot.finished && idle(slot)) this.enqueueStart(slot);
    }
  }

  private enqueueStart(slot: Slot): void {
    slot.busy = true;
    // Containers start one after another, as the kubelet's sync loop does (serialized image pulls).
    this.startChain = this.startChain
      .then(() => this.startSlot(slot))
      .catch((error: unknown) => this.deps.onError(error))
      .finally(() => {
        slot.busy = false;
        // A container that exited during its own start is restarted (or followed) from here.
        this.advance();
        this.sync();
      });
  }

  private podWithAddresses(): Pod {
    const ip = this.view.podIP;
    return { ...this.pod, status: { ...this.pod.status, hostIP: this.deps.hostIP, hostIPs: [{ ip: this.deps.hostIP }], ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}) } };
  }

  private async startSlot(slot: Slot): Promise<void> {
    if (this.killed || this.terminating) return;
    const { clock, puller } = this.deps;
    const at = fieldPath(slot);
    const image = slot.spec.image ?? '';
    const pull = await puller.ensure(slot.spec, () => clock.now().getTime(), () => this.event({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: at }));
    if (this.killed || this.terminating) return;
    for (const e of pull.events) this.event({ ...e, fieldPath: at });
    if (!pull.ok) {
      slot.record.state = { kind: 'waiting', reason: pull.reason, message: pull.message };
      // ErrImagePull shows until the next sync, which finds the image in back-off.
      this.after(slot, pull.reason === 'ErrImagePull' ? 1000 : (pull.retryInMs ?? RETRY_MS), () => this.enqueueStart(slot));
      return;
    }
    slot.record.image = pull.image.reference;
    slot.record.imageID = `${pull.image.reference.replace(/[:@][^/]*$/, '')}@${pull.image.digest}`;
    let env: [string, string][];
    try {
      env = await containerEnv(this.podWithAddresses(), slot.spec, this.deps.volumes.config, this.deps.volumes.nodeAllocatable);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      slot.record.state = { kind: 'waiting', reason: 'CreateContainerConfigError', message: error.message };
      this.event({ type: 'Warning', reason: 'Failed', message: `Error: ${error.message}`, fieldPath: at });
      this.after(slot, RETRY_MS, () => this.enqueueStart(slot));
      return;
    }
    if (this.killed || this.terminating) return;
    this.launch(slot, env);
  }

  private launch(slot: Slot, env: [string, string][]): void {
    const { clock, runtime } = this.deps;
    const meta = this.pod.metadata ?? {};
    const spec = slot.spec;
    const mounts = containerMounts(spec, this.volumes ?? new Map());
    const id = newContainerId();
    const instance = runtime.create(
      containerConfig({ id, pod: this.pod, spec, image: slot.record.image, podIP: this.view.podIP ?? '', nodeName: this.deps.nodeName, env, mounts }),
    );
    if (slot.record.containerID) slot.record.restartCount++;
    slot.instance = instance;
    slot.record.containerID = id;
    const log = this.deps.logs.startInstance(meta.namespace ?? 'default', meta.name ?? '', meta.uid ?? '', spec.name);
    slot.log = log;
    slot.subscriptions.push(
      instance.onDidOutput((stream, chunk, at) => log.append(stream, decoder.decode(chunk), at)),
      instance.onDidExit((exit) => this.onExit(slot, instance, exit)),
    );
    this.event({ type: 'Normal', reason: 'Created', message: `Created container: ${spec.name}`, fieldPath: fieldPath(slot) });
    const probed = !slot.init || slot.sidecar;
    const startupProbe = probed ? spec.startupProbe : undefined;
    slot.record.state = { kind: 'running', startedAt: clock.now() };
    slot.record.started = !startupProbe;
    slot.record.ready = probed && !startupProbe && !spec.readinessProbe;
    this.event({ type: 'Normal', reason: 'Started', message: `Started container ${spec.name}`, fieldPath: fieldPath(slot) });
    instance.start();
    if (slot.instance !== instance) return; // exited during start
    const health = this.healthContext();
    if (probed) startProbes(health, slot, instance);
    runPostStart(health, slot, instance);
    this.sync();
  }

  private healthContext(): HealthContext {
    return {
      clock: this.deps.clock,
      podIP: this.view.podIP ?? '',
      pod: () => this.pod,
      current: (slot, instance) => slot.instance === instance && !this.terminating && !this.killed,
      event: (e) => this.event(e),
      started: () => this.advance(),
      changed: () => this.sync(),
    };
  }

  private release(slot: Slot): void {
    for (const p of slot.probes) p.dispose();
    slot.probes = [];
    for (const s of slot.subscriptions) s.dispose();
    slot.subscriptions = [];
    slot.log?.end();
    slot.instance?.dispose();
    slot.instance = undefined;
  }

  private onExit(slot: Slot, instance: Container, exit: ContainerExit): void {
    if (slot.instance !== instance) return;
    const now = this.deps.clock.now();
    const startedAt = slot.record.state.kind === 'running' ? slot.record.state.startedAt : undefined;
    const terminated: TerminatedState = {
      kind: 'terminated',
      exitCode: exit.exitCode,
      reason: exit.reason,
      ...(exit.message ? { message: exit.message } : {}),
      ...(exit.signal !== undefined ? { signal: exit.signal } : {}),
      startedAt,
      finishedAt: now,
      containerID: slot.record.containerID,
    };
    this.release(slot);
    slot.record.state = terminated;
    slot.record.ready = slot.init && !slot.sidecar && exit.exitCode === 0;
    slot.record.started = false;
    for (const w of slot.exitWaiters.splice(0)) w();
    if (this.terminating || this.killed) return this.sync();
    if (this.view.terminalPhase) {
      slot.finished = true;
      return this.sync();
    }
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const forced = slot.restartAfterKill;
    slot.restartAfterKill = false;
    if (slot.init && !slot.sidecar && exit.exitCode === 0) {
      slot.finished = true;
    } else if (forced || slot.sidecar || policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0)) {
      this.scheduleRestart(slot, terminated);
    } else {
      slot.finished = true;
      if (slot.init) this.finish('Failed');
      else if (this.slots.every((s) => s.init || s.finished)) {
        this.finish(this.slots.every((s) => s.init || (s.record.state.kind === 'terminated' && s.record.state.exitCode === 0)) ? 'Succeeded' : 'Failed');
      }
    }
    this.advance();
    this.sync();
  }

  private deadlineExceeded(): void {
    if (this.view.terminalPhase) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.event({ type: 'Normal', reason: 'DeadlineExceeded', message });
    this.view.reason = 'DeadlineExceeded';
    this.view.message = message;
    this.finish('Failed');
    this.sync();
  }

  private finish(phase: 'Succeeded' | 'Failed'): void {
    this.view.terminalPhase = phase;
    this.view.sandboxReady = false;
    // Sidecars still running are stopped as at termination: SIGTERM, SIGKILL after the grace period.
    const grace = this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    for (const slot of this.slots) {
      slot.timer?.dispose();
      if (slot.instance) void stopContainer(slot, slot.instance, grace, this.deps.clock, true);
    }
  }

  private scheduleRestart(slot: Slot, terminated: TerminatedState): void {
    const ran = terminated.startedAt ? terminated.finishedAt.getTime() - terminated.startedAt.getTime() : 0;
    if (ran >= BACKOFF_RESET_MS) slot.backoffMs = 0;
    slot.record.lastState = terminated;
    if (slot.backoffMs === 0) {
      slot.backoffMs = INITIAL_BACKOFF_MS;
      return; // advance() restarts it now
    }
    const delay = slot.backoffMs;
    const meta = this.pod.metadata ?? {};
    const podRef = `${meta.name}_${meta.namespace}(${meta.uid})`;
    slot.record.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${slot.spec.name} pod=${podRef}` };
    this.event({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${slot.spec.name} in pod ${podRef}`, fieldPath: fieldPath(slot) });
    this.after(slot, delay, () => {
      slot.backoffMs = Math.min(delay * 2, MAX_BACKOFF_MS);
      this.advance();
    });
  }

  private async runTermination(): Promise<void> {
    for (const slot of this.slots) slot.timer?.dispose();
    this.volumeTimer?.dispose();
    const grace = this.pod.metadata?.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    const running = this.slots.filter((s) => s.instance);
    await Promise.all(
      running.map((slot) => {
        this.event({ type: 'Normal', reason: 'Killing', message: `Stopping container ${slot.spec.name}`, fieldPath: fieldPath(slot) });
        return slot.instance ? stopContainer(slot, slot.instance, grace, this.deps.clock, true) : undefined;
      }),
    );
    // Wait for a start in flight so it does not create a container after the pod is gone.
    await this.startChain;
    if (this.killed) return;
    const main = this.slots.filter((s) => !s.init);
    const allZero = main.every((s) => s.record.state.kind === 'terminated' && s.record.state.exitCode === 0);
    this.view.terminalPhase ??= allZero ? 'Succeeded' : 'Failed';
    this.view.sandboxReady = false;
    for (const slot of this.slots) slot.record.ready = false;
    this.sync();
    await this.status.flushed();
    if (this.killed) return;
    await this.deps.deletePod(this.pod);
    this.kill();
  }

  private sync(): void {
    if (!this.killed) this.status.request();
  }
}
