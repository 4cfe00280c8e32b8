// Where the app opens: the cluster, kind and namespace the user left (saved in the settings), or,
// when that cluster is gone or nothing was saved, kubectl's current-context, else the sandbox.
import { reaction } from 'mobx';
import type { KubeObject } from '../shared/kube.js';
import type { ClusterInfo } from '../shared/rpc/contract.js';
import type { Settings, ViewSetting } from '../shared/rpc/settings-contract.js';

export interface SavedPlace {
  clusterId?: string;
  kind?: string;
  /** '' means all namespaces. */
  namespace?: string;
  view?: ViewSetting;
}

export function savedPlace(settings: Settings | undefined): SavedPlace {
  if (!settings) return {};
  return { clusterId: settings.lastClusterId, kind: settings.lastKind, namespace: settings.lastNamespace, view: settings.lastView };
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
export function placeFor(clusterId: string, saved: SavedPlace): { kind?: string; namespaces?: string[]; view?: ViewSetting } {
  if (saved.clusterId !== clusterId) return {};
  const out: { kind?: string; namespaces?: string[]; view?: ViewSetting } = {};
  if (saved.view) out.view = saved.view;
  if (saved.kind) out.kind = saved.kind;
  if (saved.namespace !== undefined) out.namespaces = saved.namespace === '' ? [] : [saved.namespace];
  return out;
}

/** What fallBackWhenGone reads and changes of the app's store. */
export interface PlaceHost {
  readonly clusterId: string | undefined;
  readonly cluster: ClusterInfo | undefined;
  readonly discovery: unknown;
  readonly views: readonly { name: string }[];
  readonly kind: string;
  readonly namespaces: readonly string[];
  collection(id: string): { loaded: boolean; objects: Map<string, KubeObject> } | undefined;
  setKind(kind: string): void;
  setNamespaces(namespaces: string[]): void;
}

/**
 * A restored kind or namespace that no longer exists falls back to pods and the context's
 * namespace, once discovery and the namespaces say so (or the user has moved to another cluster).
 */
export function fallBackWhenGone(host: PlaceHost, clusterId: string): void {
  let done = false;
  const check = (): void => {
    const discovered = host.discovery !== undefined;
    const namespaces = host.collection('namespaces');
    if (host.clusterId !== clusterId) return void (done = true);
    if (discovered && !host.views.some((v) => v.name === host.kind)) host.setKind('pods');
    if (namespaces?.loaded) {
      const names = new Set([...namespaces.objects.values()].map((o) => o.metadata.name));
      if (host.namespaces.some((n) => !names.has(n))) host.setNamespaces(host.cluster?.namespace ? [host.cluster.namespace] : []);
    }
    if (discovered && namespaces?.loaded) done = true;
  };
  const stop = reaction(
    () => [host.clusterId, host.discovery !== undefined, host.collection('namespaces')?.loaded === true],
    () => {
      check();
      if (done) stop();
    },
  );
  check();
  if (done) stop();
  // A cluster that never answers keeps what was restored.
  setTimeout(stop, 120_000);
}
