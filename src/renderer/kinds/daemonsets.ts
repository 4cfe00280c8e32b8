import type { KindView } from './kind-view.js';
import { ageColumn, field, labelsText, nameColumn, num } from './format.js';

const count = (path: string) => ({ value: (o: Parameters<typeof num>[0]) => String(num(o, path)), sortKey: (o: Parameters<typeof num>[0]) => num(o, path) });

export const daemonSetsView: KindView = {
  name: 'daemonsets',
  group: 'apps',
  resource: 'daemonsets',
  title: 'kind.daemonsets',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'DESIRED', ...count('status.desiredNumberScheduled') },
    { header: 'CURRENT', ...count('status.currentNumberScheduled') },
    { header: 'READY', ...count('status.numberReady') },
    { header: 'UP-TO-DATE', ...count('status.updatedNumberScheduled') },
    { header: 'AVAILABLE', ...count('status.numberAvailable') },
    { header: 'NODE SELECTOR', value: (o) => labelsText(field(o, 'spec.template.spec.nodeSelector')) },
    ageColumn,
  ],
};
