import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn } from './format.js';

/** kubectl's REQUEST and LIMIT: "pods: 1/10, requests.cpu: 100m/1", limits.* in the second column. */
function usage(o: KubeObject, limits: boolean): string {
  const hard = (field(o, 'status.hard') ?? field(o, 'spec.hard') ?? {}) as Record<string, string>;
  const used = (field(o, 'status.used') ?? {}) as Record<string, string>;
  return Object.keys(hard)
    .filter((k) => k.startsWith('limits.') === limits)
    .sort()
    .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
    .join(', ');
}

export const resourceQuotasView: KindView = {
  name: 'resourcequotas',
  group: '',
  resource: 'resourcequotas',
  title: 'kind.resourcequotas',
  category: 'config',
  namespaced: true,
  columns: [nameColumn, ageColumn, { header: 'REQUEST', value: (o) => usage(o, false) }, { header: 'LIMIT', value: (o) => usage(o, true) }],
};
