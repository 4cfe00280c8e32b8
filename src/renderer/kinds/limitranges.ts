import type { KindView } from './kind-view.js';
import { createdAtColumn, nameColumn } from './format.js';

export const limitRangesView: KindView = { name: 'limitranges', group: '', resource: 'limitranges', title: 'kind.limitranges', category: 'config', namespaced: true, columns: [nameColumn, createdAtColumn] };
