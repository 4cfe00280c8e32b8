import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { ageColumn, field, nameColumn, str } from './format.js';

/** kubectl's node STATUS: Ready/NotReady/Unknown, then SchedulingDisabled when cordoned. */
export function nodeStatus(o: KubeObject): string {
  const ready = ((field(o, 'status.conditions') as { type?: string; status?: string }[] | undefined) ?? []).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
  if (field(o, 'spec.unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** ROLES from node-role.kubernetes.io/<role> labels, as kubectl finds them. */
export function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

export const nodesView: KindView = {
  name: 'nodes',
  group: '',
  resource: 'nodes',
  title: 'kind.nodes',
  category: 'cluster',
  namespaced: false,
  columns: [
    nameColumn,
    { header: 'STATUS', value: nodeStatus, tone: (v) => (v === 'Ready' ? 'tone-ok' : v.startsWith('Ready') ? 'tone-warn' : 'tone-bad') },
    { header: 'ROLES', value: nodeRoles },
    ageColumn,
    { header: 'VERSION', value: (o) => str(o, 'status.nodeInfo.kubeletVersion') },
  ],
};
