import type { KindView } from './kind-view.js';
import { ageColumn, nameColumn, num } from './format.js';

export const replicaSetsView: KindView = {
  name: 'replicasets',
  group: 'apps',
  resource: 'replicasets',
  title: 'kind.replicasets',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'DESIRED', value: (o) => String(num(o, 'spec.replicas', 1)), sortKey: (o) => num(o, 'spec.replicas', 1) },
    { header: 'CURRENT', value: (o) => String(num(o, 'status.replicas')), sortKey: (o) => num(o, 'status.replicas') },
    {
      header: 'READY',
      value: (o) => String(num(o, 'status.readyReplicas')),
      sortKey: (o) => num(o, 'status.readyReplicas'),
      tone: (v) => (v === '0' ? undefined : 'tone-ok'),
    },
    ageColumn,
  ],
};
