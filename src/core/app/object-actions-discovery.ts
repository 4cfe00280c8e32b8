// From apiVersion + kind to the REST path, by the group-version's own APIResourceList (so CRDs
// work). Cached per cluster connection; a kind the cache does not know triggers one re-read, since a
// CRD may have been created since.
import type { KubeConfig } from '@kubernetes/client-node';
import { parseApiVersion } from '../../shared/kube.js';
import { bodyOrThrow, kubeRequest } from './object-actions-http.js';
import { KubeHttpError } from './kube-http.js';

export interface ResourceInfo {
  resource: string;
  namespaced: boolean;
  subresources: string[];
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const cache = new WeakMap<KubeConfig, Map<string, Map<string, ResourceInfo>>>();

async function readGroupVersion(config: KubeConfig, apiVersion: string): Promise<Map<string, ResourceInfo>> {
  const { group, version } = parseApiVersion(apiVersion);
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const answer = await kubeRequest(config, 'GET', path);
  if (answer.status === 404) return new Map();
  const list = bodyOrThrow(answer, `GET ${path}`) as { resources?: ApiResource[] };
  const byKind = new Map<string, ResourceInfo>();
  const subs = new Map<string, string[]>();
  for (const r of list.resources ?? []) {
    const slash = r.name.indexOf('/');
    if (slash >= 0) {
      const parent = r.name.slice(0, slash);
      subs.set(parent, [...(subs.get(parent) ?? []), r.name.slice(slash + 1)]);
      continue;
    }
    byKind.set(r.kind, { resource: r.name, namespaced: r.namespaced, subresources: [] });
  }
  for (const info of byKind.values()) info.subresources = subs.get(info.resource) ?? [];
  return byKind;
}

export async function resolveResource(config: KubeConfig, apiVersion: string, kind: string): Promise<ResourceInfo> {
  let perCluster = cache.get(config);
  if (!perCluster) cache.set(config, (perCluster = new Map()));
  let known = perCluster.get(apiVersion);
  if (!known?.has(kind)) {
    known = await readGroupVersion(config, apiVersion);
    perCluster.set(apiVersion, known);
  }
  const info = known.get(kind);
  if (!info) throw new KubeHttpError(`the cluster serves no kind "${kind}" in ${apiVersion}: check apiVersion and kind (kubectl api-resources lists them)`, 404, 'http');
  return info;
}

/** /api/v1/namespaces/default/pods/web, or the collection when `name` is empty. */
export function resourcePath(apiVersion: string, info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const { group, version } = parseApiVersion(apiVersion);
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(namespace || 'default')}` : '';
  return `${base}${ns}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
