// Per-kind selectable field sets (each registry strategy's GetAttrs in kube-apiserver). Values are
// strings; booleans and counts are formatted like Go's strconv.
import type { KubeObject } from '../../../../shared/kube.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function num(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : '0';
}

/** metadata.name, plus metadata.namespace for namespaced kinds (generic.AddObjectMetaFieldsSet). */
function meta(o: KubeObject, namespaced: boolean): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': o.metadata?.name ?? '' };
  if (namespaced) fields['metadata.namespace'] = o.metadata?.namespace ?? '';
  return fields;
}

function podFields(o: KubeObject): Record<string, string> {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const podIPs = Array.isArray(status.podIPs) ? status.podIPs : [];
  const firstIP = podIPs.length > 0 ? str(obj(podIPs[0]).ip) : str(status.podIP);
  return {
    ...meta(o, true),
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
    'status.phase': str(status.phase),
    'status.podIP': firstIP,
    'status.nominatedNodeName': str(status.nominatedNodeName),
  };
}

/** Core and events.k8s.io Events share one field set; the latter's names are mapped onto it. */
function eventFields(o: KubeObject): Record<string, string> {
  const involved = obj(o.involvedObject ?? o.regarding);
  const source = obj(o.source ?? o.deprecatedSource);
  return {
    ...meta(o, true),
    'involvedObject.kind': str(involved.kind),
    'involvedObject.namespace': str(involved.namespace),
    'involvedObject.name': str(involved.name),
    'involvedObject.uid': str(involved.uid),
    'involvedObject.apiVersion': str(involved.apiVersion),
    'involvedObject.resourceVersion': str(involved.resourceVersion),
    'involvedObject.fieldPath': str(involved.fieldPath),
    reason: str(o.reason),
    reportingComponent: str(o.reportingComponent ?? o.reportingController),
    source: str(source.component),
    type: str(o.type),
  };
}

const FIELD_SETS: Record<string, (o: KubeObject) => Record<string, string>> = {
  pods: podFields,
  nodes: (o) => ({ ...meta(o, false), 'spec.unschedulable': obj(o.spec).unschedulable === true ? 'true' : 'false' }),
  namespaces: (o) => ({ ...meta(o, false), 'status.phase': str(obj(o.status).phase) }),
  secrets: (o) => ({ ...meta(o, true), type: str(o.type) }),
  services: (o) => ({ ...meta(o, true), 'spec.clusterIP': str(obj(o.spec).clusterIP), 'spec.type': str(obj(o.spec).type) }),
  replicationcontrollers: (o) => ({ ...meta(o, true), 'status.replicas': num(obj(o.status).replicas) }),
  events: eventFields,
  'events.k8s.io/events': eventFields,
  'apps/replicasets': (o) => ({ ...meta(o, true), 'status.replicas': num(obj(o.status).replicas) }),
  'batch/jobs': (o) => ({ ...meta(o, true), 'status.successful': num(obj(o.status).succeeded) }),
  'certificates.k8s.io/certificatesigningrequests': (o) => ({ ...meta(o, false), 'spec.signerName': str(obj(o.spec).signerName) }),
};

/** Read ".spec.color"-style paths for a CRD's selectableFields; non-scalar values read as "". */
function readPath(o: unknown, path: string): string {
  let cur: unknown = o;
  for (const part of path.replace(/^\./, '').split('.')) cur = obj(cur)[part];
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return '';
}

export function selectableFields(key: string, o: KubeObject, customFields?: string[]): Record<string, string> {
  const namespaced = typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '';
  if (customFields) {
    const fields = meta(o, namespaced);
    for (const f of customFields) fields[f.replace(/^\./, '')] = readPath(o, f);
    return fields;
  }
  // Every watcher with a field selector (a kubelet per node watches pods by spec.nodeName) asks
  // for the same stored object's fields: computed once per object, frozen so no caller can skew them.
  const cached = fieldCache.get(o);
  if (cached && cached.key === key) return cached.fields;
  const fn = FIELD_SETS[key];
  const fields = Object.freeze(fn ? fn(o) : meta(o, namespaced));
  fieldCache.set(o, { key, fields });
  return fields;
}

const fieldCache = new WeakMap<KubeObject, { key: string; fields: Readonly<Record<string, string>> }>();
