// What a cluster serves: every resource type of the core group and of each API group at its
// preferred version (legacy discovery, which every server answers), with CRDs' printer columns.
// Cached per cluster for a short while: the sidebar and every watch ask for it.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DiscoveryResult, PrinterColumn, ResourceType } from '../../shared/rpc/resources-contract.js';
import { kubeGet } from '../app/kube-http.js';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  shortNames?: string[];
}
interface ApiGroup {
  name: string;
  preferredVersion?: { version: string };
  versions?: { version: string }[];
}
interface CrdShape {
  spec?: {
    group?: string;
    names?: { plural?: string };
    versions?: { name?: string; served?: boolean; storage?: boolean; additionalPrinterColumns?: PrinterColumn[] }[];
  };
}

export function typeId(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** The collection's path for a type, across namespaces or in one. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return namespace && type.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.resource}` : `${base}/${type.resource}`;
}

function fromResources(group: string, version: string, resources: ApiResource[]): ResourceType[] {
  // Subresources (pods/log, deployments/scale) are not types of their own.
  return resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ id: typeId(group, r.name), group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}) }));
}

export async function discover(config: KubeConfig, signal?: AbortSignal): Promise<DiscoveryResult> {
  const problems: string[] = [];
  const core = (await kubeGet(config, '/api/v1', signal)) as { resources?: ApiResource[] };
  const types = fromResources('', 'v1', core.resources ?? []);
  const groups = ((await kubeGet(config, '/apis', signal)) as { groups?: ApiGroup[] }).groups ?? [];
  const perGroup = await Promise.all(
    groups.map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (!version) return [];
      try {
        const list = (await kubeGet(config, `/apis/${g.name}/${version}`, signal)) as { resources?: ApiResource[] };
        return fromResources(g.name, version, list.resources ?? []);
      } catch (error) {
        problems.push(`${g.name}/${version}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    }),
  );
  for (const list of perGroup) types.push(...list);
  // Printer columns are only in the CRDs themselves; an account that may not read CRDs still gets
  // their objects, with the generic NAME and AGE columns.
  try {
    const crds = ((await kubeGet(config, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', signal)) as { items?: CrdShape[] }).items ?? [];
    const byId = new Map(types.map((t) => [t.id, t]));
    for (const crd of crds) {
      const group = crd.spec?.group;
      const plural = crd.spec?.names?.plural;
      if (!group || !plural) continue;
      const type = byId.get(typeId(group, plural));
      if (!type) continue;
      const version = crd.spec?.versions?.find((v) => v.name === type.version);
      type.crd = { printerColumns: version?.additionalPrinterColumns ?? [] };
    }
  } catch (error) {
    problems.push(`CustomResourceDefinitions: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { types, problems };
}

/** Resolves `pods`, `deployments.apps` or a bare `deployments` (core group first, as kubectl does). */
export function resolveType(types: ResourceType[], id: string): ResourceType | undefined {
  const exact = types.find((t) => t.id === id);
  if (exact) return exact;
  const bare = types.filter((t) => t.resource === id);
  return bare.find((t) => t.group === '') ?? bare[0];
}

const CORE_V1 = ['pods', 'nodes', 'namespaces', 'events', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'persistentvolumes', 'persistentvolumeclaims', 'limitranges', 'resourcequotas'];
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces', 'persistentvolumes']);
const GROUPED: [string, string, string[]][] = [
  ['apps', 'v1', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']],
  ['batch', 'v1', ['jobs', 'cronjobs']],
];

/**
 * Types every conformant cluster serves at these versions: a watch on them starts at once instead
 * of after a round of discovery (a score of requests on a real cluster).
 */
export const WELL_KNOWN: ReadonlyMap<string, ResourceType> = new Map(
  [
    ...CORE_V1.map((r) => ['', 'v1', r] as const),
    ...GROUPED.flatMap(([g, v, rs]) => rs.map((r) => [g, v, r] as const)),
  ].map(([group, version, resource]) => [
    typeId(group, resource),
    { id: typeId(group, resource), group, version, resource, kind: '', namespaced: !CLUSTER_SCOPED.has(resource), verbs: ['list', 'watch'] },
  ]),
);

/** Discovery per cluster, kept `ttlMs`; concurrent askers share one round of requests. */
export class DiscoveryCache {
  private readonly entries = new Map<string, { at: number; result: Promise<DiscoveryResult> }>();

  constructor(
    private readonly configFor: (clusterId: string) => KubeConfig | undefined,
    private readonly ttlMs = 30_000,
  ) {}

  get(clusterId: string, refresh = false): Promise<DiscoveryResult> {
    const cached = this.entries.get(clusterId);
    if (cached && !refresh && Date.now() - cached.at < this.ttlMs) return cached.result;
    const config = this.configFor(clusterId);
    if (!config) return Promise.reject(new Error(`unknown or not yet started cluster "${clusterId}": pick one from the cluster list`));
    const result = discover(config);
    this.entries.set(clusterId, { at: Date.now(), result });
    // A failure is not cached: the next asker tries again.
    result.catch(() => {
      if (this.entries.get(clusterId)?.result === result) this.entries.delete(clusterId);
    });
    return result;
  }

  /** The type for an id, asking the cluster again once when it is unknown (a CRD just created). */
  async resolve(clusterId: string, id: string): Promise<ResourceType | undefined> {
    const known = WELL_KNOWN.get(id);
    if (known) return known;
    const found = resolveType((await this.get(clusterId)).types, id);
    return found ?? resolveType((await this.get(clusterId, true)).types, id);
  }

  drop(clusterId: string): void {
    this.entries.delete(clusterId);
  }
}
