// One container of a pod as the pod worker tracks it across restarts.
import type { Container as V1Container } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { Container } from '../runtime/types.js';
import type { LogInstance } from './log-store.js';
import type { ContainerRecord } from './pod-status.js';
import type { ProbeWorker } from './probes.js';

export interface Slot {
  spec: V1Container;
  record: ContainerRecord;
  init: boolean;
  /** A restartable init container (restartPolicy Always): runs beside the containers, always restarted. */
  sidecar: boolean;
  /** The running instance (undefined between instances). */
  instance?: Container;
  subscriptions: Disposable[];
  log?: LogInstance;
  probes: ProbeWorker[];
  /** A pull, config or create step is under way. */
  busy: boolean;
  /** A back-off or retry is pending. */
  timer?: Disposable;
  /** Crash back-off of the next restart (0: the next restart is immediate). */
  backoffMs: number;
  /** Exited and will not run again (restartPolicy, or init container done). */
  finished: boolean;
  /** Killed by a failed liveness/startup probe: restarted whatever the exit code. */
  restartAfterKill: boolean;
  exitWaiters: (() => void)[];
}

export function newSlot(spec: V1Container, init: boolean, hasInit: boolean, restartCount: number): Slot {
  return {
    spec,
    init,
    sidecar: init && spec.restartPolicy === 'Always',
    record: {
      name: spec.name,
      init,
      ...(init && spec.restartPolicy === 'Always' ? { sidecar: true } : {}),
      image: spec.image ?? '',
      imageID: '',
      state: { kind: 'waiting', reason: hasInit ? 'PodInitializing' : 'ContainerCreating' },
      restartCount,
      ready: false,
      started: false,
      volumeMounts: (spec.volumeMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })),
    },
    subscriptions: [],
    probes: [],
    busy: false,
    backoffMs: 0,
    finished: false,
    restartAfterKill: false,
    exitWaiters: [],
  };
}

export function fieldPath(slot: Slot): string {
  return `spec.${slot.init ? 'initContainers' : 'containers'}{${slot.spec.name}}`;
}
