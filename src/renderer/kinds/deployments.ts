import type { KindView } from './kind-view.js';
import { ageColumn, nameColumn, num, ratioTone } from './format.js';

export const deploymentsView: KindView = {
  name: 'deployments',
  group: 'apps',
  resource: 'deployments',
  title: 'kind.deployments',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'READY', value: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas', 1)}`, tone: ratioTone },
    { header: 'UP-TO-DATE', value: (o) => String(num(o, 'status.updatedReplicas')), sortKey: (o) => num(o, 'status.updatedReplicas') },
    { header: 'AVAILABLE', value: (o) => String(num(o, 'status.availableReplicas')), sortKey: (o) => num(o, 'status.availableReplicas') },
    ageColumn,
  ],
};
