// Where the app opens: the cluster, kind and namespace the user left (saved in the settings), or,
// when that cluster is gone or nothing was saved, kubectl's current-context, else the sandbox.
import type { ClusterInfo } from '../shared/rpc/contract.js';
import type { Settings } from '../shared/rpc/settings-contract.js';

export interface SavedPlace {
  clusterId?: string;
  kind?: string;
  /** '' means all namespaces. */
  namespace?: string;
}

export function savedPlace(settings: Settings | undefined): SavedPlace {
  if (!settings) return {};
  return { clusterId: settings.lastClusterId, kind: settings.lastKind, namespace: settings.lastNamespace };
}

/** The cluster to select first, or undefined when none is listed. */
export function initialClusterId(clusters: readonly ClusterInfo[], saved: SavedPlace): string | undefined {
  if (saved.clusterId && clusters.some((c) => c.id === saved.clusterId)) return saved.clusterId;
  // A sandbox already running started by itself as the only cluster: it is the default then.
  const sandbox = clusters.find((c) => c.source === 'sandbox');
  if (sandbox && sandbox.state !== 'stopped') return sandbox.id;
  return (clusters.find((c) => c.current) ?? sandbox ?? clusters[0])?.id;
}

/** The saved kind and namespace apply only to the saved cluster they were chosen on. */
export function placeFor(clusterId: string, saved: SavedPlace): { kind?: string; namespaces?: string[] } {
  if (saved.clusterId !== clusterId) return {};
  const out: { kind?: string; namespaces?: string[] } = {};
  if (saved.kind) out.kind = saved.kind;
  if (saved.namespace !== undefined) out.namespaces = saved.namespace === '' ? [] : [saved.namespace];
  return out;
}
