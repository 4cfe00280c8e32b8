// Which apiVersion/kind an object of a table is: watch lists carry neither per item, so the type
// comes from the table's resource type (built-in ones known here, the rest from discovery).
import type { KubeObject } from '../../shared/kube.js';
import type { KubeObjectRef } from '../../shared/rpc/object-contract.js';
import { objectRpc } from './object-rpc.js';

const BUILTIN: Record<string, { apiVersion: string; kind: string }> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  services: { apiVersion: 'v1', kind: 'Service' },
  nodes: { apiVersion: 'v1', kind: 'Node' },
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  events: { apiVersion: 'v1', kind: 'Event' },
  endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
  persistentvolumeclaims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  persistentvolumes: { apiVersion: 'v1', kind: 'PersistentVolume' },
  serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  'deployments.apps': { apiVersion: 'apps/v1', kind: 'Deployment' },
  'replicasets.apps': { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  'statefulsets.apps': { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  'daemonsets.apps': { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  'jobs.batch': { apiVersion: 'batch/v1', kind: 'Job' },
  'cronjobs.batch': { apiVersion: 'batch/v1', kind: 'CronJob' },
};

const discovered = new Map<string, Map<string, { apiVersion: string; kind: string }>>();

/** apiVersion/kind of a table's type id ("pods", "deployments.apps", "widgets.example.com"). */
export async function typeOf(clusterId: string, typeId: string): Promise<{ apiVersion: string; kind: string } | undefined> {
  const known = BUILTIN[typeId];
  if (known) return known;
  let types = discovered.get(clusterId);
  if (!types?.has(typeId)) {
    const result = await objectRpc().call('resources.discover', { clusterId });
    types = new Map(result.types.map((t) => [t.id, { apiVersion: t.group ? `${t.group}/${t.version}` : t.version, kind: t.kind }]));
    discovered.set(clusterId, types);
  }
  return types.get(typeId);
}

export function typeOfSync(typeId: string, obj: KubeObject): { apiVersion: string; kind: string } | undefined {
  if (obj.apiVersion && obj.kind) return { apiVersion: obj.apiVersion, kind: obj.kind };
  return BUILTIN[typeId];
}

export function refOf(obj: KubeObject, type: { apiVersion: string; kind: string }): KubeObjectRef {
  return { apiVersion: type.apiVersion, kind: type.kind, name: obj.metadata.name ?? '', namespace: obj.metadata.namespace };
}

/** The table type id of a kind, to open it in the tables when it is there. */
export function typeIdOf(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const plural = kind.toLowerCase().endsWith('s') ? `${kind.toLowerCase()}es` : kind.toLowerCase().endsWith('y') ? `${kind.toLowerCase().slice(0, -1)}ies` : `${kind.toLowerCase()}s`;
  return group ? `${plural}.${group}` : plural;
}
