// A shell on a node, as Lens opens one: a privileged pod pinned to the node (hostPID, hostNetwork,
// hostIPC, every taint tolerated) created through the API, then a shell in it through the exec API.
// On a real cluster the shell enters the node's namespaces with nsenter (busybox ships it); on the
// sandbox, whose containers are simulated, the same pod's shell is the node's view the runtime can
// give: the node's hostname and IP (hostNetwork), the node's pods and containers as the kubelet
// reports them in /var/log/pods. The pod is deleted when the shell ends.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';

export const NODE_SHELL_NAMESPACE = 'kube-system';
export const NODE_SHELL_IMAGE = 'docker.io/library/busybox:1.37';
/** Enters PID 1's (the node's) mount, UTS, IPC, network and PID namespaces, then its best shell. */
export const NSENTER_SHELL = ['nsenter', '-t', '1', '-m', '-u', '-i', '-n', '-p', '--', 'sh', '-c', 'command -v bash >/dev/null && exec bash -l; command -v ash >/dev/null && exec ash -l; exec sh -l'];

export function nodeShellPod(node: string): V1Pod {
  const suffix = randomBytes(3).toString('hex');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `node-shell-${suffix}`,
      namespace: NODE_SHELL_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'kubedesk', 'kubedesk.io/node-shell': node.slice(0, 63).replace(/[^\w.-]/g, '-') },
    },
    spec: {
      nodeName: node,
      hostPID: true,
      hostIPC: true,
      hostNetwork: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'shell',
          image: NODE_SHELL_IMAGE,
          command: ['sleep', '86400'],
          securityContext: { privileged: true },
          stdin: true,
          tty: true,
          volumeMounts: [{ name: 'pod-logs', mountPath: '/var/log/pods', readOnly: true }],
        },
      ],
      volumes: [{ name: 'pod-logs', hostPath: { path: '/var/log/pods', type: 'Directory' } }],
    },
  };
}

export interface NodeShellPod {
  name: string;
  remove(): Promise<void>;
}

/** Creates the pod on `node` and waits until it runs; removes it again if it does not. */
export async function startNodeShellPod(config: KubeConfig, node: string, timeoutMs = 90_000): Promise<NodeShellPod> {
  const api = config.makeApiClient(CoreV1Api);
  await api.readNode({ name: node }).catch((error: unknown) => {
    throw new Error(`cannot open a shell on node "${node}": ${error instanceof Error ? error.message : String(error)}`);
  });
  const created = await api.createNamespacedPod({ namespace: NODE_SHELL_NAMESPACE, body: nodeShellPod(node) });
  const name = created.metadata?.name ?? '';
  const remove = async () => {
    await api.deleteNamespacedPod({ name, namespace: NODE_SHELL_NAMESPACE, gracePeriodSeconds: 0 }).catch(() => undefined);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await api.readNamespacedPod({ name, namespace: NODE_SHELL_NAMESPACE }).catch(() => undefined);
    const phase = pod?.status?.phase;
    if (phase === 'Running') return { name, remove };
    const waiting = pod?.status?.containerStatuses?.[0]?.state?.waiting;
    const stuck = phase === 'Failed' || phase === 'Succeeded' || (waiting?.reason !== undefined && /ErrImagePull|ImagePullBackOff|CreateContainerError|InvalidImageName/.test(waiting.reason));
    if (stuck || Date.now() > deadline) {
      await remove();
      const why = waiting ? `${waiting.reason ?? ''} ${waiting.message ?? ''}`.trim() : `phase ${phase ?? 'unknown'}`;
      throw new Error(`the node shell pod on "${node}" did not start (${why}): check that the node is Ready and can pull ${NODE_SHELL_IMAGE}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
