// `kubectl get pods`: kube-apiserver's printPod, including the STATUS reasoning (Init:0/1,
// CrashLoopBackOff, Completed, Terminating...) and RESTARTS "3 (2m ago)".
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import { since, timeOf } from './duration.js';
import { AGE_COLUMN, NAME_COLUMN, column, docColumn, type RowPrinter, type TableRowCondition } from './table.js';

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function initializedConditionTrue(conditions: PodCondition[] | undefined): boolean {
  const c = (conditions ?? []).find((x) => x.type === 'Initialized');
  return c?.status === 'True';
}

function terminalPhase(phase: string | undefined): boolean {
  return phase === 'Failed' || phase === 'Succeeded';
}

interface Restarts {
  count: number;
  last: number | undefined;
}

function addRestarts(acc: Restarts, status: ContainerStatus): void {
  acc.count += status.restartCount ?? 0;
  const finished = timeOf(status.lastState?.terminated?.finishedAt);
  if (finished !== undefined && (acc.last === undefined || finished > acc.last)) acc.last = finished;
}

/** READY, STATUS and RESTARTS as printPod computes them. */
export function podStatusCells(pod: Pod, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let restarts: Restarts = { count: 0, last: undefined };
  const restartableInit: Restarts = { count: 0, last: undefined };

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    addRestarts(restarts, container);
    const restartable = isRestartableInit(initContainers.get(container.name));
    if (restartable) addRestarts(restartableInit, container);
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedConditionTrue(status.conditions)) {
    restarts = { ...restartableInit };
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      addRestarts(restarts, container);
      const { waiting, terminated, running } = container.state ?? {};
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (container.ready && running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // Back to Running if some container still runs after another completed.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && !terminalPhase(phase)) reason = 'Terminating';

  let restartsText = String(restarts.count);
  if (restarts.count !== 0 && restarts.last !== undefined) {
    restartsText = `${restarts.count} (${since(new Date(restarts.last).toISOString(), now)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === gate.conditionType);
    if (c?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export const podPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    docColumn('IP', 'string', 'PodStatus.podIP', 1),
    docColumn('Node', 'string', 'PodSpec.nodeName', 1),
    docColumn('Nominated Node', 'string', 'PodStatus.nominatedNodeName', 1),
    docColumn('Readiness Gates', 'string', 'PodSpec.readinessGates', 1),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pod = obj as unknown as Pod;
    const { ready, reason, restarts } = podStatusCells(pod, now);
    // The internal Pod fills podIPs from podIP when only the latter is set.
    const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    return [
      obj.metadata.name ?? '',
      ready,
      reason,
      restarts,
      since(obj.metadata.creationTimestamp, now),
      podIP,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  rowConditions(obj: KubeObject): TableRowCondition[] | undefined {
    const phase = (obj as unknown as Pod).status?.phase;
    return phase === 'Succeeded' ? SUCCEEDED : phase === 'Failed' ? FAILED : undefined;
  },
};
