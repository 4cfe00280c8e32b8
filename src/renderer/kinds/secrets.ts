import type { KindView } from './kind-view.js';
import { ageColumn, countOf, nameColumn, str } from './format.js';

export const secretsView: KindView = {
  name: 'secrets',
  group: '',
  resource: 'secrets',
  title: 'kind.secrets',
  category: 'config',
  namespaced: true,
  columns: [nameColumn, { header: 'TYPE', value: (o) => str(o, 'type', 'Opaque') }, { header: 'DATA', value: (o) => String(countOf(o, 'data')), sortKey: (o) => countOf(o, 'data') }, ageColumn],
};
