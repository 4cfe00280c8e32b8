// The simulated nodes as kind names and labels them: a control-plane node (tainted NoSchedule when
// there are workers, as kubeadm does) and workers.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../shared/kube.js';
import { rfc3339 } from '../registry/store/object-util.js';

export const KUBELET_VERSION = 'v1.32.3';
export const CLUSTER_NAME = 'kubedesk';

export function nodeNames(count: number): string[] {
  const names = [`${CLUSTER_NAME}-control-plane`];
  for (let i = 1; i < count; i++) names.push(i === 1 ? `${CLUSTER_NAME}-worker` : `${CLUSTER_NAME}-worker${i}`);
  return names;
}

function stableId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export function nodeObject(name: string, index: number, total: number, now: Date): KubeObject {
  const controlPlane = index === 0;
  const time = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
    reason,
    message,
  });
  const capacity = { cpu: '4', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16375960Ki', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      providerID: `kubedesk://${CLUSTER_NAME}/${name}`,
      ...(controlPlane && total > 1 ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 2}` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: stableId(`machine-${name}`),
        systemUUID: stableId(`system-${name}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        bootID: stableId(`boot-${name}-${time}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        kernelVersion: '6.1.0-kubedesk',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'kubedesk://0.1.0',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [],
    },
  };
}

export function nodeLease(name: string, nodeUid: string, now: Date): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }],
    },
    spec: {
      holderIdentity: name,
      leaseDurationSeconds: 40,
      renewTime: now.toISOString().replace('Z', '000Z'),
    },
  };
}
