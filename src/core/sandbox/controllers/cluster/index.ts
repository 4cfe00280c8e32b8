// Entry point: startClusterControllers(deps) runs the cluster-level controllers of
// kube-controller-manager (endpoints, endpoint slices, node lifecycle, persistent volumes, quota
// status, disruption budgets, autoscalers, and a local cloud's service load balancers) over shared informers until disposed.
import type { Disposable } from '../../../../shared/disposable.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../../apiserver/client.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import { EndpointsController } from './endpoints-controller.js';
import { EventRecorder } from '../events/recorder.js';
import type { EventSink } from './shared.js';
import { DisruptionController } from './disruption-controller.js';
import { HorizontalPodAutoscalerController } from './hpa-controller.js';
import type { MetricsSource } from './metrics-source.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { ResourceQuotaController } from './resource-quota-controller.js';
import { PersistentVolumeController, PROVISIONER } from './persistent-volume-controller.js';
import { ServiceLoadBalancerController } from './service-load-balancer-controller.js';
import { InformerSet, type ControllerDeps } from './shared.js';

export { EventRecorder } from '../events/recorder.js';
export { InformerSet } from './shared.js';
export type { EventSink } from './shared.js';
export type { ContainerMetrics, MetricsSource, PodMetrics } from './metrics-source.js';

/** Without a metrics source the autoscaler reports what it reports without metrics-server. */
const NO_METRICS: MetricsSource = {
  podMetrics: () => Promise.reject(new Error('unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)')),
};

export interface ClusterControllersDeps {
  client: ApiClient;
  clock: Clock;
  onError?: (error: unknown) => void;
  /** Informers shared with other components (e.g. the scheduler); disposed by their owner. */
  informers?: InformerSet;
  /** Pod resource usage for the HorizontalPodAutoscaler (the simulated kubelets). */
  metrics?: MetricsSource;
  /** Events as "<component>" writes them; by default one recorder per controller component. */
  events?: (component: string) => EventSink;
}

interface Startable extends Disposable {
  start(): void;
  idle(): Promise<void>;
}

export interface RunningClusterControllers extends Disposable {
  /** Settles once informers synced and every controller queued its initial work. */
  readonly ready: Promise<void>;
  /** Resolves when every controller's queue is empty (tests). */
  idle(): Promise<void>;
}

export function startClusterControllers(deps: ClusterControllersDeps): RunningClusterControllers {
  const onError = deps.onError ?? (() => undefined);
  const informers = deps.informers ?? new InformerSet(deps.client, onError);
  const recorder = (component: string) => deps.events?.(component) ?? new EventRecorder(deps.client, deps.clock, component, undefined, onError);
  const base = (component: string): ControllerDeps => ({ client: deps.client, clock: deps.clock, informers, events: recorder(component), onError });
  const controllers: Startable[] = [
    new EndpointsController(base('endpoint-controller')),
    new EndpointSliceController(base('endpoint-slice-controller')),
    new NodeLifecycleController(base('node-controller'), recorder('taint-eviction-controller')),
    new PersistentVolumeController(base('persistentvolume-controller'), recorder(`${PROVISIONER}_kubedesk-control-plane`)),
    new ResourceQuotaController(base('resourcequota-controller')),
    new DisruptionController(base('controllermanager')),
    new HorizontalPodAutoscalerController(base('horizontal-pod-autoscaler'), deps.metrics ?? NO_METRICS),
    new ServiceLoadBalancerController(base('service-controller')),
  ];
  let disposed = false;
  const ready = informers.start().then(() => {
    if (disposed) return;
    for (const c of controllers) c.start();
  });
  ready.catch(onError);
  return {
    ready,
    async idle() {
      // Twice: a sync's writes come back through informers and may queue more work.
      for (let i = 0; i < 2; i++) {
        await Promise.all(controllers.map((c) => c.idle()));
        await new Promise((r) => setTimeout(r, 5));
      }
      await Promise.all(controllers.map((c) => c.idle()));
    },
    dispose() {
      disposed = true;
      for (const c of controllers) c.dispose();
      if (!deps.informers) informers.dispose();
    },
  };
}
