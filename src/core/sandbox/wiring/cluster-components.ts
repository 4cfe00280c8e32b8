// Part 2 of the control plane: what makes the cluster behave. Workload controllers, the scheduler,
// the cluster controllers (endpoints, node lifecycle, volumes, quota, PDB, HPA) and one simulated
// kubelet per node over the simulated container runtime. All of them are API clients.
import { join } from 'node:path';
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import type { ResourceApi } from '../apiserver/resource-api.js';
import type { ServiceAccountTokens } from '../apiserver/auth/tokens.js';
import { startClusterControllers } from '../controllers/cluster/index.js';
import { InformerSet } from '../controllers/cluster/shared.js';
import { startWorkloadControllers } from '../controllers/workloads/index.js';
import { startKubelets, type KubeletFleet } from '../kubelet/fleet.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { createRuntime } from '../runtime/runtime.js';
import { startScheduler } from '../scheduler/index.js';
import { startIngress } from '../controllers/ingress/ingress-controller.js';
import { startSystemWorkloads } from '../bootstrap/system-workloads.js';

export interface ClusterComponentsInput {
  client: ApiClient;
  api: ResourceApi;
  registry: ResourceRegistry;
  clock: Clock;
  tokens: ServiceAccountTokens;
  onError: (error: unknown) => void;
  /** PVC data lives under <dataDir>/volumes; omitted: in memory. */
  dataDir?: string;
}

export interface ClusterComponents extends Disposable {
  fleet: KubeletFleet;
}

export async function startClusterComponents(input: ClusterComponentsInput): Promise<ClusterComponents> {
  const { client, clock, onError } = input;
  const disposables: Disposable[] = [];
  // One informer per resource for every component: a single cache of pods, not one per component.
  const informers = new InformerSet(client, onError);
  disposables.push(informers);
  const workloads = startWorkloadControllers({ client, clock, onError, shared: informers });
  disposables.push(workloads);
  const scheduler = startScheduler({ client, clock, onError, informers, registry: input.registry, api: input.api });
  disposables.push(scheduler);
  // ingress-nginx's routing table, read by its controller's containers, and the status it writes.
  const ingress = startIngress({ client, clock, informers, onError });
  disposables.push(ingress);
  // Every Node object gets its kubelet, including nodes added since the cluster was created.
  const nodes = (await client.list({ group: '', resource: 'nodes' }, '')).items.map((n) => n.metadata.name ?? '');
  const fleet = await startKubelets({
    client,
    clock,
    runtime: (net) => createRuntime({ clock, ...net, ingress: ingress.routes }),
    nodeNames: nodes,
    onError,
    volumeDir: input.dataDir ? join(input.dataDir, 'volumes') : undefined,
    // Projected ServiceAccount tokens, bound to the pod, as the kubelet gets them from TokenRequest.
    requestToken: async (namespace, serviceAccount, request) => {
      const sa = await client.get({ group: '', resource: 'serviceaccounts' }, namespace, serviceAccount);
      return input.tokens.issueToken({
        namespace,
        serviceAccountName: serviceAccount,
        serviceAccountUid: sa.metadata.uid ?? '',
        audiences: request.audiences,
        expirationSeconds: request.expirationSeconds,
        boundObject: { kind: 'Pod', name: request.boundObjectRef.name, uid: request.boundObjectRef.uid },
      }).token;
    },
  });
  disposables.push(fleet);
  const cluster = startClusterControllers({ client, clock, onError, informers, metrics: fleet.autoscalerMetrics });
  disposables.push(cluster);
  await Promise.all([workloads.synced, scheduler.ready, cluster.ready, ingress.start()]).catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
    onError(error);
  });
  // kube-system's static pods and add-ons, and ingress-nginx, run by the components above.
  disposables.push(await startSystemWorkloads({ client, clock, pods: informers.get({ group: '', resource: 'pods' }), onError }));
  return {
    fleet,
    dispose() {
      // Kubelets first: no pod should restart while its controllers are going away.
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}
