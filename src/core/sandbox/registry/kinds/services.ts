// core/v1 Services: SetDefaults_Service, the dual-stack defaults the REST layer fills in on a
// single-stack IPv4 cluster, ValidateService/ValidateServiceUpdate, and keeping allocated values
// (clusterIP, nodePorts) when an update omits them. IP/port allocation itself is the store's.
import type { Strategy } from '../types.js';
import { duplicate, forbidden, index, invalid, invalidEach, required, validateEnum, type Cause } from './field.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names.js';
import { arr, child, def, defStr, isObj, num, objs, peek, spec, str, type Obj } from './util.js';
import { sameValue } from './workload-common.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

function isHeadless(s: Obj): boolean {
  return s.clusterIP === 'None';
}

export function defaultServiceSpec(s: Obj): void {
  defStr(s, 'type', 'ClusterIP');
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
  if (type === 'NodePort' || type === 'LoadBalancer') defStr(s, 'externalTrafficPolicy', 'Cluster');
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

function validatePort(port: Obj, p: string, type: unknown, multiple: boolean, names: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const name = str(port, 'name');
  if (multiple && !name) causes.push(required(`${p}.name`, ''));
  else if (name) {
    causes.push(...invalidEach(`${p}.name`, name, isDNS1035Label(name)));
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
  }
  const portNum = port.port;
  if (typeof portNum !== 'number') causes.push(invalid(`${p}.port`, portNum ?? 0, 'must be between 1 and 65535, inclusive'));
  else causes.push(...invalidEach(`${p}.port`, portNum, isValidPortNum(portNum)));
  causes.push(...validateEnum(`${p}.protocol`, port.protocol, PROTOCOLS, true));
  const target = port.targetPort;
  if (typeof target === 'number') causes.push(...invalidEach(`${p}.targetPort`, target, isValidPortNum(target)));
  else if (typeof target === 'string') causes.push(...invalidEach(`${p}.targetPort`, target, isValidPortName(target)));
  const nodePort = num(port, 'nodePort');
  if (nodePort !== undefined && nodePort !== 0) {
    if (type === 'ClusterIP') causes.push(forbidden(`${p}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    else causes.push(...invalidEach(`${p}.nodePort`, nodePort, isValidPortNum(nodePort)));
  }
  return causes;
}

function validateService(s: Obj): Cause[] {
  const causes: Cause[] = [];
  const type = s.type;
  causes.push(...validateEnum('spec.type', type, TYPES, true));
  const ports = objs(s, 'ports');
  if (type === 'ExternalName') {
    const externalName = str(s, 'externalName');
    if (!externalName) causes.push(required('spec.externalName', ''));
    else causes.push(...invalidEach('spec.externalName', externalName, isDNS1123Subdomain(externalName.replace(/\.$/, ''))));
    if (s.clusterIP !== undefined && s.clusterIP !== '') causes.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  } else if (ports.length === 0 && !isHeadless(s)) {
    causes.push(required('spec.ports', ''));
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('spec.ports', i);
    causes.push(...validatePort(port, p, type, ports.length > 1, names));
    const k = `${port.port}/${port.protocol}`;
    if (seen.has(k)) causes.push(duplicate(p, { port: port.port, protocol: port.protocol }));
    seen.add(k);
  });
  causes.push(...validateEnum('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None'], true));
  const timeout = num(peek(peek(s, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    causes.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  const clusterIP = str(s, 'clusterIP');
  if (clusterIP && clusterIP !== 'None' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(clusterIP)) {
    causes.push(invalid('spec.clusterIPs[0]', clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  causes.push(...validateEnum('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
  causes.push(...validateEnum('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  causes.push(...validateEnum('spec.ipFamilyPolicy', s.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  if (s.externalTrafficPolicy !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
    causes.push(invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  const selector = s.selector;
  if (selector !== undefined && !isObj(selector)) causes.push(invalid('spec.selector', selector, 'must be a map of string to string'));
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

export const serviceStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    defaultServiceSpec(spec(obj));
  },
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    obj.status = structuredClone(old.status);
    const oldSpec = peek(old, 'spec');
    if (oldSpec) keepAllocated(spec(obj), oldSpec);
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
