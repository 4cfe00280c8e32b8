// The workload controllers kube-controller-manager runs (deployment, replicaset, statefulset,
// daemonset, job, cronjob), started together over their own informers.
//
// Wiring (control-plane.ts, after the informers of start() have synced):
//   const workloads = startWorkloadControllers({ client, clock, onError });
//   controllers.push(workloads);            // dispose() on stop
import type { Disposable } from '../../../../shared/disposable.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../../apiserver/client.js';
import { Informer } from '../informer.js';
import type { QueueController, WorkloadInformers } from './base.js';
import { CRONJOBS, DAEMONSETS, DEPLOYMENTS, JOBS, NODES, PODS, PVCS, REPLICASETS, REVISIONS, STATEFULSETS } from './common.js';
import { DeploymentController } from './deployment-controller.js';
import { ChildIndex } from './ownership.js';
import { ReplicaSetController } from './replicaset-controller.js';
import { JobController } from './job-controller.js';
import { CronJobController } from './cronjob-controller.js';
import { StatefulSetController } from './statefulset-controller.js';
import { DaemonSetController } from './daemonset-controller.js';
import type { InformerSet } from '../cluster/shared.js';

export interface WorkloadControllerDeps {
  client: ApiClient;
  clock: Clock;
  onError: (error: unknown) => void;
  /**
   * Informers shared with the scheduler and cluster controllers (started and disposed by their
   * owner): one cache of pods for all of them instead of one each — memory at 50,000 pods.
   */
  shared?: InformerSet;
}

export interface WorkloadControllers extends Disposable {
  /** Resolves once every informer has listed and the controllers have started. */
  readonly synced: Promise<void>;
  /** Resolves when every controller queue is drained (tests). */
  idle(): Promise<void>;
  /** A counter of informer events seen, to tell when the system is quiet (tests). */
  activity(): number;
}

export function startWorkloadControllers(deps: WorkloadControllerDeps): WorkloadControllers {
  const { client, onError } = deps;
  const shared = deps.shared;
  const informer = (ref: ConstructorParameters<typeof Informer>[1]) => (shared ? shared.get(ref) : new Informer(client, ref, onError));
  const informers: WorkloadInformers = {
    pods: informer(PODS),
    nodes: informer(NODES),
    replicaSets: informer(REPLICASETS),
    deployments: informer(DEPLOYMENTS),
    statefulSets: informer(STATEFULSETS),
    daemonSets: informer(DAEMONSETS),
    controllerRevisions: informer(REVISIONS),
    persistentVolumeClaims: informer(PVCS),
    jobs: informer(JOBS),
    cronJobs: informer(CRONJOBS),
  };
  let events = 0;
  const counters = Object.values(informers).map((i) => i.onDidChange(() => events++));
  const podIndex = new ChildIndex(informers.pods);
  const controllerDeps = { ...deps, informers, podIndex };
  const controllers: QueueController[] = [new ReplicaSetController(controllerDeps), new DeploymentController(controllerDeps), new JobController(controllerDeps), new CronJobController(controllerDeps), new StatefulSetController(controllerDeps), new DaemonSetController(controllerDeps)];
  let disposed = false;
  const synced = (shared ? shared.start() : Promise.all(Object.values(informers).map((i) => i.start()))).then(() => {
    if (disposed) return;
    for (const c of controllers) c.start();
  });
  synced.catch(onError);
  return {
    synced,
    async idle() {
      await Promise.all(controllers.map((c) => c.idle()));
    },
    activity: () => events,
    dispose() {
      disposed = true;
      for (const c of controllers) c.dispose();
      for (const c of counters) c.dispose();
      podIndex.dispose();
      if (!shared) for (const i of Object.values(informers)) i.dispose();
    },
  };
}
