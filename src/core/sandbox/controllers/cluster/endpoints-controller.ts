// The Endpoints controller: one Endpoints object per Service with a selector, its subsets grouping
// ready and not-ready addresses by resolved port set; and, as kube-apiserver's reconciler, the
// `kubernetes` service's endpoints pointing at the control-plane node.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Informer } from '../informer.js';
import { APISERVER_ADDRESS, APISERVER_PORT, backendsOf, isHeadless, portsKey, serviceSelector, targetRef, type ServicePort } from './endpoint-model.js';
import { QueueController, REFS, asObj, key, rfc3339, splitKey, tolerate, type ControllerDeps } from './shared.js';

const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

export class EndpointsController extends QueueController {
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly endpoints: Informer;

  constructor(deps: ControllerDeps) {
    super(deps);
    this.services = this.watch(REFS.services, (e) => this.queue.add(key(e.object)));
    this.pods = this.watch(REFS.pods, (e) => this.podChanged(e.object, e.old));
    this.endpoints = this.watch(REFS.endpoints, (e) => {
      if (this.services.get(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '')) this.queue.add(key(e.object));
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

  protected async sync(k: string): Promise<void> {
    const [ns, name] = splitKey(k);
    const svc = this.services.get(ns, name);
    const { client } = this.deps;
    if (!svc) {
      if (this.endpoints.get(ns, name)) await tolerate(() => client.delete(REFS.endpoints, ns, name));
      return;
    }
    let subsets: Record<string, unknown>[];
    if (ns === 'default' && name === 'kubernetes') {
      subsets = [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }];
    } else if (serviceSelector(svc)) {
      subsets = this.subsets(svc);
    } else {
      return; // Without a selector, Endpoints belong to the user.
    }
    const labels = { ...(svc.metadata.labels ?? {}), ...(isHeadless(svc) ? { 'service.kubernetes.io/headless': '' } : {}) };
    const existing = this.endpoints.get(ns, name);
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: ns, labels, annotations: { [TRIGGER_TIME]: rfc3339(this.deps.clock.now()) } },
      ...(subsets.length > 0 ? { subsets } : {}),
    };
    if (!existing) {
      await tolerate(() => client.create(REFS.endpoints, ns, desired), [409, 403, 404]);
      return;
    }
    const same = JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(existing.metadata.labels ?? {}) === JSON.stringify(labels);
    if (same) return;
    const updated: KubeObject = {
      ...existing,
      metadata: { ...existing.metadata, labels, annotations: { ...(existing.metadata.annotations ?? {}), [TRIGGER_TIME]: rfc3339(this.deps.clock.now()) } },
    };
    if (subsets.length > 0) updated.subsets = subsets;
    else delete updated.subsets;
    const result = await tolerate(() => client.update(REFS.endpoints, ns, updated));
    if (!result) this.queue.addAfter(k, 100);
  }

  private subsets(svc: KubeObject): Record<string, unknown>[] {
    const groups = new Map<string, { ports: ServicePort[]; addresses: Record<string, unknown>[]; notReady: Record<string, unknown>[] }>();
    const svcName = svc.metadata.name ?? '';
    for (const b of backendsOf(svc, this.pods)) {
      if (b.ports.length === 0 && (asObj(svc.spec).ports as unknown[] | undefined)?.length) continue;
      if (b.terminating && !b.ready) continue;
      const spec = asObj(b.pod.spec);
      const address: Record<string, unknown> = { ip: b.ip };
      if (typeof spec.hostname === 'string' && spec.subdomain === svcName) address.hostname = spec.hostname;
      if (typeof spec.nodeName === 'string' && spec.nodeName) address.nodeName = spec.nodeName;
      address.targetRef = targetRef(b.pod);
      const k = portsKey(b.ports);
      let g = groups.get(k);
      if (!g) {
        g = { ports: b.ports, addresses: [], notReady: [] };
        groups.set(k, g);
      }
      (b.ready ? g.addresses : g.notReady).push(address);
    }
    return [...groups.values()].map((g) => ({
      ...(g.addresses.length > 0 ? { addresses: g.addresses } : {}),
      ...(g.notReady.length > 0 ? { notReadyAddresses: g.notReady } : {}),
      ...(g.ports.length > 0 ? { ports: g.ports } : {}),
    }));
  }
}
