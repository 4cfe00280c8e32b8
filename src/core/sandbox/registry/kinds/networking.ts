// networking.k8s.io: Ingresses (pathType required, backends), IngressClasses (controller
// immutable) and NetworkPolicies (policyTypes default, port protocol).
import type { Strategy } from '../types.js';
import { forbidden, immutable, index, invalid, invalidEach, required, validateEnum, type Cause } from './field.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names.js';
import { validateLabelSelector } from './selectors.js';
import { arr, defStr, isObj, objs, peek, spec, statusSubresource, str, type Obj } from './util.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(backend: Obj | undefined, path: string): Cause[] {
  if (!backend) return [required(path, '')];
  const service = peek(backend, 'service');
  const resource = peek(backend, 'resource');
  if (service && resource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (!service && !resource) return [invalid(path, '', 'resource or service backend is required')];
  const causes: Cause[] = [];
  if (service) {
    const name = str(service, 'name');
    if (!name) causes.push(required(`${path}.service.name`, ''));
    else causes.push(...invalidEach(`${path}.service.name`, name, isDNS1035Label(name)));
    const port = peek(service, 'port');
    const number = port?.number;
    const portName = str(port, 'name');
    if (number !== undefined && portName) causes.push(invalid(`${path}.service.port`, '', 'cannot set both port name & port number'));
    else if (typeof number === 'number') causes.push(...invalidEach(`${path}.service.port.number`, number, isValidPortNum(number)));
    else if (portName) causes.push(...invalidEach(`${path}.service.port.name`, portName, isValidPortName(portName)));
    else causes.push(required(`${path}.service.port`, 'port name or number is required'));
  }
  return causes;
}

function validateIngress(s: Obj): Cause[] {
  const causes: Cause[] = [];
  const rules = objs(s, 'rules');
  if (rules.length === 0 && !peek(s, 'defaultBackend')) causes.push(invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
  if (peek(s, 'defaultBackend')) causes.push(...validateBackend(peek(s, 'defaultBackend'), 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = index('spec.rules', i);
    const host = str(rule, 'host');
    if (host) {
      const bare = host.startsWith('*.') ? host.slice(2) : host;
      if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) causes.push(invalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      else causes.push(...invalidEach(`${p}.host`, host, isDNS1123Subdomain(bare)));
    }
    const http = peek(rule, 'http');
    if (!http) return;
    const paths = objs(http, 'paths');
    if (paths.length === 0) causes.push(required(`${p}.http.paths`, ''));
    paths.forEach((pathObj, j) => {
      const pp = index(`${p}.http.paths`, j);
      const pathType = pathObj.pathType;
      const value = str(pathObj, 'path') ?? '';
      if (pathType === undefined || pathType === '') causes.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else causes.push(...validateEnum(`${pp}.pathType`, pathType, PATH_TYPES));
      if ((pathType === 'Exact' || pathType === 'Prefix') && !value.startsWith('/')) {
        causes.push(invalid(`${pp}.path`, value, 'must be an absolute path'));
      } else if (pathType === 'ImplementationSpecific' && value !== '' && !value.startsWith('/')) {
        causes.push(invalid(`${pp}.path`, value, 'must be an absolute path'));
      }
      causes.push(...validateBackend(peek(pathObj, 'backend'), `${pp}.backend`));
    });
  });
  objs(s, 'tls').forEach((tls, i) => {
    arr(tls, 'hosts').forEach((h, j) => {
      if (typeof h === 'string') causes.push(...invalidEach(`${index('spec.tls', i)}.${index('hosts', j)}`, h, isDNS1123Subdomain(h.replace(/^\*\./, ''))));
    });
  });
  const className = str(s, 'ingressClassName');
  if (className) causes.push(...invalidEach('spec.ingressClassName', className, isDNS1123Subdomain(className)));
  return causes;
}

export const ingressStrategy: Strategy = {
  tracksGeneration: true,
  ...statusSubresource(() => ({ loadBalancer: {} })),
  validate(obj) {
    return validateIngress(spec(obj));
  },
  validateUpdate(obj) {
    return validateIngress(spec(obj));
  },
};

export const ingressClassStrategy: Strategy = {
  tracksGeneration: true,
  validate(obj) {
    const controller = str(peek(obj, 'spec'), 'controller');
    if (!controller) return [required('spec.controller', '')];
    return controller.length > 250 ? [invalid('spec.controller', controller, 'must be no more than 250 characters')] : [];
  },
  validateUpdate(obj, old) {
    const a = str(peek(obj, 'spec'), 'controller');
    const b = str(peek(old, 'spec'), 'controller');
    return a === b ? [] : [immutable('spec.controller', a ?? '')];
  },
};

export const networkPolicyStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    const s = spec(obj);
    if (!Array.isArray(s.policyTypes) || s.policyTypes.length === 0) {
      s.policyTypes = Array.isArray(s.egress) && s.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    }
    for (const dir of ['ingress', 'egress']) for (const rule of objs(s, dir)) for (const port of objs(rule, 'ports')) defStr(port, 'protocol', 'TCP');
  },
  validate(obj) {
    const s = spec(obj);
    const causes: Cause[] = [];
    if (!isObj(s.podSelector)) causes.push(required('spec.podSelector', ''));
    else causes.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
    arr(s, 'policyTypes').forEach((t, i) => causes.push(...validateEnum(index('spec.policyTypes', i), t, ['Egress', 'Ingress'])));
    if (arr(s, 'policyTypes').length > 2) causes.push(forbidden('spec.policyTypes', 'may not specify more than two policyTypes'));
    return causes;
  },
};
networkPolicyStrategy.validateUpdate = (obj, _old, ctx) => networkPolicyStrategy.validate!(obj, ctx);
