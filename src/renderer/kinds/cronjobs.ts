import type { KindView } from './kind-view.js';
import { ageColumn, countOf, field, humanDuration, nameColumn, str } from './format.js';

export const cronJobsView: KindView = {
  name: 'cronjobs',
  group: 'batch',
  resource: 'cronjobs',
  title: 'kind.cronjobs',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'SCHEDULE', value: (o) => str(o, 'spec.schedule') },
    { header: 'TIMEZONE', value: (o) => str(o, 'spec.timeZone', '<none>') },
    { header: 'SUSPEND', value: (o) => String(field(o, 'spec.suspend') === true), tone: (v) => (v === 'true' ? 'tone-warn' : undefined) },
    { header: 'ACTIVE', value: (o) => String(countOf(o, 'status.active')), sortKey: (o) => countOf(o, 'status.active') },
    {
      header: 'LAST SCHEDULE',
      live: true,
      value: (o, now) => {
        const last = Date.parse(str(o, 'status.lastScheduleTime'));
        return last ? humanDuration(now - last) : '<none>';
      },
      sortKey: (o) => -(Date.parse(str(o, 'status.lastScheduleTime')) || 0),
    },
    ageColumn,
  ],
};
