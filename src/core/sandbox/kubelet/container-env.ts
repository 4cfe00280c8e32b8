// A container's environment as the kubelet builds it: envFrom, env (with $(VAR) expansion and
// valueFrom), then service links and the kubernetes service variables for names not already set.
import type { Container as V1Container, Pod, Service } from 'kubernetes-types/core/v1.js';
import { parseQuantity, quantityToNumber } from '../registry/kinds/quantity.js';

/** What env and volumes need from the API, read at container start. */
export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<{ data: Record<string, string>; binaryData: Record<string, string> } | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  services(namespace: string): Promise<Service[]>;
}

/** CreateContainerConfigError: the container cannot be created until the user fixes the reference. */
export class ContainerConfigError extends Error {}

export const KUBERNETES_SERVICE_IP = '10.96.0.1';

function expand(value: string, env: Map<string, string>): string {
  // $(VAR) is replaced when VAR is defined earlier, $$(VAR) escapes, unknown references stay as written.
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match: string, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && env.has(name) ? (env.get(name) ?? '') : match;
  });
}

/** metadata.labels['app'] -> the label's value; the fieldRef paths the downward API allows. */
export function fieldRefValue(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? meta.labels : meta.annotations)?.[keyed[2]] ?? '';
  const asLines = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}="${(m ?? {})[k]}"`)
      .join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return asLines(meta.labels);
    case 'metadata.annotations':
      return asLines(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',');
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((p) => p.ip).join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

/** limits.cpu with divisor 1m -> "500"; unset limits fall back to the node's allocatable, as upstream. */
export function resourceFieldValue(container: V1Container | undefined, resource: string, divisor: string | undefined, nodeAllocatable: Record<string, string>): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const raw = container?.resources?.[kind]?.[name] ?? (kind === 'limits' ? nodeAllocatable[name] : undefined) ?? '0';
  const value = quantityToNumber(parseQuantity(raw) ?? parseQuantity('0')!);
  const div = quantityToNumber(parseQuantity(divisor ?? '1') ?? parseQuantity('1')!) || 1;
  return String(Math.ceil(value / div));
}

/**
 * The kubernetes service's variables, the same in every container: one set of pairs shared by all
 * (an environment is only read), not 8 arrays and 2 joined strings per container kept while it runs.
 */
const KUBERNETES_LINKS: [string, string][] = [
  ['KUBERNETES_SERVICE_HOST', KUBERNETES_SERVICE_IP],
  ['KUBERNETES_SERVICE_PORT', '443'],
  ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
  ['KUBERNETES_PORT', `tcp://${KUBERNETES_SERVICE_IP}:443`],
  ['KUBERNETES_PORT_443_TCP', `tcp://${KUBERNETES_SERVICE_IP}:443`],
  ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
  ['KUBERNETES_PORT_443_TCP_PORT', '443'],
  ['KUBERNETES_PORT_443_TCP_ADDR', KUBERNETES_SERVICE_IP],
];
for (const pair of KUBERNETES_LINKS) Object.freeze(pair);

function serviceEnv(services: Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || !svc.metadata?.name) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) continue;
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto0 = (ports[0].protocol ?? 'TCP').toLowerCase();
    out.push([`${prefix}_PORT`, `${proto0}://${ip}:${ports[0].port}`]);
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const base = `${prefix}_PORT_${p.port}_${proto}`;
      out.push([base, `${proto.toLowerCase()}://${ip}:${p.port}`], [`${base}_PROTO`, proto.toLowerCase()], [`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
    }
  }
  return out;
}

export async function containerEnv(pod: Pod, container: V1Container, source: ConfigSource, nodeAllocatable: Record<string, string>): Promise<[string, string][]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await source.configMap(namespace, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data)) env.set(prefix + k, v);
    } else if (from.secretRef) {
      const secret = await source.secret(namespace, from.secretRef.name ?? '');
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(secret)) env.set(prefix + k, Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      env.set(e.name, expand(e.value ?? '', env));
      continue;
    }
    const from = e.valueFrom;
    if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const cm = await source.configMap(namespace, ref.name ?? '');
      if (!cm) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`configmap "${ref.name}" not found`);
      }
      const value = cm.data[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`);
      }
      env.set(e.name, value);
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const secret = await source.secret(namespace, ref.name ?? '');
      if (!secret) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`secret "${ref.name}" not found`);
      }
      const value = secret[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
      }
      env.set(e.name, Buffer.from(value, 'base64').toString('utf8'));
    } else if (from.fieldRef) {
      env.set(e.name, fieldRefValue(pod, from.fieldRef.fieldPath));
    } else if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      const target = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName) : container;
      env.set(e.name, resourceFieldValue(target, ref.resource, ref.divisor, nodeAllocatable));
    }
  }
  const links: [string, string][] = [];
  if (pod.spec?.enableServiceLinks !== false) links.push(...serviceEnv(await source.services(namespace)));
  links.push(...KUBERNETES_LINKS);
  const out: [string, string][] = [...env.entries()];
  const set = new Set(env.keys());
  for (const [k, v] of links) {
    if (set.has(k)) continue;
    set.add(k);
    out.push([k, v]);
  }
  return out;
}
