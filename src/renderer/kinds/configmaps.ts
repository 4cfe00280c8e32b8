import type { KindView } from './kind-view.js';
import { ageColumn, countOf, nameColumn } from './format.js';

export const configMapsView: KindView = {
  name: 'configmaps',
  group: '',
  resource: 'configmaps',
  title: 'kind.configmaps',
  category: 'config',
  namespaced: true,
  columns: [nameColumn, { header: 'DATA', value: (o) => String(countOf(o, 'data') + countOf(o, 'binaryData')), sortKey: (o) => countOf(o, 'data') + countOf(o, 'binaryData') }, ageColumn],
};
