// The sandbox's node controls, run inside the sandbox process (sandbox-host): nodes are added and
// removed through the API as an operator would (a Node object and its Lease; the kubelet fleet
// follows the Node objects), and stopped or restarted by silencing their kubelet, which the node
// lifecycle controller notices as it would a powered-off machine: Ready=Unknown after its grace
// period, pods evicted after their tolerationSeconds (300 s by default).
import type { KubeObject } from '../../shared/kube.js';
import type { SandboxNode } from '../../shared/rpc/sandbox-contract.js';
import type { ApiClient } from '../sandbox/apiserver/client.js';
import { ApiError } from '../sandbox/apiserver/errors.js';
import { CLUSTER_NAME, nodeLease, nodeObject } from '../sandbox/bootstrap/nodes.js';
import type { KubeletFleet } from '../sandbox/kubelet/fleet.js';

const NODES = { group: '', resource: 'nodes' };
const PODS = { group: '', resource: 'pods' };
const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };

export type NodeControlOp = 'list' | 'add' | 'remove' | 'stop' | 'start';

interface NodeStatusShape {
  conditions?: { type?: string; status?: string }[];
}

export class SandboxNodeControl {
  constructor(
    private readonly client: ApiClient,
    private readonly fleet: () => KubeletFleet | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(op: NodeControlOp, name: string | undefined): Promise<unknown> {
    switch (op) {
      case 'list':
        return this.list();
      case 'add':
        return this.add();
      case 'remove':
        return this.remove(required(name, op));
      case 'stop':
        return this.setRunning(required(name, op), false);
      case 'start':
        return this.setRunning(required(name, op), true);
    }
  }

  async list(): Promise<SandboxNode[]> {
    const [nodes, pods] = await Promise.all([this.client.list(NODES, ''), this.client.list(PODS, '')]);
    const perNode = new Map<string, number>();
    for (const pod of pods.items) {
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    return nodes.items.map((n) => this.describe(n, perNode.get(n.metadata.name ?? '') ?? 0)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  /** A new worker named as kind names them (kubedesk-worker, kubedesk-worker2, ...). */
  async add(): Promise<SandboxNode> {
    const nodes = (await this.client.list(NODES, '')).items;
    const names = new Set(nodes.map((n) => n.metadata.name));
    let n = 1;
    const nameOf = (i: number) => (i === 1 ? `${CLUSTER_NAME}-worker` : `${CLUSTER_NAME}-worker${i}`);
    while (names.has(nameOf(n))) n++;
    const name = nameOf(n);
    // Pod CIDRs and addresses must not collide with any node's, including nodes added by hand.
    let index = 1;
    for (const node of nodes) {
      const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '';
      const octet = Number(/^10\.244\.(\d+)\./.exec(cidr)?.[1]);
      if (Number.isInteger(octet) && octet >= index) index = octet + 1;
    }
    if (index > 250) throw new Error('cannot add a node: the sandbox has run out of pod address ranges (10.244.1-250.0/24); remove nodes first');
    const now = this.now();
    const created = await this.client.create(NODES, '', nodeObject(name, index, nodes.length + 1, now));
    await this.client.create(LEASES, 'kube-node-lease', nodeLease(name, created.metadata.uid ?? '', now)).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
    });
    return this.describe(created, 0, true);
  }

  /**
   * Cordons, deletes the Node (its kubelet stops with it), then force-deletes the pods bound to it
   * as the pod garbage collector does for a node that no longer exists; their controllers recreate
   * them elsewhere.
   */
  async remove(name: string): Promise<{ ok: true }> {
    const node = await this.getNode(name);
    if ((node.metadata.labels ?? {})['node-role.kubernetes.io/control-plane'] !== undefined) {
      throw new Error(`cannot remove ${name}: it is the control-plane node; stop it instead, or reset the sandbox`);
    }
    await this.client.patch(NODES, '', name, 'merge', { spec: { unschedulable: true } });
    await this.client.delete(NODES, '', name);
    const pods = await this.client.list(PODS, '', { fieldSelector: `spec.nodeName=${name}` });
    for (const pod of pods.items) {
      await this.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch((error: unknown) => {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      });
    }
    return { ok: true };
  }

  private async setRunning(name: string, running: boolean): Promise<SandboxNode> {
    const node = await this.getNode(name);
    const kubelet = this.fleet()?.node(name);
    if (!kubelet) throw new Error(`node ${name} has no simulated kubelet (the sandbox runs without its cluster simulation, or the node is being removed)`);
    if (running) await kubelet.start();
    else kubelet.stop();
    const fresh = running ? await this.getNode(name) : node;
    const pods = await this.client.list(PODS, '', { fieldSelector: `spec.nodeName=${name}` });
    return this.describe(fresh, pods.items.length);
  }

  private async getNode(name: string): Promise<KubeObject> {
    try {
      return await this.client.get(NODES, '', name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) throw new Error(`node ${name} does not exist in the sandbox; pick one from the node list`);
      throw error;
    }
  }

  private describe(node: KubeObject, pods: number, running?: boolean): SandboxNode {
    const name = node.metadata.name ?? '';
    const ready = ((node.status ?? {}) as NodeStatusShape).conditions?.find((c) => c.type === 'Ready')?.status;
    return {
      name,
      role: (node.metadata.labels ?? {})['node-role.kubernetes.io/control-plane'] !== undefined ? 'control-plane' : 'worker',
      ready: ready === 'True' || ready === 'False' ? ready : 'Unknown',
      kubeletRunning: running ?? this.fleet()?.node(name)?.isRunning ?? false,
      unschedulable: (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true,
      pods,
    };
  }
}

function required(name: string | undefined, op: string): string {
  if (!name) throw new Error(`node ${op}: a node name is required`);
  return name;
}
