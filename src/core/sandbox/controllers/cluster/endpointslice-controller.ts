// The EndpointSlice controller: discovery.k8s.io/v1 slices per Service with a selector, named
// <service>-<5 random> by the API server's generateName, one slice per port set (100 endpoints at most
// each), conditions ready/serving/terminating; plus the apiserver's own `kubernetes` slice.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { APISERVER_ADDRESS, APISERVER_PORT, backendsOf, isHeadless, portsKey, serviceSelector, targetRef, type Backend, type ServicePort } from './endpoint-model.js';
import { QueueController, REFS, key, rfc3339, splitKey, tolerate, type ControllerDeps } from './shared.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const MAX_ENDPOINTS = 100;

interface DesiredSlice {
  ports: ServicePort[] | null;
  endpoints: Record<string, unknown>[] | null;
}

function endpointOf(b: Backend): Record<string, unknown> {
  const spec = (b.pod.spec ?? {}) as { nodeName?: string; hostname?: string; subdomain?: string };
  return {
    addresses: [b.ip],
    conditions: { ready: b.ready, serving: b.serving, terminating: b.terminating },
    ...(spec.hostname && spec.subdomain ? { hostname: spec.hostname } : {}),
    targetRef: targetRef(b.pod),
    ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
  };
}

export class EndpointSliceController extends QueueController {
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly slices: Informer;

  constructor(deps: ControllerDeps) {
    super(deps);
    this.services = this.watch(REFS.services, (e) => this.queue.add(key(e.object)));
    this.pods = this.watch(REFS.pods, (e) => this.podChanged(e.object, e.old));
    this.slices = this.watch(REFS.endpointSlices, (e) => {
      const svc = e.object.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.queue.add(`${e.object.metadata.namespace ?? ''}/${svc}`);
    });
  }

  start(): void {
    this.enqueueAll(this.services);
  }

  private podChanged(pod: KubeObject, old: KubeObject | undefined): void {
    for (const svc of this.services.list(pod.metadata.namespace ?? '')) {
      const selector = serviceSelector(svc);
      if (!selector) continue;
      const matches = (p: KubeObject | undefined) => p !== undefined && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v);
      if (matches(pod) || matches(old)) this.queue.add(key(svc));
    }
  }

  private owned(ns: string, name: string, managedBy: string | undefined): KubeObject[] {
    return this.slices.list(ns).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === managedBy);
  }

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const svc = this.services.get(ns, name);
    const { client } = this.deps;
    if (ns === 'default' && name === 'kubernetes') return this.syncApiserver(svc);
    const existing = this.owned(ns, name, MANAGED_BY);
    if (!svc || !serviceSelector(svc)) {
      // Garbage collection would also remove them (owner reference); do it now as upstream does.
      for (const s of existing) await tolerate(() => client.delete(REFS.endpointSlices, ns, s.metadata.name ?? ''));
      return;
    }
    const desired = this.desired(svc);
    const labels: Record<string, string> = {
      ...(svc.metadata.labels ?? {}),
      [SERVICE_NAME_LABEL]: name,
      [MANAGED_BY_LABEL]: MANAGED_BY,
      ...(isHeadless(svc) ? { 'service.kubernetes.io/headless': '' } : {}),
    };
    const unused = [...existing];
    for (const want of desired) {
      // Reuse a slice with the same ports (or any leftover) rather than churn names.
      let index = unused.findIndex((s) => portsKey((s.ports as ServicePort[] | null) ?? []) === portsKey(want.ports ?? []));
      if (index < 0 && unused.length > 0) index = 0;
      const slice = index >= 0 ? unused.splice(index, 1)[0] : undefined;
      await this.write(svc, slice, want, labels);
    }
    for (const s of unused) await tolerate(() => client.delete(REFS.endpointSlices, ns, s.metadata.name ?? ''));
  }

  private desired(svc: KubeObject): DesiredSlice[] {
    const groups = new Map<string, { ports: ServicePort[]; endpoints: Record<string, unknown>[] }>();
    for (const b of backendsOf(svc, this.pods)) {
      const k = portsKey(b.ports);
      let g = groups.get(k);
      if (!g) {
        g = { ports: b.ports, endpoints: [] };
        groups.set(k, g);
      }
      g.endpoints.push(endpointOf(b));
    }
    // A service without endpoints still has one (empty) slice, as upstream's placeholder.
    if (groups.size === 0) return [{ ports: null, endpoints: null }];
    const out: DesiredSlice[] = [];
    for (const g of groups.values()) {
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS) out.push({ ports: g.ports.length > 0 ? g.ports : null, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS) });
    }
    return out;
  }

  private async write(svc: KubeObject, slice: KubeObject | undefined, want: DesiredSlice, labels: Record<string, string>): Promise<void> {
    const ns = svc.metadata.namespace ?? '';
    const now = rfc3339(this.deps.clock.now());
    if (!slice) {
      await tolerate(
        () =>
          this.deps.client.create(REFS.endpointSlices, ns, {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              generateName: `${svc.metadata.name ?? ''}-`,
              namespace: ns,
              labels,
              annotations: { [TRIGGER_TIME]: now },
              ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
            },
            addressType: 'IPv4',
            endpoints: want.endpoints,
            ports: want.ports,
          }),
        [403, 404, 409],
      );
      return;
    }
    const same =
      JSON.stringify(slice.endpoints ?? null) === JSON.stringify(want.endpoints) &&
      JSON.stringify(slice.ports ?? null) === JSON.stringify(want.ports) &&
      JSON.stringify(slice.metadata.labels ?? {}) === JSON.stringify(labels);
    if (same) return;
    const updated = await tolerate(() =>
      this.deps.client.update(REFS.endpointSlices, ns, {
        ...slice,
        metadata: { ...slice.metadata, labels, annotations: { ...(slice.metadata.annotations ?? {}), [TRIGGER_TIME]: now } },
        endpoints: want.endpoints,
        ports: want.ports,
      }),
    );
    if (!updated) this.queue.addAfter(key(svc), 100);
  }

  /** kube-apiserver maintains the `kubernetes` service's slice itself (no managed-by label). */
  private async syncApiserver(svc: KubeObject | undefined): Promise<void> {
    if (!svc) return;
    const endpoints = [{ addresses: [APISERVER_ADDRESS], conditions: { ready: true } }];
    const ports = [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }];
    const existing = this.slices.get('default', 'kubernetes');
    if (existing && JSON.stringify(existing.endpoints) === JSON.stringify(endpoints) && JSON.stringify(existing.ports) === JSON.stringify(ports)) return;
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...(existing?.metadata ?? {}), name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    if (existing) await tolerate(() => this.deps.client.update(REFS.endpointSlices, 'default', slice));
    else await tolerate(() => this.deps.client.create(REFS.endpointSlices, 'default', slice), [409]);
  }
}
