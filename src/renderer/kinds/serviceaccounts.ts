import type { KindView } from './kind-view.js';
import { ageColumn, countOf, nameColumn } from './format.js';

export const serviceAccountsView: KindView = {
  name: 'serviceaccounts',
  group: '',
  resource: 'serviceaccounts',
  title: 'kind.serviceaccounts',
  category: 'access',
  namespaced: true,
  columns: [nameColumn, { header: 'SECRETS', value: (o) => String(countOf(o, 'secrets')), sortKey: (o) => countOf(o, 'secrets') }, ageColumn],
};
