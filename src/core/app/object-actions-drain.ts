// `kubectl drain --ignore-daemonsets` through the API: cordon, then evict each pod through the
// Eviction API so PodDisruptionBudgets are respected, retrying refused evictions until a deadline,
// and reporting what stayed and why instead of forcing anything.
import type { KubeObject } from '../../shared/kube.js';
import type { DrainReport } from '../../shared/rpc/object-contract.js';
import type { ObjectActions } from './object-actions.js';

interface PodShape extends KubeObject {
  status?: { phase?: string };
}

/** Why drain leaves a pod where it is, or undefined when it should be evicted. */
export function skipReason(pod: PodShape): string | undefined {
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return 'mirror pod (static, managed by the kubelet)';
  if (pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller)) return 'DaemonSet pod (its controller would put it back)';
  if (pod.metadata.deletionTimestamp) return 'already terminating';
  return undefined;
}

export async function drainNode(actions: ObjectActions, clusterId: string, node: string, timeoutSeconds = 60, retryMs = 5000): Promise<DrainReport> {
  const report: DrainReport = { cordoned: false, evicted: [], skipped: [], blocked: [] };
  const cordon = await actions.cordon(clusterId, node, true);
  if (!cordon.ok) {
    report.blocked.push({ pod: '', reason: `cordon failed: ${cordon.message}` });
    return report;
  }
  report.cordoned = true;
  const pods = (await actions.list(clusterId, { apiVersion: 'v1', kind: 'Pod', fieldSelector: `spec.nodeName=${node}` })) as PodShape[];
  let pending: PodShape[] = [];
  for (const pod of pods) {
    const reason = skipReason(pod);
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (reason) report.skipped.push({ pod: id, reason });
    else if (!pod.metadata.ownerReferences?.some((o) => o.controller) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
      // kubectl refuses these without --force: nothing would recreate them.
      report.blocked.push({ pod: id, reason: 'not managed by a controller: evicting it would lose it; delete it yourself if that is fine' });
    } else pending.push(pod);
  }
  const deadline = Date.now() + timeoutSeconds * 1000;
  const lastRefusal = new Map<string, string>();
  while (pending.length > 0) {
    const retry: PodShape[] = [];
    for (const pod of pending) {
      const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const outcome = await actions.evict(clusterId, pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
      if (outcome.ok || outcome.code === 404) report.evicted.push(id);
      else if (outcome.code === 429 || outcome.code === 500) {
        // 429: a PodDisruptionBudget allows no disruption now; kubectl retries, so do we.
        lastRefusal.set(id, outcome.message);
        retry.push(pod);
      } else report.blocked.push({ pod: id, reason: outcome.message });
    }
    pending = retry;
    if (pending.length === 0 || Date.now() + retryMs > deadline) break;
    await new Promise((r) => setTimeout(r, retryMs));
  }
  for (const pod of pending) {
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    report.blocked.push({ pod: id, reason: lastRefusal.get(id) ?? 'eviction refused' });
  }
  return report;
}
