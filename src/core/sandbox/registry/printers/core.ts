// Printers for core/v1 kinds other than pods, events and storage, as kube-apiserver's printers.go.
import type {
  ConfigMap,
  Endpoints,
  Namespace,
  Node,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { formatLabels } from '../selectors/label-selector.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  ageOf,
  column,
  containerCells,
  docColumn,
  int,
  nameOf,
} from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    docColumn('Version', 'string', 'NodeSystemInfo.kubeletVersion'),
    docColumn('Internal-IP', 'string', 'NodeStatus.addresses', 1),
    docColumn('External-IP', 'string', 'NodeStatus.addresses', 1),
    docColumn('OS-Image', 'string', 'NodeSystemInfo.osImage', 1),
    docColumn('Kernel-Version', 'string', 'NodeSystemInfo.kernelVersion', 1),
    docColumn('Container-Runtime', 'string', 'NodeSystemInfo.containerRuntimeVersion', 1),
  ],
  cells(obj, now) {
    const node = as<Node>(obj);
    // Only the Ready condition counts; the last one of a type wins, like the Go map.
    const ready = [...(node.status?.conditions ?? [])].reverse().find((c) => c.type === 'Ready');
    const status: string[] = [];
    if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    else status.push('Unknown');
    if (node.spec?.unschedulable) status.push('SchedulingDisabled');
    const info = node.status?.nodeInfo;
    return [
      nameOf(obj),
      status.join(','),
      nodeRoles(node),
      ageOf(obj, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};

export const namespacePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), as<Namespace>(obj).status?.phase ?? '', ageOf(obj, now)],
};

function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = new Set<string>();
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
        if (ing.ip) lb.add(ing.ip);
        else if (ing.hostname) lb.add(ing.hostname);
      }
      // The server prints the wide form: every address, sorted, never clipped.
      const lbIPs = [...lb].sort();
      if (externalIPs.length > 0) return [...lbIPs, ...externalIPs].join(',');
      return lbIPs.length > 0 ? lbIPs.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Service): string {
  const ports = (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`));
  return ports.length === 0 ? '<none>' : ports.join(',');
}

export const servicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Type', 'string', 'ServiceSpec.type'),
    docColumn('Cluster-IP', 'string', 'ServiceSpec.clusterIP'),
    docColumn('External-IP', 'string', 'ServiceSpec.externalIPs'),
    docColumn('Port(s)', 'string', 'ServiceSpec.ports'),
    AGE_COLUMN,
    docColumn('Selector', 'string', 'ServiceSpec.selector', 1),
  ],
  cells(obj, now) {
    const svc = as<Service>(obj);
    return [
      nameOf(obj),
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
      serviceExternalIP(svc),
      servicePorts(svc),
      ageOf(obj, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** net.JoinHostPort: IPv6 addresses are bracketed. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Endpoints', 'string', 'Endpoints.subsets'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), formatEndpoints(as<Endpoints>(obj)), ageOf(obj, now)],
};

export const configMapPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Data', 'string', 'ConfigMap.data'), AGE_COLUMN],
  cells(obj, now) {
    const cm = as<ConfigMap>(obj);
    return [nameOf(obj), Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageOf(obj, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Type', 'string', 'Secret.type'), docColumn('Data', 'string', 'Secret.data'), AGE_COLUMN],
  cells(obj, now) {
    const s = as<Secret>(obj);
    return [nameOf(obj), s.type ?? '', Object.keys(s.data ?? {}).length, ageOf(obj, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Secrets', 'string', 'ServiceAccount.secrets'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), (as<ServiceAccount>(obj).secrets ?? []).length, ageOf(obj, now)],
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells(obj) {
    const t = as<PodTemplate>(obj).template;
    const [names, images] = containerCells(t?.spec?.containers);
    return [nameOf(obj), names, images, formatLabels(t?.metadata?.labels)];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Desired', 'integer', 'ReplicationControllerSpec.replicas'),
    docColumn('Current', 'integer', 'ReplicationControllerStatus.replicas'),
    docColumn('Ready', 'integer', 'ReplicationControllerStatus.readyReplicas'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'ReplicationControllerSpec.selector', 1),
  ],
  cells(obj, now) {
    const rc = as<ReplicationController>(obj);
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      int(rc.spec?.replicas),
      int(rc.status?.replicas),
      int(rc.status?.readyReplicas),
      ageOf(obj, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};

export const resourceQuotaPrinter: TablePrinter = {
  // 1.32 order; AGE moved to the end only in 1.33.
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells(obj, now) {
    const rq = as<ResourceQuota>(obj);
    const hard = rq.status?.hard ?? {};
    const used = rq.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const pieces = resource.split('.');
      const target = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests;
      // An unset Quantity prints as "0".
      target.push(`${resource}: ${used[resource] ?? '0'}/${hard[resource]}`);
    }
    return [nameOf(obj), ageOf(obj, now), requests.join(', '), limits.join(', ')];
  },
};
