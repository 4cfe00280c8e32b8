import type { KindView } from './kind-view.js';
import { ageColumn, nameColumn, num, ratioTone } from './format.js';

export const statefulSetsView: KindView = {
  name: 'statefulsets',
  group: 'apps',
  resource: 'statefulsets',
  title: 'kind.statefulsets',
  category: 'workloads',
  namespaced: true,
  columns: [nameColumn, { header: 'READY', value: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas', 1)}`, tone: ratioTone }, ageColumn],
};
