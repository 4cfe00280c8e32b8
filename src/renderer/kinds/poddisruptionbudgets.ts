import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn, num } from './format.js';

const intOrString = (v: unknown) => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgetsView: KindView = {
  name: 'poddisruptionbudgets',
  group: 'policy',
  resource: 'poddisruptionbudgets',
  title: 'kind.poddisruptionbudgets',
  category: 'config',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'MIN AVAILABLE', value: (o) => intOrString(field(o, 'spec.minAvailable')) },
    { header: 'MAX UNAVAILABLE', value: (o) => intOrString(field(o, 'spec.maxUnavailable')) },
    { header: 'ALLOWED DISRUPTIONS', value: (o) => String(num(o, 'status.disruptionsAllowed')), sortKey: (o) => num(o, 'status.disruptionsAllowed'), tone: (v) => (v === '0' ? 'tone-warn' : 'tone-ok') },
    ageColumn,
  ],
};
