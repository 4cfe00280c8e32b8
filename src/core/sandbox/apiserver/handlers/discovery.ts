// Discovery as kube-apiserver serves it: the legacy lists (/api, /apis, /api/v1, /apis/<g>/<v>) and
// the aggregated v2 documents kubectl 1.32 asks for first.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../../registry/types.js';
import type { ResourceRegistry } from '../../registry/resource-registry.js';

interface SubresourceInfo {
  verbs: string[];
  kind: { group: string; version: string; kind: string } | 'self';
}

const SUBRESOURCES: Record<string, SubresourceInfo> = {
  status: { verbs: ['get', 'patch', 'update'], kind: 'self' },
  scale: { verbs: ['get', 'patch', 'update'], kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } },
  binding: { verbs: ['create'], kind: { group: '', version: 'v1', kind: 'Binding' } },
  eviction: { verbs: ['create'], kind: { group: 'policy', version: 'v1', kind: 'Eviction' } },
  log: { verbs: ['get'], kind: { group: '', version: 'v1', kind: 'Pod' } },
  exec: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodExecOptions' } },
  attach: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodAttachOptions' } },
  portforward: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' } },
  proxy: { verbs: ['create', 'delete', 'get', 'patch', 'update'], kind: { group: '', version: 'v1', kind: 'PodProxyOptions' } },
  ephemeralcontainers: { verbs: ['get', 'patch', 'update'], kind: 'self' },
  token: { verbs: ['create'], kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } },
  finalize: { verbs: ['update'], kind: 'self' },
  resize: { verbs: ['get', 'patch', 'update'], kind: 'self' },
};

function subresourceKind(def: ResourceDef, version: string, sub: string): { group: string; version: string; kind: string } {
  const info = SUBRESOURCES[sub];
  if (!info || info.kind === 'self') return { group: def.group, version, kind: def.kind };
  if (sub === 'proxy' && def.plural !== 'pods') return { ...info.kind, kind: def.kind === 'Node' ? 'NodeProxyOptions' : 'ServiceProxyOptions' };
  return info.kind;
}

function storageVersionHash(def: ResourceDef): string {
  return createHash('sha256').update(`${def.group}/${def.versions[0]}/${def.kind}`).digest('base64').slice(0, 11);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(registry: ResourceRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroup(group: string, versions: string[]): object {
  return {
    name: group,
    versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string): object | undefined {
  const found = registry.groups().find((g) => g.group === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.group, found.versions) } : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const defs = registry.all().filter((d) => d.group === group && d.versions.includes(version));
  if (defs.length === 0) return undefined;
  const resources: object[] = [];
  for (const def of defs) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs,
      ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
      ...(def.categories?.length ? { categories: def.categories } : {}),
      storageVersionHash: storageVersionHash(def),
    });
    for (const sub of def.subresources ?? []) {
      const kind = subresourceKind(def, version, sub);
      resources.push({
        name: `${def.plural}/${sub}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(kind.group !== def.group || kind.version !== version ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: SUBRESOURCES[sub]?.verbs ?? ['get'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** Aggregated discovery (apidiscovery.k8s.io/v2) for the core group (`legacy`) or every named group. */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean, apiVersion: 'v2' | 'v2beta1'): object {
  const items = registry
    .groups()
    .filter((g) => (legacy ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: registry
          .all()
          .filter((d) => d.group === g.group && d.versions.includes(version))
          .map((def) => ({
            resource: def.plural,
            responseKind: { group: def.group, version, kind: def.kind },
            scope: def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: def.singular,
            verbs: def.verbs,
            ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
            ...(def.categories?.length ? { categories: def.categories } : {}),
            ...(def.subresources?.length
              ? {
                  subresources: def.subresources.map((sub) => ({
                    subresource: sub,
                    responseKind: subresourceKind(def, version, sub),
                    verbs: SUBRESOURCES[sub]?.verbs ?? ['get'],
                  })),
                }
              : {}),
          })),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}

/** Which aggregated discovery version the Accept header asks for, if any (first match wins, as in content negotiation). */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const clause of (accept ?? '').split(',')) {
    const c = clause.replace(/\s/g, '').toLowerCase();
    if (!c.includes('as=apigroupdiscoverylist') || !c.includes('g=apidiscovery.k8s.io')) continue;
    if (c.includes('v=v2beta1')) return 'v2beta1';
    if (c.includes('v=v2')) return 'v2';
  }
  return undefined;
}
