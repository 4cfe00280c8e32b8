// The events a kubelet records about its Node when it starts (kubectl describe node's Events):
// "Starting kubelet.", the pressure conditions it reports, the allocatable limit it enforces, and
// NodeReady when the node becomes ready (a new node, or one that was not ready). The kubelet refers
// to its Node by name, with the name as UID, as upstream's kubelet does.
import type { NodeStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import { EventRecorder } from '../controllers/events/recorder.js';

/** A new node registers not ready and turns ready: a node created this recently gets NodeReady. */
const REGISTRATION_MS = 60_000;

export function kubeletNodeRef(nodeName: string): KubeObject {
  return { kind: 'Node', metadata: { name: nodeName, uid: nodeName } } as KubeObject;
}

export function recordKubeletStart(client: ApiClient, clock: Clock, node: KubeObject, onError: (error: unknown) => void): EventRecorder {
  const name = node.metadata.name ?? '';
  const recorder = new EventRecorder(client, clock, 'kubelet', name, onError);
  const ref = kubeletNodeRef(name);
  const status = (node.status ?? {}) as NodeStatus;
  const wasReady = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const created = Date.parse(node.metadata.creationTimestamp ?? '');
  const fresh = Number.isFinite(created) && clock.now().getTime() - created < REGISTRATION_MS;
  recorder.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
  for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) recorder.event(ref, 'Normal', reason, `Node ${name} status is now: ${reason}`);
  recorder.event(ref, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
  if (fresh || !wasReady) recorder.event(ref, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
  return recorder;
}
