// What runs in a freshly installed kubeadm cluster besides the API objects of bootstrap.ts: the
// control plane's static pods (as mirror pods on the control-plane node), CoreDNS behind kube-dns,
// kube-proxy on every node, and ingress-nginx. Created through the API on every start, idempotently
// (get first: a restart finds them and a learner's changes stay); the Deployment, DaemonSet and
// ReplicaSet controllers, the scheduler and the kubelets run them like any workload.
//
// The mirror-pod keeper does what the kubelet does for static pods: a deleted mirror pod comes back
// (`kubectl delete pod etcd-<node> -n kube-system` cannot remove the control plane), and a mirror
// pod being deleted gracefully is removed at once, as the kubelet deletes mirror pods with grace 0.
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient, ResourceRef } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import type { Informer } from '../controllers/informer.js';
import { EventRecorder } from '../controllers/events/recorder.js';
import { ensure } from './bootstrap.js';
import { ingressClass, ingressNamespace, ingressObjects } from './ingress-manifests.js';
import { MIRROR_ANNOTATION, mirrorPod, staticPodManifests } from './static-pods.js';
import { corednsDeployment, corednsRbac, kubeDnsService, kubeProxyDaemonSet, serviceAccount, systemConfigMaps } from './system-manifests.js';

const PODS: ResourceRef = { group: '', resource: 'pods' };
const NODES: ResourceRef = { group: '', resource: 'nodes' };

const RESOURCES: Record<string, ResourceRef> = {
  'v1/Namespace': { group: '', resource: 'namespaces' },
  'v1/ServiceAccount': { group: '', resource: 'serviceaccounts' },
  'v1/ConfigMap': { group: '', resource: 'configmaps' },
  'v1/Service': { group: '', resource: 'services' },
  'apps/v1/Deployment': { group: 'apps', resource: 'deployments' },
  'apps/v1/DaemonSet': { group: 'apps', resource: 'daemonsets' },
  'networking.k8s.io/v1/IngressClass': { group: 'networking.k8s.io', resource: 'ingressclasses' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
};

/** Each object on its own: one refused (say, by a stricter validation) must not keep the cluster from starting. */
async function ensureAll(client: ApiClient, objects: KubeObject[], onError: (error: unknown) => void): Promise<void> {
  for (const obj of objects) {
    const what = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? ''}`;
    const ref = RESOURCES[`${obj.apiVersion}/${obj.kind}`];
    if (!ref) {
      onError(new Error(`bootstrap: no resource known for ${obj.apiVersion} ${obj.kind}; add it to RESOURCES in system-workloads.ts`));
      continue;
    }
    try {
      await ensure(client, ref, obj);
    } catch (error) {
      onError(new Error(`bootstrap: could not create ${what}: ${error instanceof Error ? error.message : String(error)}; the cluster runs without it`));
    }
  }
}

export interface SystemWorkloadsInput {
  client: ApiClient;
  clock: Clock;
  /** The shared pods informer (started by its owner): the keeper follows mirror pods through it. */
  pods: Informer;
  onError: (error: unknown) => void;
}

export async function startSystemWorkloads(input: SystemWorkloadsInput): Promise<Disposable> {
  const { client } = input;
  const nodes = (await client.list(NODES, '')).items;
  const controlPlane = nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? nodes[0];
  const addresses = ((controlPlane?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
  const ip = addresses.find((a) => a.type === 'InternalIP')?.address ?? '172.18.0.2';
  const rbac = corednsRbac();
  // Accounts and config before the workloads that use them: a pod naming a missing account is refused.
  await ensureAll(client, [
    serviceAccount('coredns'),
    serviceAccount('kube-proxy'),
    ...rbac.roles,
    ...rbac.bindings,
    ...systemConfigMaps(ip),
    kubeDnsService(),
    corednsDeployment(),
    kubeProxyDaemonSet(),
    ingressNamespace(),
    ingressClass(),
    ...ingressObjects(),
  ], input.onError);
  const proxyEvents = kubeProxyStartEvents(input);
  if (!controlPlane) return proxyEvents;
  const keeper = new MirrorPodKeeper(input, { name: controlPlane.metadata.name ?? '', ip });
  await keeper.start();
  return { dispose: () => [keeper, proxyEvents].forEach((d) => d.dispose()) };
}

/**
 * kube-proxy records "Starting" on its Node each time it starts (kubectl describe node shows it, from
 * kube-proxy, with no message); its container cannot reach the API here, so it is recorded when a
 * kube-proxy pod's container starts running.
 */
function kubeProxyStartEvents(input: SystemWorkloadsInput): Disposable {
  const startedAt = (pod: KubeObject) => (pod.status as { containerStatuses?: { state?: { running?: { startedAt?: string } } }[] } | undefined)?.containerStatuses?.[0]?.state?.running?.startedAt;
  // What is already running was announced before (a restart replays old statuses): only new starts count.
  const started = new Map<string, string>(input.pods.list().flatMap((p) => (p.metadata.labels?.['k8s-app'] === 'kube-proxy' ? [[p.metadata.uid ?? '', startedAt(p) ?? '']] : [])));
  const recorders = new Map<string, EventRecorder>();
  return input.pods.onDidChange((event) => {
    const pod = event.object;
    if (pod.metadata.labels?.['k8s-app'] !== 'kube-proxy') return;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') return void started.delete(uid);
    const at = startedAt(pod);
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!at || !node || started.get(uid) === at) return;
    started.set(uid, at);
    let recorder = recorders.get(node);
    if (!recorder) recorders.set(node, (recorder = new EventRecorder(input.client, input.clock, 'kube-proxy', node, input.onError)));
    recorder.event({ kind: 'Node', metadata: { name: node, uid: node } } as KubeObject, 'Normal', 'Starting', '');
  });
}

class MirrorPodKeeper implements Disposable {
  private readonly manifests: Map<string, KubeObject>;
  private subscription: Disposable | undefined;
  private disposed = false;

  constructor(
    private readonly input: SystemWorkloadsInput,
    private readonly node: { name: string; ip: string },
  ) {
    this.manifests = new Map(staticPodManifests(node.name, node.ip).map((m) => [`${m.metadata.name ?? ''}-${node.name}`, m]));
  }

  async start(): Promise<void> {
    for (const name of this.manifests.keys()) await this.post(name).catch(this.input.onError);
    this.subscription = this.input.pods.onDidChange((event) => {
      const pod = event.object;
      const name = pod.metadata.name ?? '';
      if (pod.metadata.namespace !== 'kube-system' || !this.manifests.has(name)) return;
      if (event.type === 'DELETED') void this.post(name).catch(this.input.onError);
      else if (pod.metadata.deletionTimestamp && pod.metadata.annotations?.[MIRROR_ANNOTATION]) void this.remove(pod).catch(this.input.onError);
    });
  }

  /** Posts the mirror pod unless it exists; the Node must exist (it owns the pod). */
  private async post(name: string): Promise<void> {
    if (this.disposed) return;
    const manifest = this.manifests.get(name);
    if (!manifest) return;
    let node: KubeObject;
    try {
      node = await this.input.client.get(NODES, '', this.node.name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return;
      throw error;
    }
    await ensure(this.input.client, PODS, mirrorPod(manifest, { name: this.node.name, uid: node.metadata.uid ?? '' }, this.input.clock.now()));
  }

  private async remove(pod: KubeObject): Promise<void> {
    try {
      await this.input.client.delete(PODS, 'kube-system', pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) throw error;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
  }
}
