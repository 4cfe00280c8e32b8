import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn } from './format.js';

interface Subset {
  addresses?: { ip?: string }[];
  ports?: { port?: number }[];
}

/** kubectl's ENDPOINTS: ip:port pairs, the first three then "+ N more...". */
function endpointsText(o: KubeObject): string {
  const all: string[] = [];
  for (const s of (field(o, 'subsets') as Subset[] | undefined) ?? []) {
    const ports = s.ports?.length ? s.ports : [{}];
    for (const a of s.addresses ?? []) for (const p of ports) all.push(p.port === undefined ? `${a.ip}` : `${a.ip}:${p.port}`);
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

export const endpointsView: KindView = {
  name: 'endpoints',
  group: '',
  resource: 'endpoints',
  title: 'kind.endpoints',
  category: 'network',
  namespaced: true,
  columns: [nameColumn, { header: 'ENDPOINTS', value: endpointsText, tone: (v) => (v === '<none>' ? 'tone-warn' : undefined) }, ageColumn],
};
