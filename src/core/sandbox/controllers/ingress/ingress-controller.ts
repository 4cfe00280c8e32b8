// What the ingress-nginx controller writes to the API, done on its behalf while its pod runs: a
// "Sync" event ("Scheduled for sync", from nginx-ingress-controller) for each new or changed Ingress
// of its class, and status.loadBalancer.ingress set to its published Service's external address
// (--publish-service), which is the ADDRESS column of `kubectl get ingress`. Nothing happens while
// no controller pod is Ready, as with a real controller that is not running. The requests themselves
// are routed inside the controller's container (runtime/images/ingress-nginx.ts) by IngressRouter.
import type { Disposable } from '../../../../shared/disposable.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient, ResourceRef } from '../../apiserver/client.js';
import { EventRecorder } from '../events/recorder.js';
import type { Informer } from '../informer.js';
import { InformerSet, QueueController, REFS, asArray, asObj, key, podReady, splitKey, tolerate, type ControllerDeps } from '../cluster/shared.js';
import type { Clock } from '../../../clock/clock.js';
import { IngressRouter, classOf, classesOf } from './ingress-router.js';

export const INGRESSES: ResourceRef = { group: 'networking.k8s.io', resource: 'ingresses' };
export const INGRESS_CLASSES: ResourceRef = { group: 'networking.k8s.io', resource: 'ingressclasses' };

export interface IngressControllerOptions {
  /** The IngressClass controller name it serves. */
  controller: string;
  /** Where its pods and published Service live. */
  namespace: string;
  /** The published Service (--publish-service) and the pods' component label. */
  service: string;
}

export const INGRESS_NGINX: IngressControllerOptions = { controller: 'k8s.io/ingress-nginx', namespace: 'ingress-nginx', service: 'ingress-nginx-controller' };

function lbAddresses(obj: KubeObject | undefined): Record<string, unknown>[] {
  return asArray(asObj(asObj(obj?.status).loadBalancer).ingress).map((i) => (typeof i.ip === 'string' ? { ip: i.ip } : { hostname: i.hostname }));
}

export class IngressStatusController extends QueueController {
  private readonly ingresses: Informer;
  private readonly classes: Informer;
  private readonly services: Informer;
  private readonly pods: Informer;
  /** Ingress uid -> generation last announced with a Sync event. */
  private readonly announced = new Map<string, number>();

  constructor(
    deps: ControllerDeps,
    private readonly options: IngressControllerOptions,
  ) {
    super(deps);
    this.ingresses = this.watch(INGRESSES, (e) => {
      if (e.type === 'DELETED') this.announced.delete(e.object.metadata.uid ?? '');
      else this.queue.add(key(e.object));
    });
    this.classes = this.watch(INGRESS_CLASSES, () => this.enqueueAll(this.ingresses));
    this.services = this.watch(REFS.services, (e) => this.ours(e.object) && this.enqueueAll(this.ingresses));
    this.pods = this.watch(REFS.pods, (e) => e.object.metadata.namespace === options.namespace && this.enqueueAll(this.ingresses));
  }

  private ours(obj: KubeObject): boolean {
    return obj.metadata.namespace === this.options.namespace && obj.metadata.name === this.options.service;
  }

  start(): void {
    this.enqueueAll(this.ingresses);
  }

  private controllerPods(): KubeObject[] {
    return this.pods.list(this.options.namespace).filter((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'controller' && !p.metadata.deletionTimestamp && podReady(p));
  }

  private running(): boolean {
    return this.controllerPods().length > 0;
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const ingress = this.ingresses.get(ns, name);
    if (!ingress || ingress.metadata.deletionTimestamp || !this.running()) return;
    const cls = classOf(ingress);
    if (cls === undefined || !classesOf(this.classes, this.options.controller).has(cls)) return;
    const uid = ingress.metadata.uid ?? '';
    const generation = ingress.metadata.generation ?? 1;
    if (this.announced.get(uid) !== generation) {
      this.announced.set(uid, generation);
      this.deps.events.event(ingress, 'Normal', 'Sync', 'Scheduled for sync');
      // Each controller regenerates nginx.conf and reloads, and says so on its pod.
      for (const pod of this.controllerPods()) this.deps.events.event(pod, 'Normal', 'RELOAD', 'NGINX reload triggered due to a change in configuration');
    }
    const wanted = lbAddresses(this.services.get(this.options.namespace, this.options.service));
    if (wanted.length === 0 || JSON.stringify(lbAddresses(ingress)) === JSON.stringify(wanted)) return;
    const updated = await tolerate(() => this.deps.client.update(INGRESSES, ns, { ...ingress, status: { ...asObj(ingress.status), loadBalancer: { ingress: wanted } } }, { subresource: 'status' }));
    if (!updated) return this.queue.addAfter(k, 200);
    // Its informer sees the status change as an update of the Ingress and schedules it again:
    // describe shows "Scheduled for sync" (x2) on a new Ingress, as with ingress-nginx.
    this.deps.events.event(updated, 'Normal', 'Sync', 'Scheduled for sync');
  }
}

export interface RunningIngress extends Disposable {
  /** What ingress controller containers route by (RuntimeDeps.ingress). */
  routes: IngressRouter;
  /** Starts the status controller once the shared informers are started by their owner. */
  start(): Promise<void>;
}

/** The router and status controller of ingress-nginx over the shared informers. */
export function startIngress(deps: { client: ApiClient; clock: Clock; informers: InformerSet; onError: (error: unknown) => void }): RunningIngress {
  const { client, clock, informers, onError } = deps;
  const routes = new IngressRouter({ ingresses: informers.get(INGRESSES), classes: informers.get(INGRESS_CLASSES), services: informers.get(REFS.services), slices: informers.get(REFS.endpointSlices) });
  const events = new EventRecorder(client, clock, 'nginx-ingress-controller', undefined, onError);
  const controller = new IngressStatusController({ client, clock, informers, events, onError }, INGRESS_NGINX);
  return {
    routes,
    async start() {
      await informers.start();
      controller.start();
    },
    dispose: () => controller.dispose(),
  };
}
