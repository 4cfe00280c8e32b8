// core/v1 Services: SetDefaults_Service, the dual-stack defaults the REST layer fills in on a
// single-stack IPv4 cluster, ValidateService/ValidateServiceUpdate, and keeping allocated values
// (clusterIP, nodePorts) when an update omits them. IP/port allocation itself is the store's.
import type { Strategy } from '../types.js';
import { duplicate, forbidden, index, invalid, invalidEach, required, validateEnum, type Cause } from './field.js';
import { validateLabels } from '../object-meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from './names.js';
import { arr, child, def, defStr, isObj, num, objs, peek, spec, str, type Obj } from './util.js';
import { sameValue } from './workload-common.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** kube-apiserver's default --service-node-port-range. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function isHeadless(s: Obj): boolean {
  return s.clusterIP === 'None';
}

export function defaultServiceSpec(s: Obj): void {
  defStr(s, 'type', 'ClusterIP');
  // clusterIP and clusterIPs[0] are the same field seen twice (normalizeClusterIPs).
  const ips = arr(s, 'clusterIPs');
  if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && ips.length === 0) s.clusterIPs = [s.clusterIP];
  else if ((s.clusterIP === undefined || s.clusterIP === '') && typeof ips[0] === 'string') s.clusterIP = ips[0];
  defStr(s, 'sessionAffinity', 'None');
  if (s.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(s, 'sessionAffinityConfig'), 'clientIP');
    def(clientIP, 'timeoutSeconds', 10800);
  }
  for (const port of objs(s, 'ports')) {
    defStr(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = s.type;
  // Externally accessible includes a ClusterIP service with externalIPs (kubectl expose --external-ip).
  if (isExternallyAccessible(s)) defStr(s, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') def(s, 'allocateLoadBalancerNodePorts', true);
  if (type !== 'ExternalName') {
    defStr(s, 'internalTrafficPolicy', 'Cluster');
    // Single-stack IPv4 cluster: what the service REST storage settles on. Headless services
    // without a selector get RequireDualStack, as upstream.
    const selectorless = !isObj(s.selector) || Object.keys(s.selector).length === 0;
    defStr(s, 'ipFamilyPolicy', isHeadless(s) && selectorless ? 'RequireDualStack' : 'SingleStack');
    if (!Array.isArray(s.ipFamilies) || s.ipFamilies.length === 0) s.ipFamilies = ['IPv4'];
  }
}

function validatePort(port: Obj, p: string, multiple: boolean, names: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const name = str(port, 'name');
  if (multiple && !name) causes.push(required(`${p}.name`, ''));
  else if (name) {
    causes.push(...invalidEach(`${p}.name`, name, isDNS1123Label(name)));
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
  }
  const portNum = typeof port.port === 'number' ? port.port : 0;
  causes.push(...invalidEach(`${p}.port`, portNum, isValidPortNum(portNum)));
  causes.push(...validateEnum(`${p}.protocol`, port.protocol, PROTOCOLS, true));
  const target = port.targetPort;
  if (typeof target === 'number') causes.push(...invalidEach(`${p}.targetPort`, target, isValidPortNum(target)));
  else if (typeof target === 'string') causes.push(...invalidEach(`${p}.targetPort`, target, isValidPortName(target)));
  const appProtocol = str(port, 'appProtocol');
  if (appProtocol !== undefined) causes.push(...invalidEach(`${p}.appProtocol`, appProtocol, isQualifiedName(appProtocol)));
  return causes;
}

/** Go's %#v of the core.ServicePort key upstream reports duplicates with. */
function servicePortKey(protocol: unknown, port: unknown): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(String(protocol ?? ''))}, AppProtocol:(*string)(nil), Port:${Number(port ?? 0)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isExternallyAccessible(s: Obj): boolean {
  return s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && arr(s, 'externalIPs').length > 0);
}

/** ValidateService, in upstream order. */
function validateService(s: Obj): Cause[] {
  const causes: Cause[] = [];
  const type = s.type;
  const ports = objs(s, 'ports');
  const headless = isHeadless(s);
  if (ports.length === 0 && !headless && type !== 'ExternalName') causes.push(required('spec.ports', ''));
  const clusterIPs = arr(s, 'clusterIPs');
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    causes.push(invalid('spec.clusterIPs[0]', clusterIPs[0] ?? 'None', `may not be set to 'None' for ${type} services`));
  } else if (type === 'ExternalName') {
    if (clusterIPs.length > 0 || (s.clusterIP !== undefined && s.clusterIP !== '')) causes.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (arr(s, 'ipFamilies').length > 0) causes.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) causes.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = (str(s, 'externalName') ?? '').replace(/\.$/, '');
    if (cname) causes.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else causes.push(required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => causes.push(...validatePort(port, index('spec.ports', i), ports.length > 1, names)));
  if (s.selector !== undefined && s.selector !== null) {
    if (!isObj(s.selector)) causes.push(invalid('spec.selector', s.selector, 'must be a map of string to string'));
    else causes.push(...validateLabels(s.selector, 'spec.selector'));
  }
  causes.push(...validateEnum('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None'], true));
  if (s.sessionAffinity === 'ClientIP') {
    const timeout = num(peek(peek(s, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
    if (timeout === undefined) causes.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', ''));
    else if (timeout <= 0 || timeout > 86400) {
      causes.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
    }
  } else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig !== undefined && s.sessionAffinityConfig !== null) {
    causes.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None' && i === 0) return;
    if (typeof ip !== 'string' || !IPV4.test(ip)) {
      causes.push(invalid(index('spec.clusterIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
  });
  if (clusterIPs.length > 0 && s.clusterIP !== undefined && s.clusterIP !== clusterIPs[0]) {
    causes.push(invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  }
  arr(s, 'externalIPs').forEach((ip, i) => {
    if (typeof ip !== 'string' || !IPV4.test(ip)) causes.push(invalid(index('spec.externalIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  causes.push(...validateEnum('spec.type', type, TYPES, true));
  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort !== undefined && port.nodePort !== 0) causes.push(forbidden(`${index('spec.ports', i)}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (typeof port.nodePort !== 'number' || port.nodePort === 0) return;
    // Upstream's allocator reports this on create; checking here gives the same 422 earlier.
    if (type !== 'ClusterIP' && (port.nodePort < NODE_PORT_RANGE.min || port.nodePort > NODE_PORT_RANGE.max)) {
      causes.push(
        invalid(
          `${index('spec.ports', i)}.nodePort`,
          port.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
        ),
      );
    }
    const k = `${port.protocol}/${port.nodePort}`;
    if (nodePorts.has(k)) causes.push(duplicate(`${index('spec.ports', i)}.nodePort`, port.nodePort));
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const k = `${port.protocol}/${port.port}`;
    if (seen.has(k)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${servicePortKey(port.protocol, port.port)}`, field: index('spec.ports', i) });
    seen.add(k);
  });
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    causes.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null)) {
    causes.push(required('allocateLoadBalancerNodePorts', ''));
  }
  if (!isExternallyAccessible(s)) {
    if (s.externalTrafficPolicy !== undefined && s.externalTrafficPolicy !== '') {
      causes.push(invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    }
  } else {
    causes.push(...validateEnum('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local'], true));
  }
  const needsHealthCheck = type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  const hcnp = num(s, 'healthCheckNodePort') ?? 0;
  if (!needsHealthCheck && hcnp !== 0) {
    causes.push(invalid('spec.healthCheckNodePort', hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') causes.push(required('spec.internalTrafficPolicy', ''));
  } else {
    causes.push(...validateEnum('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  return causes;
}

/** On update a Service keeps its allocated clusterIP(s) and nodePorts when the new object omits them. */
function keepAllocated(s: Obj, old: Obj): void {
  const sameType = (s.type ?? 'ClusterIP') === (old.type ?? 'ClusterIP');
  if (s.type !== 'ExternalName' && (s.clusterIP === undefined || s.clusterIP === '') && old.clusterIP !== undefined) {
    s.clusterIP = old.clusterIP;
    if (s.clusterIPs === undefined) s.clusterIPs = old.clusterIPs;
  }
  if (s.clusterIPs === undefined && s.clusterIP === old.clusterIP && old.clusterIPs !== undefined) s.clusterIPs = old.clusterIPs;
  if (!sameType && s.type !== 'NodePort' && s.type !== 'LoadBalancer') return;
  const oldPorts = objs(old, 'ports');
  for (const port of objs(s, 'ports')) {
    if (port.nodePort !== undefined && port.nodePort !== 0) continue;
    const match = oldPorts.find((o) => o.port === port.port && (o.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (match?.nodePort !== undefined) port.nodePort = match.nodePort;
  }
  if (s.healthCheckNodePort === undefined && old.healthCheckNodePort !== undefined && s.externalTrafficPolicy === 'Local') {
    s.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/**
 * dropTypeDependentFields: when the type changes, fields the old type needed and the client did not
 * touch (still equal to the old values) are cleared instead of failing validation.
 */
function dropTypeDependentFields(s: Obj, old: Obj): void {
  if ((s.type ?? 'ClusterIP') === (old.type ?? 'ClusterIP')) return;
  const unchanged = (k: string) => s[k] !== undefined && sameValue(s[k], old[k]);
  if (s.type === 'ExternalName') {
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) if (unchanged(k)) delete s[k];
  }
  if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') {
    const oldPorts = objs(old, 'ports');
    for (const port of objs(s, 'ports')) {
      const match = oldPorts.find((o) => o.port === port.port && o.protocol === port.protocol);
      if (port.nodePort !== undefined && match?.nodePort === port.nodePort) delete port.nodePort;
    }
    if (unchanged('externalTrafficPolicy')) delete s.externalTrafficPolicy;
    if (unchanged('healthCheckNodePort')) delete s.healthCheckNodePort;
  }
  if (s.type !== 'LoadBalancer') {
    for (const k of ['allocateLoadBalancerNodePorts', 'loadBalancerClass']) if (unchanged(k)) delete s[k];
  }
}

export const serviceStrategy: Strategy = {
  tracksGeneration: false,
  selectableFields(obj) {
    const s = peek(obj, 'spec');
    return { 'spec.clusterIP': str(s, 'clusterIP') ?? '', 'spec.type': str(s, 'type') ?? '' };
  },
  applyDefaults(obj) {
    defaultServiceSpec(spec(obj));
  },
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    obj.status = structuredClone(old.status);
    const oldSpec = peek(old, 'spec');
    if (oldSpec) {
      dropTypeDependentFields(spec(obj), oldSpec);
      keepAllocated(spec(obj), oldSpec);
    }
  },
  prepareForStatusUpdate(obj, old) {
    old.status = structuredClone(obj.status);
  },
  validate(obj) {
    return validateService(spec(obj));
  },
  validateUpdate(obj, old) {
    const s = spec(obj);
    const o = spec(old);
    const causes = validateService(s);
    const oldIPs = arr(o, 'clusterIPs');
    const oldIP = str(o, 'clusterIP');
    // The primary clusterIP is fixed once allocated, unless the service becomes ExternalName.
    if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && oldIP && !sameValue(s.clusterIP, oldIP)) {
      causes.push(invalid('spec.clusterIPs[0]', s.clusterIP ?? '', 'may not change once set'));
    } else if (oldIPs.length > 0 && Array.isArray(s.clusterIPs) && s.clusterIPs[0] !== oldIPs[0] && s.type !== 'ExternalName') {
      causes.push(invalid('spec.clusterIPs[0]', s.clusterIPs[0], 'may not change once set'));
    }
    return causes;
  },
};
