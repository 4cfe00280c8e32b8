import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, humanDuration, nameColumn, num, str } from './format.js';

/** kubectl 1.32's STATUS: the last true terminal condition, else Suspended or Running. */
export function jobStatus(o: KubeObject): string {
  const conditions = (field(o, 'status.conditions') as { type?: string; status?: string }[] | undefined) ?? [];
  const isTrue = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (isTrue('FailureTarget')) return 'FailureTarget';
  if (isTrue('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (isTrue('Suspended')) return 'Suspended';
  return 'Running';
}

export const jobsView: KindView = {
  name: 'jobs',
  group: 'batch',
  resource: 'jobs',
  title: 'kind.jobs',
  category: 'workloads',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'STATUS', value: jobStatus, tone: (v) => (v === 'Complete' ? 'tone-ok' : v === 'Failed' ? 'tone-bad' : 'tone-warn') },
    { header: 'COMPLETIONS', value: (o) => `${num(o, 'status.succeeded')}/${field(o, 'spec.completions') === undefined ? 1 : num(o, 'spec.completions')}` },
    {
      header: 'DURATION',
      live: true,
      value: (o, now) => {
        const start = Date.parse(str(o, 'status.startTime'));
        if (!start) return '';
        const end = Date.parse(str(o, 'status.completionTime')) || now;
        return humanDuration(end - start);
      },
      sortKey: (o) => (Date.parse(str(o, 'status.completionTime')) || Date.now()) - (Date.parse(str(o, 'status.startTime')) || Date.now()),
    },
    ageColumn,
  ],
};
