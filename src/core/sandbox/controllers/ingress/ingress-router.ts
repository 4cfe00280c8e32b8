// The routing table an ingress controller builds from Ingresses: for a request's Host and path, the
// matching rule of an Ingress whose IngressClass names that controller, as ingress-nginx chooses it
// (exact host before wildcard before no host; Exact before Prefix; the longest path wins; Prefix
// matches whole path elements; ImplementationSpecific is a plain prefix, or a case-insensitive regex
// with nginx.ingress.kubernetes.io/use-regex or rewrite-target), then the backend Service's ready
// endpoints from its EndpointSlices (ingress-nginx balances over pod IPs, not the ClusterIP).
import type { KubeObject } from '../../../../shared/kube.js';
import type { IngressRoute, IngressRoutes } from '../../runtime/types.js';
import type { Informer } from '../informer.js';
import { asArray, asObj, type Obj } from '../cluster/shared.js';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const REWRITE = 'nginx.ingress.kubernetes.io/rewrite-target';
const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';

export interface IngressInformers {
  ingresses: Informer;
  classes: Informer;
  services: Informer;
  slices: Informer;
}

interface Candidate {
  ingress: KubeObject;
  backend: Obj;
  hostRank: number;
  exact: boolean;
  length: number;
  pattern?: string;
}

/** Names of the IngressClasses whose spec.controller is `controller`. */
export function classesOf(classes: Informer, controller: string): Set<string> {
  return new Set(classes.list().filter((c) => asObj(c.spec).controller === controller).map((c) => c.metadata.name ?? ''));
}

/** The class an Ingress asks for: spec.ingressClassName, else the legacy annotation. */
export function classOf(ingress: KubeObject): string | undefined {
  const name = asObj(ingress.spec).ingressClassName;
  return typeof name === 'string' ? name : ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
}

function hostRank(ruleHost: unknown, host: string): number {
  if (typeof ruleHost !== 'string' || ruleHost === '') return 1;
  if (ruleHost.toLowerCase() === host) return 3;
  if (ruleHost.startsWith('*.')) {
    const rest = host.slice(host.indexOf('.') + 1);
    return host.includes('.') && rest === ruleHost.slice(2).toLowerCase() ? 2 : 0;
  }
  return 0;
}

function regexFor(ingress: KubeObject): boolean {
  const a = ingress.metadata.annotations ?? {};
  return a[USE_REGEX] === 'true' || a[REWRITE] !== undefined;
}

function pathMatch(ingress: KubeObject, p: Obj, reqPath: string): { exact: boolean; length: number; pattern?: string } | undefined {
  const path = typeof p.path === 'string' && p.path !== '' ? p.path : '/';
  if (regexFor(ingress)) {
    try {
      return new RegExp(`^${path}`, 'i').test(reqPath) ? { exact: false, length: path.length, pattern: path } : undefined;
    } catch {
      return undefined;
    }
  }
  if (p.pathType === 'Exact') return reqPath === path ? { exact: true, length: path.length } : undefined;
  if (p.pathType === 'Prefix') {
    const base = path.replace(/\/+$/, '');
    return base === '' || reqPath === base || reqPath.startsWith(`${base}/`) ? { exact: false, length: base.length } : undefined;
  }
  return reqPath.startsWith(path) ? { exact: false, length: path.length } : undefined;
}

export class IngressRouter implements IngressRoutes {
  constructor(private readonly informers: IngressInformers) {}

  route(controller: string, host: string, fullPath: string): IngressRoute | undefined {
    const classes = classesOf(this.informers.classes, controller);
    const q = fullPath.indexOf('?');
    const reqPath = q < 0 ? fullPath : fullPath.slice(0, q);
    const query = q < 0 ? '' : fullPath.slice(q);
    let best: Candidate | undefined;
    let fallback: Candidate | undefined;
    for (const ingress of this.informers.ingresses.list()) {
      const cls = classOf(ingress);
      if (ingress.metadata.deletionTimestamp || cls === undefined || !classes.has(cls)) continue;
      const spec = asObj(ingress.spec);
      if (spec.defaultBackend && !fallback) fallback = { ingress, backend: asObj(spec.defaultBackend), hostRank: 0, exact: false, length: 0 };
      for (const rule of asArray(spec.rules)) {
        const rank = hostRank(rule.host, host);
        if (rank === 0) continue;
        for (const p of asArray(asObj(rule.http).paths)) {
          const m = pathMatch(ingress, p, reqPath);
          if (!m) continue;
          const c: Candidate = { ingress, backend: asObj(p.backend), hostRank: rank, ...m };
          if (!best || c.hostRank > best.hostRank || (c.hostRank === best.hostRank && (c.length > best.length || (c.length === best.length && c.exact && !best.exact)))) best = c;
        }
      }
    }
    const chosen = best ?? fallback;
    if (!chosen) return undefined;
    const target = chosen.ingress.metadata.annotations?.[REWRITE];
    const upstreamPath = target !== undefined && chosen.pattern !== undefined ? reqPath.replace(new RegExp(chosen.pattern, 'i'), target) + query : fullPath;
    return this.backend(chosen.ingress, chosen.backend, upstreamPath);
  }

  private backend(ingress: KubeObject, backend: Obj, path: string): IngressRoute {
    const namespace = ingress.metadata.namespace ?? 'default';
    const ref = asObj(backend.service);
    const service = String(ref.name ?? '');
    const port = asObj(ref.port);
    const svc = this.informers.services.get(namespace, service);
    const ports = asArray(asObj(svc?.spec).ports);
    const sp = ports.find((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
    const servicePort = typeof sp?.port === 'number' ? sp.port : typeof port.number === 'number' ? port.number : 0;
    const endpoints: { ip: string; port: number }[] = [];
    if (svc && sp) {
      for (const slice of this.informers.slices.list(namespace)) {
        if (slice.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
        const slicePort = asArray((slice as Obj).ports).find((p) => (p.name ?? '') === (sp.name ?? ''));
        if (typeof slicePort?.port !== 'number') continue;
        for (const e of asArray((slice as Obj).endpoints)) {
          if (asObj(e.conditions).ready === false) continue;
          for (const ip of Array.isArray(e.addresses) ? (e.addresses as string[]) : []) endpoints.push({ ip, port: slicePort.port });
        }
      }
    }
    return { namespace, ingress: ingress.metadata.name ?? '', service, servicePort, endpoints, path };
  }
}
