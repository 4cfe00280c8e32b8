// The node's own status as its kubelet reports it: conditions with heartbeats, the images it holds,
// and the Lease in kube-node-lease it renews every 10 s (what the node lifecycle controller watches).
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import { rfc3339 } from '../registry/store/object-util.js';
import type { ImageInfo } from '../runtime/types.js';

const NODES = { group: '', resource: 'nodes' };
const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };

export const LEASE_RENEW_MS = 10_000;
/** nodeStatusReportFrequency: with leases, an unchanged status is re-posted every 5 minutes. */
export const STATUS_REPORT_MS = 5 * 60_000;

const CONDITIONS: [string, string, string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

export function nodeConditions(previous: NodeCondition[] | undefined, now: Date): NodeCondition[] {
  const time = rfc3339(now);
  return CONDITIONS.map(([type, status, reason, message]) => {
    const old = previous?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: time, lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : time, reason, message };
  });
}

export function nodeImages(images: ImageInfo[]): NonNullable<NodeStatus['images']> {
  return images.map((i) => ({ names: [`${i.reference.replace(/[:@][^/]*$/, '')}@${i.digest}`, i.reference], sizeBytes: i.sizeBytes }));
}

export async function postNodeStatus(client: ApiClient, nodeName: string, images: ImageInfo[], now: Date): Promise<KubeObject> {
  const node = await client.get(NODES, '', nodeName);
  const status = (node.status ?? {}) as NodeStatus;
  return client.patch(NODES, '', nodeName, 'merge', { status: { conditions: nodeConditions(status.conditions, now), images: nodeImages(images) } }, { subresource: 'status', fieldManager: 'kubelet' });
}

/** MicroTime as the Lease API stores it: 6 fractional digits. */
export function microTime(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export async function renewLease(client: ApiClient, nodeName: string, nodeUid: string, now: Date): Promise<void> {
  try {
    await client.patch(LEASES, 'kube-node-lease', nodeName, 'merge', { spec: { holderIdentity: nodeName, renewTime: microTime(now) } }, { fieldManager: 'kubelet' });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 404)) throw error;
    await client.create(
      LEASES,
      'kube-node-lease',
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: nodeName, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] },
        spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: microTime(now) },
      },
      { fieldManager: 'kubelet' },
    );
  }
}
