// networking.k8s.io and discovery.k8s.io printers: ingresses, ingressclasses, networkpolicies, endpointslices.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { formatLabelSelector } from '../selectors/label-selector.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, docColumn, nameOf } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

function ingressAddress(ing: Ingress): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const ing = as<Ingress>(obj);
    return [
      nameOf(obj),
      ing.spec?.ingressClassName ?? '<none>',
      ingressHosts(ing),
      ingressAddress(ing),
      (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
      ageOf(obj, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = as<IngressClass>(obj).spec;
    let parameters = '<none>';
    if (spec?.parameters) {
      const p = spec.parameters;
      parameters = `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}`;
    }
    return [nameOf(obj), spec?.controller ?? '', parameters, ageOf(obj, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Pod-Selector', 'string', 'NetworkPolicySpec.podSelector'), AGE_COLUMN],
  // podSelector is a struct in Go, never nil: an absent one formats as "<none>" (matches all).
  cells: (obj, now) => [nameOf(obj), formatLabelSelector(as<NetworkPolicy>(obj).spec?.podSelector ?? {}), ageOf(obj, now)],
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('AddressType', 'string', 'EndpointSlice.addressType'),
    docColumn('Ports', 'string', 'EndpointSlice.ports'),
    docColumn('Endpoints', 'string', 'EndpointSlice.endpoints'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const es = as<EndpointSlice>(obj);
    const max = 3;
    const ports: string[] = [];
    let portCount = 0;
    let morePorts = false;
    for (const p of es.ports ?? []) {
      if (ports.length < max) ports.push(p.port != null ? String(p.port) : p.name != null ? p.name : '*');
      else morePorts = true;
      portCount++;
    }
    const addresses: string[] = [];
    let addressCount = 0;
    let moreAddresses = false;
    for (const ep of es.endpoints ?? []) {
      for (const a of ep.addresses ?? []) {
        if (addresses.length < max) addresses.push(a);
        else moreAddresses = true;
        addressCount++;
      }
    }
    return [
      nameOf(obj),
      es.addressType ?? '',
      listWithMore(ports, morePorts, portCount, max),
      listWithMore(addresses, moreAddresses, addressCount, max),
      ageOf(obj, now),
    ];
  },
};
