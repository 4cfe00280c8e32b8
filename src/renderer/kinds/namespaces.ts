import type { KindView } from './kind-view.js';
import { ageColumn, nameColumn, str } from './format.js';

export const namespacesView: KindView = {
  name: 'namespaces',
  group: '',
  resource: 'namespaces',
  title: 'kind.namespaces',
  category: 'cluster',
  namespaced: false,
  columns: [nameColumn, { header: 'STATUS', value: (o) => str(o, 'status.phase', 'Active'), tone: (v) => (v === 'Active' ? 'tone-ok' : 'tone-warn') }, ageColumn],
};
