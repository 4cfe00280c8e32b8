// Whether evicting a pod keeps every PodDisruptionBudget that selects it (the eviction subresource's
// check): a budget with no disruption allowed refuses, worded as kube-apiserver words it.
import type { KubeObject } from '../../../shared/kube.js';
import type { ApiClient } from '../apiserver/client.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../registry/selectors/index.js';

export async function pdbAllowsEviction(client: ApiClient, pod: KubeObject): Promise<string | undefined> {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Finished or never-started pods can always go.
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending') return undefined;
  const pdbs = await client.list({ group: 'policy', resource: 'poddisruptionbudgets' }, pod.metadata.namespace ?? '');
  for (const pdb of pdbs.items) {
    const spec = (pdb.spec ?? {}) as { selector?: LabelSelectorObject };
    if (!spec.selector) continue;
    if (!labelSelectorFromObject(spec.selector).matches(pod.metadata.labels ?? {})) continue;
    const status = (pdb.status ?? {}) as { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number };
    if ((status.disruptionsAllowed ?? 0) <= 0) {
      return `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`;
    }
  }
  return undefined;
}
