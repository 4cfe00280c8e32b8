// Which pods back a Service and on which ports, shared by the Endpoints and EndpointSlice controllers:
// pods selected by the service's selector that have an IP, with targetPort resolved by name or number.
import type { KubeObject } from '../../../../shared/kube.js';
import { labelSelectorFromObject } from '../../registry/selectors/index.js';
import type { Informer } from '../informer.js';
import { asArray, asObj, isTerminal, podReady } from './shared.js';

export interface ServicePort {
  name?: string;
  port: number;
  protocol: string;
}

export interface Backend {
  pod: KubeObject;
  ip: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: ServicePort[];
}

export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  const selector = asObj(svc.spec).selector;
  if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) return undefined;
  return selector as Record<string, string>;
}

export function isHeadless(svc: KubeObject): boolean {
  return asObj(svc.spec).clusterIP === 'None';
}

/** targetPort as the endpoints controller resolves it (podutil.FindPort); undefined: this pod lacks the named port. */
function resolvePort(pod: KubeObject, target: unknown, fallback: number, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && target !== '') {
    if (/^\d+$/.test(target)) return Number(target);
    for (const c of asArray(asObj(pod.spec).containers)) {
      for (const p of asArray(c.ports)) {
        if (p.name === target && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
      }
    }
    return undefined;
  }
  return fallback;
}

export function backendsOf(svc: KubeObject, pods: Informer): Backend[] {
  const selector = serviceSelector(svc);
  if (!selector) return [];
  const match = labelSelectorFromObject({ matchLabels: selector });
  const spec = asObj(svc.spec);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const backends: Backend[] = [];
  for (const pod of pods.list(svc.metadata.namespace ?? '')) {
    if (!match.matches(pod.metadata.labels ?? {}) || isTerminal(pod)) continue;
    const ip = asObj(pod.status).podIP;
    if (typeof ip !== 'string' || !ip) continue;
    const ports: ServicePort[] = [];
    for (const sp of asArray(spec.ports)) {
      const protocol = typeof sp.protocol === 'string' ? sp.protocol : 'TCP';
      const port = resolvePort(pod, sp.targetPort, typeof sp.port === 'number' ? sp.port : 0, protocol);
      if (port === undefined) continue;
      ports.push({ ...(typeof sp.name === 'string' && sp.name ? { name: sp.name } : {}), port, protocol });
    }
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ready = podReady(pod);
    backends.push({ pod, ip, ready: publishNotReady || (ready && !terminating), serving: publishNotReady || ready, terminating, ports });
  }
  return backends.sort((a, b) => compareIp(a.ip, b.ip) || (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

export function portsKey(ports: ServicePort[]): string {
  return JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port));
}

export function targetRef(pod: KubeObject): Record<string, unknown> {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

/** kube-apiserver's own endpoints for the `kubernetes` service: the control-plane node. */
export const APISERVER_ADDRESS = '172.18.0.2';
export const APISERVER_PORT = 6443;
