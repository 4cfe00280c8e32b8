// The service load-balancer controller: what a local cloud (kind's cloud-provider, MetalLB) does for
// a Service of type LoadBalancer — it takes an address from a pool (172.18.255.200-250 by default),
// writes it into status.loadBalancer.ingress so EXTERNAL-IP stops being <pending>, and gives it back
// when the service is deleted or changes type. Services naming another loadBalancerClass are left to
// that implementation, as upstream does.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { QueueController, REFS, asArray, asObj, key, splitKey, tolerate, type ControllerDeps } from './shared.js';

export interface AddressPool {
  /** Dotted-quad prefix shared by every address, e.g. "172.18.255." */
  prefix: string;
  first: number;
  last: number;
}

export const DEFAULT_POOL: AddressPool = { prefix: '172.18.255.', first: 200, last: 250 };

function ingressIps(svc: KubeObject): string[] {
  const lb = asObj(asObj(svc.status).loadBalancer);
  return asArray(lb.ingress)
    .map((i) => i.ip)
    .filter((ip): ip is string => typeof ip === 'string');
}

function wantsAddress(svc: KubeObject): boolean {
  const spec = asObj(svc.spec);
  return spec.type === 'LoadBalancer' && spec.loadBalancerClass === undefined && !svc.metadata.deletionTimestamp;
}

export class ServiceLoadBalancerController extends QueueController {
  private readonly services: Informer;

  constructor(
    deps: ControllerDeps,
    private readonly pool: AddressPool = DEFAULT_POOL,
  ) {
    super(deps);
    this.services = this.watch(REFS.services, (e) => {
      if (e.type !== 'DELETED') this.queue.add(key(e.object));
      else if (ingressIps(e.object).length > 0) {
        // A freed address may be what a pending service waits for.
        for (const svc of this.services.list()) if (wantsAddress(svc) && ingressIps(svc).length === 0) this.queue.add(key(svc));
      }
    });
  }

  start(): void {
    this.enqueueAll(this.services);
  }

  /** Addresses held by other services (read from status, so a restart keeps every assignment). */
  private taken(except: string): Set<string> {
    const used = new Set<string>();
    for (const svc of this.services.list()) if (key(svc) !== except) for (const ip of ingressIps(svc)) used.add(ip);
    return used;
  }

  private allocate(k: string, requested: unknown): string | undefined {
    const used = this.taken(k);
    if (typeof requested === 'string' && requested !== '') return used.has(requested) ? undefined : requested;
    for (let n = this.pool.first; n <= this.pool.last; n++) {
      const ip = `${this.pool.prefix}${n}`;
      if (!used.has(ip)) return ip;
    }
    return undefined;
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const svc = this.services.get(ns, name);
    if (!svc) return;
    const current = ingressIps(svc);
    if (!wantsAddress(svc)) {
      // A service that stopped being a LoadBalancer gives its address back.
      if (current.length === 0 || asObj(svc.spec).loadBalancerClass !== undefined) return;
      const updated = await tolerate(() => this.deps.client.update(REFS.services, ns, { ...svc, status: { ...asObj(svc.status), loadBalancer: {} } }, { subresource: 'status' }));
      if (updated) this.deps.events.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      else this.queue.addAfter(k, 100);
      return;
    }
    const requested = asObj(svc.spec).loadBalancerIP;
    if (current.length > 0 && (typeof requested !== 'string' || requested === '' || current.includes(requested))) return;
    this.deps.events.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    const ip = this.allocate(k, requested);
    if (!ip) {
      const why = typeof requested === 'string' && requested !== '' ? `requested address ${requested} is already in use` : `no address left in ${this.pool.prefix}${this.pool.first}-${this.pool.last}`;
      this.deps.events.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${why}`);
      // Retried when another service frees an address (see the DELETED handler).
      return;
    }
    const status = { ...asObj(svc.status), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    const updated = await tolerate(() => this.deps.client.update(REFS.services, ns, { ...svc, status }, { subresource: 'status' }));
    if (!updated) {
      this.queue.addAfter(k, 100);
      return;
    }
    this.deps.events.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }
}
