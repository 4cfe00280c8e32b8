import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { age } from './format.js';

interface DeploymentShape {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

const d = (o: KubeObject) => o as unknown as DeploymentShape;

export const deploymentsView: KindView = {
  kind: 'deployments',
  title: 'kind.deployments',
  namespaced: true,
  columns: [
    { header: 'NAME', value: (o) => o.metadata.name ?? '' },
    {
      header: 'READY',
      value: (o) => `${d(o).status?.readyReplicas ?? 0}/${d(o).spec?.replicas ?? 1}`,
      tone: (v) => {
        const [ready, want] = v.split('/');
        return ready === want ? 'tone-ok' : 'tone-warn';
      },
    },
    { header: 'UP-TO-DATE', value: (o) => String(d(o).status?.updatedReplicas ?? 0) },
    { header: 'AVAILABLE', value: (o) => String(d(o).status?.availableReplicas ?? 0) },
    { header: 'AGE', value: (o, now) => age(o, now) },
  ],
};
