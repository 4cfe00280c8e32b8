// The cluster's network as the simulated containers see it: cluster DNS (services, headless
// services, pod A records, StatefulSet pod names) and connections to ClusterIPs (load-balanced over
// ready endpoints, round robin, as kube-proxy would) or straight to pod IPs. One for all kubelets.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient } from '../apiserver/client.js';
import { Informer } from '../controllers/informer.js';
import type { HttpRequest, HttpResponse, Network, NetworkEndpoint, Resolver } from '../runtime/types.js';
import { labelSelectorObjectMatches } from '../registry/selectors/label-selector.js';
import { KUBERNETES_SERVICE_IP } from './container-env.js';
import type { Kubelet } from './kubelet.js';

export const CLUSTER_DOMAIN = 'cluster.local';

export interface ClusterResolver {
  /** A-record lookup from a pod in `fromNamespace` (its search path applies); [] for NXDOMAIN. */
  lookup(name: string, fromNamespace: string): string[];
}

/** The runtime's Resolver and Network, plus search-path lookups and one-shot HTTP. */
export interface ClusterNetworkApi extends ClusterResolver, Resolver, Network {
  http(ip: string, port: number, request: HttpRequest): Promise<HttpResponse | undefined>;
}

interface Backend {
  podIP: string;
  port: number;
}

export class ClusterNetwork implements ClusterNetworkApi, Disposable {
  private readonly services: Informer;
  private readonly slices: Informer;
  private readonly cursor = new Map<string, number>();

  constructor(
    client: ApiClient,
    private readonly kubelets: () => Kubelet[],
    onError: (error: unknown) => void,
  ) {
    this.services = new Informer(client, { group: '', resource: 'services' }, onError);
    this.slices = new Informer(client, { group: 'discovery.k8s.io', resource: 'endpointslices' }, onError);
  }

  async start(): Promise<void> {
    await Promise.all([this.services.start(), this.slices.start()]);
  }

  dispose(): void {
    this.services.dispose();
    this.slices.dispose();
  }

  private pods() {
    return this.kubelets().flatMap((k) => (k.isRunning ? k.pods() : []));
  }

  private service(namespace: string, name: string): Service | undefined {
    return this.services.get(namespace, name) as Service | undefined;
  }

  /** Ready endpoints of a service: its EndpointSlices, else its selector over running pods. */
  private endpoints(svc: Service): { ip: string; hostname?: string; ports: Map<string, number> }[] {
    const ns = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    const slices = this.slices.list(ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name) as unknown as EndpointSlice[];
    if (slices.length > 0) {
      return slices.flatMap((slice) => {
        const ports = new Map((slice.ports ?? []).map((p) => [p.name ?? '', p.port ?? 0]));
        return slice.endpoints.filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses.map((ip) => ({ ip, hostname: e.hostname, ports })));
      });
    }
    const selector = svc.spec?.selector;
    if (!selector) return [];
    return this.pods()
      .filter((p) => p.namespace === ns && p.ready && p.podIP && labelSelectorObjectMatches({ matchLabels: selector }, p.labels))
      .map((p) => {
        const ports = new Map<string, number>();
        for (const sp of svc.spec?.ports ?? []) {
          const target = sp.targetPort ?? sp.port;
          const resolved = typeof target === 'number' ? target : (p.worker.namedContainers().flatMap((c) => c.spec.ports ?? []).find((cp) => cp.name === target)?.containerPort ?? 0);
          ports.set(sp.name ?? '', resolved);
        }
        return { ip: p.podIP ?? '', hostname: undefined, ports };
      });
  }

  lookup(name: string, fromNamespace: string): string[] {
    const fqdn = name.replace(/\.$/, '').toLowerCase();
    if (/^\d+\.\d+\.\d+\.\d+$/.test(fqdn)) return [fqdn];
    const suffix = `.${CLUSTER_DOMAIN}`;
    const candidates = fqdn.endsWith(suffix) ? [fqdn] : [`${fqdn}.${fromNamespace}.svc${suffix}`, `${fqdn}.svc${suffix}`, `${fqdn}${suffix}`];
    for (const candidate of candidates) {
      const found = this.lookupFqdn(candidate.slice(0, -suffix.length).split('.'));
      if (found.length > 0) return found;
    }
    return [];
  }

  private lookupFqdn(labels: string[]): string[] {
    // <a-b-c-d>.<ns>.pod
    if (labels.length === 3 && labels[2] === 'pod') return [labels[0].replace(/-/g, '.')];
    if (labels.length === 3 && labels[2] === 'svc') {
      const [svcName, ns] = labels;
      if (ns === 'default' && svcName === 'kubernetes') return [KUBERNETES_SERVICE_IP];
      const svc = this.service(ns, svcName);
      if (!svc) return [];
      if (svc.spec?.type === 'ExternalName') return [];
      const ip = svc.spec?.clusterIP;
      if (ip && ip !== 'None') return [ip];
      return this.endpoints(svc).map((e) => e.ip);
    }
    // <hostname>.<svc>.<ns>.svc: a StatefulSet pod behind its headless service.
    if (labels.length === 4 && labels[3] === 'svc') {
      const [host, svcName, ns] = labels;
      const svc = this.service(ns, svcName);
      if (!svc) return [];
      const byHostname = this.endpoints(svc).filter((e) => e.hostname === host).map((e) => e.ip);
      if (byHostname.length > 0) return byHostname;
      return this.pods()
        .filter((p) => p.namespace === ns && p.name === host && p.podIP)
        .map((p) => p.podIP ?? '');
    }
    return [];
  }

  /**
   * The Service kube-proxy's rules send ip:port to: its ClusterIP, a LoadBalancer ingress IP or an
   * externalIP (on the service port), or a node's address on a nodePort. undefined: not a service.
   */
  private serviceAt(ip: string, port: number): { svc: Service; sp: ServicePort | undefined } | undefined {
    const services = this.services.list() as unknown as Service[];
    const byPort = (s: Service) => (s.spec?.ports ?? []).find((p) => p.port === port);
    const virtual = services.find((s) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip));
    if (virtual) return { svc: virtual, sp: byPort(virtual) };
    const external = services.find((s) => (s.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip) || (s.spec?.externalIPs ?? []).includes(ip));
    if (external) return { svc: external, sp: byPort(external) };
    if (port >= 30000 && port <= 32767 && /^172\.18\.0\.\d+$/.test(ip)) {
      for (const s of services) {
        const sp = (s.spec?.ports ?? []).find((p) => p.nodePort === port);
        if (sp) return { svc: s, sp };
      }
    }
    return undefined;
  }

  /** ClusterIP:port -> a ready pod's IP and target port (round robin); pod IP:port -> itself. */
  private backend(ip: string, port: number): Backend | undefined {
    const found = this.serviceAt(ip, port);
    if (!found) return { podIP: ip, port };
    const { svc, sp } = found;
    if (!sp) return undefined;
    const candidates = this.endpoints(svc)
      .map((e) => ({ podIP: e.ip, port: e.ports.get(sp.name ?? '') ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port) }))
      .filter((b) => b.port > 0);
    if (candidates.length === 0) return undefined;
    const key = `${svc.metadata?.namespace}/${svc.metadata?.name}:${port}`;
    const n = this.cursor.get(key) ?? 0;
    this.cursor.set(key, n + 1);
    return candidates[n % candidates.length];
  }

  private listener(backend: Backend) {
    const pod = this.pods().find((p) => p.podIP === backend.podIP);
    return pod?.containers.find((c) => c.listeningPorts().includes(backend.port));
  }

  /** `<svc>.<ns>.svc.cluster.local` of an ExternalName service: its externalName, as CoreDNS answers the CNAME. */
  cname(fqdn: string): string | undefined {
    const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local\.?$/.exec(fqdn.toLowerCase());
    const svc = m ? this.service(m[2], m[1]) : undefined;
    return svc?.spec?.type === 'ExternalName' ? svc.spec.externalName : undefined;
  }

  /** Fully qualified names only ("web.default.svc.cluster.local"): the container applies its search list. */
  resolve(fqdn: string): string[] {
    const name = fqdn.replace(/\.$/, '').toLowerCase();
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return [name];
    const suffix = `.${CLUSTER_DOMAIN}`;
    return name.endsWith(suffix) ? this.lookupFqdn(name.slice(0, -suffix.length).split('.')) : [];
  }

  /** One connection: the backend (a ready pod, round robin) is chosen now, as kube-proxy picks per connection. */
  connect(ip: string, port: number): NetworkEndpoint | undefined {
    const b = this.backend(ip, port);
    const container = b ? this.listener(b) : undefined;
    if (!b || !container) return undefined;
    return { http: (request) => container.http(b.port, request), connect: () => container.connect(b.port) };
  }

  async http(ip: string, port: number, request: HttpRequest): Promise<HttpResponse | undefined> {
    return this.connect(ip, port)?.http(request);
  }

  /** Services, for anything else that needs them (service links, NodePort proxies). */
  serviceObjects(namespace?: string): KubeObject[] {
    return this.services.list(namespace);
  }
}
