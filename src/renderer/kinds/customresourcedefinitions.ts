import type { KindView } from './kind-view.js';
import { createdAtColumn, nameColumn } from './format.js';

export const customResourceDefinitionsView: KindView = {
  name: 'customresourcedefinitions',
  group: 'apiextensions.k8s.io',
  resource: 'customresourcedefinitions',
  title: 'kind.customresourcedefinitions',
  category: 'custom',
  namespaced: false,
  columns: [nameColumn, createdAtColumn],
};
