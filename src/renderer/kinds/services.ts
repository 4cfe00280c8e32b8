import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn, str } from './format.js';

interface Port {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

/** kubectl's EXTERNAL-IP: the load balancer's addresses, external IPs, or <pending>/<none>. */
function externalIp(o: KubeObject): string {
  const type = str(o, 'spec.type', 'ClusterIP');
  const external = (field(o, 'spec.externalIPs') as string[] | undefined) ?? [];
  const ingress = ((field(o, 'status.loadBalancer.ingress') as { ip?: string; hostname?: string }[] | undefined) ?? []).map((i) => i.ip || i.hostname || '');
  if (type === 'ExternalName') return str(o, 'spec.externalName');
  if (type === 'LoadBalancer') return [...ingress, ...external].join(',') || '<pending>';
  return external.join(',') || '<none>';
}

export const servicesView: KindView = {
  name: 'services',
  group: '',
  resource: 'services',
  title: 'kind.services',
  category: 'network',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'TYPE', value: (o) => str(o, 'spec.type', 'ClusterIP') },
    { header: 'CLUSTER-IP', value: (o) => str(o, 'spec.clusterIP', '<none>') },
    { header: 'EXTERNAL-IP', value: externalIp },
    {
      header: 'PORT(S)',
      value: (o) => (((field(o, 'spec.ports') as Port[] | undefined) ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',') || '<none>'),
    },
    ageColumn,
  ],
};
