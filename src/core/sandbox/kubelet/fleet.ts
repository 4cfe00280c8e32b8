// Every simulated node's kubelet, with what they share: the container runtime, the log store, the
// volume stores (emptyDir per pod, hostPath per node, PVC data per volume) and the cluster network.
import { join } from 'node:path';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import type { Container, ContainerRuntime, Network, Resolver, VolumeStore } from '../runtime/types.js';
import { Informer, metadataOnly } from '../controllers/informer.js';
import { ClusterNetwork, type ClusterNetworkApi } from './cluster-network.js';
import type { TokenRequest } from './container-volumes.js';
import { Kubelet } from './kubelet.js';
import { MemoryLogStore, type LogStore } from './log-store.js';
import { NodePodIndex } from './node-pods.js';
import { KubeletMetrics, type AutoscalerMetricsSource, type MetricsSource } from './metrics.js';
import { DiskVolumeStore, MemoryVolumeStore } from './volume-store.js';
import { NodePodLogsView } from './node-log-view.js';

export interface KubeletFleetDeps {
  client: ApiClient;
  clock: Clock;
  /**
   * The container runtime, or a factory given the cluster network it needs (createRuntime's
   * resolver and network come from the kubelets): `runtime: (net) => createRuntime({ clock, ...net })`.
   */
  runtime: ContainerRuntime | ((net: { resolver: Resolver; network: Network }) => ContainerRuntime);
  nodeNames: string[];
  /**
   * TokenRequest for projected ServiceAccount tokens (the in-process client cannot POST
   * subresources): wire it to the API's serviceaccounts/token handler.
   */
  requestToken?: (namespace: string, serviceAccount: string, request: TokenRequest) => Promise<string>;
  onError?: (error: unknown) => void;
  /** Where PVC data is kept (e.g. <data-dir>/volumes); omitted: in memory, lost when the sandbox stops. */
  volumeDir?: string;
  /** Per container instance (default 10 MiB). */
  maxLogBytes?: number;
}

export interface KubeletFleet extends Disposable {
  node(name: string): Kubelet | undefined;
  nodes(): Kubelet[];
  logs: LogStore;
  /** exec/attach/port-forward: the running instance; container omitted: the pod's first container. */
  containerFor(namespace: string, pod: string, container?: string): Container | undefined;
  metrics: MetricsSource;
  /** The same numbers in the HorizontalPodAutoscaler controller's MetricsSource shape. */
  autoscalerMetrics: AutoscalerMetricsSource;
  network: ClusterNetworkApi;
  runtime: ContainerRuntime;
}

export async function startKubelets(deps: KubeletFleetDeps): Promise<KubeletFleet> {
  const onError = deps.onError ?? (() => undefined);
  const logs = new MemoryLogStore(deps.maxLogBytes);
  const stores = new Map<string, VolumeStore>();
  const store = (kind: string, key: string): VolumeStore => {
    const k = `${kind}:${key}`;
    let s = stores.get(k);
    if (!s && kind === 'hostPath' && key.endsWith(':/var/log/pods')) {
      // The node's pod logs, live (a node shell pod mounts them).
      const node = key.slice(0, -':/var/log/pods'.length);
      s = new NodePodLogsView(() => kubelets.get(node)?.pods() ?? [], logs);
      stores.set(k, s);
    }
    if (!s) {
      // PV names are DNS subdomains; an unbound claim's key is "<ns>/<claim>", made one path segment.
      s = kind === 'pvc' && deps.volumeDir ? new DiskVolumeStore(join(deps.volumeDir, key.replace(/\//g, '_'))) : new MemoryVolumeStore();
      stores.set(k, s);
    }
    return s;
  };
  const requestToken =
    deps.requestToken ??
    (async () => {
      throw new Error('kubelet: no TokenRequest function was given to startKubelets (requestToken); projected ServiceAccount tokens cannot be mounted');
    });
  const kubelets = new Map<string, Kubelet>();
  const list = () => [...kubelets.values()];
  const network = new ClusterNetwork(deps.client, list, onError);
  const runtime = typeof deps.runtime === 'function' ? deps.runtime({ resolver: network, network }) : deps.runtime;
  // One pod watch for every kubelet, dispatched by node (not a selector per node per pod change).
  const podIndex = new NodePodIndex(deps.client, onError);
  const makeKubelet = (name: string) =>
    new Kubelet(name, {
      client: deps.client,
      clock: deps.clock,
      runtime,
      logs,
      store,
      requestToken,
      services: (ns) => network.serviceObjects(ns) as unknown as Service[],
      podSource: (node, handler) => podIndex.source(node, handler),
      onError,
    });
  for (const name of deps.nodeNames) kubelets.set(name, makeKubelet(name));
  await Promise.all([network.start(), podIndex.start()]);
  await Promise.all(list().map((k) => k.start()));
  // Nodes added later (kubectl create -f node.yaml, the app's "add node") get a kubelet too; a
  // deleted Node's kubelet stops.
  const nodes = new Informer(deps.client, { group: '', resource: 'nodes' }, onError, metadataOnly);
  nodes.onDidChange((event) => {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'ADDED' && !kubelets.has(name)) {
      const kubelet = makeKubelet(name);
      kubelets.set(name, kubelet);
      kubelet.start().catch(onError);
    } else if (event.type === 'DELETED') {
      kubelets.get(name)?.stop();
      kubelets.delete(name);
    }
  });
  await nodes.start();
  const find = (namespace: string, pod: string) => {
    for (const k of list()) {
      const p = k.pods().find((x) => x.namespace === namespace && x.name === pod);
      if (p) return p;
    }
    return undefined;
  };
  const metrics = new KubeletMetrics(list, deps.clock);
  return {
    node: (name) => kubelets.get(name),
    nodes: list,
    logs,
    containerFor(namespace, pod, container) {
      const p = find(namespace, pod);
      if (!p) return undefined;
      const named = p.worker.namedContainers();
      return container ? p.worker.container(container) : named[0]?.container;
    },
    metrics,
    autoscalerMetrics: metrics.forAutoscaler(),
    network,
    runtime,
    dispose() {
      nodes.dispose();
      for (const k of list()) k.stop();
      podIndex.dispose();
      network.dispose();
    },
  };
}
