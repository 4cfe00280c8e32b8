// The pod status a kubelet reports, computed from its own view of the pod's containers: phase
// (kubelet's getPhase), conditions with stable lastTransitionTime, container statuses in spec order.
// Pure: the pod worker owns the state, this only renders it.
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../registry/store/object-util.js';

export interface TerminatedState {
  kind: 'terminated';
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt?: Date;
  finishedAt: Date;
  containerID?: string;
}

export type ContainerState = { kind: 'waiting'; reason: string; message?: string } | { kind: 'running'; startedAt: Date } | TerminatedState;

export interface ContainerRecord {
  name: string;
  init: boolean;
  sidecar?: boolean;
  /** The image as the pod spec names it; replaced by the normalized reference once pulled. */
  image: string;
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState?: TerminatedState;
  restartCount: number;
  ready: boolean;
  started: boolean;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodView {
  sandboxReady: boolean;
  hostIP: string;
  podIP?: string;
  startTime: Date;
  initContainers: ContainerRecord[];
  containers: ContainerRecord[];
  /** Set once the pod reached Succeeded/Failed: a terminal phase never changes. */
  terminalPhase?: 'Succeeded' | 'Failed';
  /** Why the kubelet ended the pod (DeadlineExceeded), shown by kubectl as the pod's status. */
  reason?: string;
  message?: string;
}

/** A regular init container succeeded; a sidecar started (and counts as done through its restarts). */
function initComplete(c: ContainerRecord): boolean {
  if (c.sidecar) return c.started || c.lastState !== undefined;
  return c.state.kind === 'terminated' && c.state.exitCode === 0;
}

export function initDone(view: PodView): boolean {
  return view.initContainers.every(initComplete);
}

function initFailedForGood(pod: Pod, view: PodView): boolean {
  return (pod.spec?.restartPolicy ?? 'Always') === 'Never' && view.initContainers.some((c) => !c.sidecar && c.state.kind === 'terminated' && c.state.exitCode !== 0);
}

/** kubelet's getPhase, for the containers as the kubelet sees them now. */
export function podPhase(pod: Pod, view: PodView): PodStatus['phase'] {
  if (view.terminalPhase) return view.terminalPhase;
  if (initFailedForGood(pod, view)) return 'Failed';
  if (!initDone(view)) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.state.kind === 'running') running++;
    else if (c.state.kind === 'terminated') {
      stopped++;
      if (c.state.exitCode === 0) succeeded++;
    } else if (c.lastState) {
      stopped++;
      if (c.lastState.exitCode === 0) succeeded++;
    } else waiting++;
  }
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, previous: PodCondition[] | undefined, now: Date, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous?.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
  return {
    type,
    status,
    lastProbeTime: null as unknown as string,
    lastTransitionTime,
    ...(reason && !ok ? { reason } : {}),
    ...(message && !ok ? { message } : {}),
    ...(reason && ok && reason === 'PodCompleted' ? { reason } : {}),
  };
}

function renderState(state: ContainerState): NonNullable<ContainerStatus['state']> {
  switch (state.kind) {
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } };
    case 'running':
      return { running: { startedAt: rfc3339(state.startedAt) } };
    case 'terminated':
      return { terminated: renderTerminated(state) };
  }
}

function renderTerminated(t: TerminatedState): NonNullable<NonNullable<ContainerStatus['state']>['terminated']> {
  return {
    ...(t.containerID ? { containerID: t.containerID } : {}),
    exitCode: t.exitCode,
    finishedAt: rfc3339(t.finishedAt),
    ...(t.message ? { message: t.message } : {}),
    reason: t.reason,
    ...(t.signal !== undefined ? { signal: t.signal } : {}),
    ...(t.startedAt ? { startedAt: rfc3339(t.startedAt) } : {}),
  };
}

export function renderContainerStatus(c: ContainerRecord): ContainerStatus {
  return {
    ...(c.containerID ? { containerID: c.containerID } : {}),
    image: c.image,
    imageID: c.imageID,
    lastState: c.lastState ? { terminated: renderTerminated(c.lastState) } : {},
    name: c.name,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.started,
    state: renderState(c.state),
    ...(c.volumeMounts.length > 0
      ? { volumeMounts: c.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true } : {}), recursiveReadOnly: 'Disabled' })) }
      : {}),
  } as ContainerStatus;
}

/** The whole status as the kubelet writes it through pods/status. */
export function computePodStatus(pod: Pod, view: PodView, now: Date): PodStatus {
  const previous = pod.status?.conditions;
  const phase = podPhase(pod, view);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const incompleteInit = view.initContainers.filter((c) => !initComplete(c)).map((c) => c.name);
  const unready = view.containers.filter((c) => !c.ready).map((c) => c.name);
  const gates = (pod.spec?.readinessGates ?? []).filter((g) => previous?.find((c) => c.type === g.conditionType)?.status !== 'True');
  const conditions: PodCondition[] = [condition('PodReadyToStartContainers', view.sandboxReady, previous, now)];
  if (terminal && incompleteInit.length === 0) conditions.push(condition('Initialized', true, previous, now, 'PodCompleted'));
  else conditions.push(condition('Initialized', incompleteInit.length === 0, previous, now, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`));
  if (terminal) {
    conditions.push(condition('Ready', false, previous, now, 'PodCompleted'), condition('ContainersReady', false, previous, now, 'PodCompleted'));
  } else {
    const readyMessage =
      unready.length > 0
        ? `containers with unready status: [${unready.join(' ')}]`
        : `corresponding condition of pod readiness gate "${gates[0]?.conditionType ?? ''}" does not exist.`;
    conditions.push(
      condition('Ready', unready.length === 0 && gates.length === 0, previous, now, unready.length > 0 ? 'ContainersNotReady' : 'ReadinessGatesNotReady', readyMessage),
      condition('ContainersReady', unready.length === 0, previous, now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`),
    );
  }
  const scheduled = previous?.find((c) => c.type === 'PodScheduled');
  conditions.push(scheduled ?? condition('PodScheduled', true, previous, now));
  // Conditions other writers own (readiness gates, DisruptionTarget) are kept as they are.
  const ours = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  for (const c of previous ?? []) if (!ours.has(c.type)) conditions.push(c);
  const status: PodStatus = {
    phase,
    conditions,
    ...(view.reason ? { reason: view.reason } : {}),
    ...(view.message ? { message: view.message } : {}),
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    startTime: rfc3339(view.startTime),
    ...(view.initContainers.length > 0 ? { initContainerStatuses: view.initContainers.map(renderContainerStatus) } : {}),
    containerStatuses: view.containers.map(renderContainerStatus),
    ...(pod.status?.qosClass ? { qosClass: pod.status.qosClass } : {}),
  };
  return status;
}
