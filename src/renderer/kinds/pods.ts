import type { KindView } from './kind-view.js';
import { ageColumn, nameColumn, podReady, podRestarts, podStatus, statusTone } from './format.js';

const restarts = (o: Parameters<typeof podRestarts>[0]) => ((o.status as { containerStatuses?: { restartCount?: number }[] } | undefined)?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);

export const podsView: KindView = {
  name: 'pods',
  group: '',
  resource: 'pods',
  title: 'kind.pods',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'READY', value: (o) => podReady(o) },
    { header: 'STATUS', value: (o) => podStatus(o), tone: (v) => `tone-${statusTone(v)}` },
    { header: 'RESTARTS', live: true, value: (o, now) => podRestarts(o, now), sortKey: restarts },
    ageColumn,
  ],
};
