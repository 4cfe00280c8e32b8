import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn, str } from './format.js';

export const ingressesView: KindView = {
  name: 'ingresses',
  group: 'networking.k8s.io',
  resource: 'ingresses',
  title: 'kind.ingresses',
  category: 'network',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'CLASS', value: (o) => str(o, 'spec.ingressClassName', '<none>') },
    { header: 'HOSTS', value: (o) => (((field(o, 'spec.rules') as { host?: string }[] | undefined) ?? []).map((r) => r.host || '*').join(',') || '*') },
    { header: 'ADDRESS', value: (o) => ((field(o, 'status.loadBalancer.ingress') as { ip?: string; hostname?: string }[] | undefined) ?? []).map((i) => i.ip || i.hostname).join(',') },
    { header: 'PORTS', value: (o) => (((field(o, 'spec.tls') as unknown[] | undefined) ?? []).length ? '80, 443' : '80') },
    ageColumn,
  ],
};
