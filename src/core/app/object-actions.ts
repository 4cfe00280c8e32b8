// What the object panel and the YAML editor do to a cluster: read one object and its events,
// server-side apply (dry run, force), create from multi-document YAML, delete with a propagation
// policy, scale through the scale subresource, restart a rollout as kubectl does, cordon/uncordon.
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { KubeList, KubeObject } from '../../shared/kube.js';
import type { DeletePropagation, KubeObjectRef, WriteOutcome } from '../../shared/rpc/object-contract.js';
import { RpcParamsError } from '../../shared/rpc/rpc-server.js';
import { resolveResource, resourcePath } from './object-actions-discovery.js';
import { bodyOrThrow, kubeRequest, outcomeOf } from './object-actions-http.js';

export const FIELD_MANAGER = 'kubedesk';

function failure(message: string, code = 400): WriteOutcome {
  return { ok: false, code, message, causes: [], conflicts: [] };
}

/** What apply sends: the user's intent, without what the server owns (status, bookkeeping). */
export function applyBody(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj;
  const { managedFields: _m, resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _g, selfLink: _s, ...metadata } = obj.metadata ?? {};
  return { ...rest, metadata };
}

/** One YAML document as an object, or why it cannot be applied. */
export function parseManifest(text: string): { object?: KubeObject; error?: string }[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [{ error: 'the text is not YAML documents' }];
  const out: { object?: KubeObject; error?: string }[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      out.push({ error: `YAML error: ${doc.errors[0].message}` });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ error: 'a document is not a mapping: each must be one Kubernetes object' });
      continue;
    }
    const obj = value as KubeObject;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') out.push({ error: 'a document lacks apiVersion or kind' });
    else if (typeof obj.metadata !== 'object' || obj.metadata === null || (!obj.metadata.name && !obj.metadata.generateName)) out.push({ error: `the ${obj.kind} lacks metadata.name` });
    else out.push({ object: obj });
  }
  return out;
}

export class ObjectActions {
  constructor(private readonly configFor: (clusterId: string) => KubeConfig | undefined) {}

  private config(clusterId: string): KubeConfig {
    const config = this.configFor(clusterId);
    if (!config) throw new RpcParamsError(`cluster "${clusterId}" is not connected: connect it first`);
    return config;
  }

  private async path(config: KubeConfig, ref: KubeObjectRef, sub?: string): Promise<string> {
    const info = await resolveResource(config, ref.apiVersion, ref.kind);
    if (sub && !info.subresources.includes(sub)) throw new RpcParamsError(`${ref.kind} has no ${sub} subresource on this cluster`);
    return resourcePath(ref.apiVersion, info, ref.namespace, ref.name) + (sub ? `/${sub}` : '');
  }

  async get(clusterId: string, ref: KubeObjectRef): Promise<KubeObject> {
    const config = this.config(clusterId);
    const path = await this.path(config, ref);
    return bodyOrThrow(await kubeRequest(config, 'GET', path), `GET ${path}`) as KubeObject;
  }

  async list(clusterId: string, q: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string; fieldSelector?: string }): Promise<KubeObject[]> {
    const config = this.config(clusterId);
    const info = await resolveResource(config, q.apiVersion, q.kind);
    const base = resourcePath(q.apiVersion, { ...info, namespaced: info.namespaced && !!q.namespace }, q.namespace);
    const query = new URLSearchParams();
    if (q.labelSelector) query.set('labelSelector', q.labelSelector);
    if (q.fieldSelector) query.set('fieldSelector', q.fieldSelector);
    const path = `${base}${query.size ? `?${query}` : ''}`;
    const list = bodyOrThrow(await kubeRequest(config, 'GET', path), `GET ${path}`) as KubeList;
    const kind = q.kind;
    return list.items.map((o) => ({ apiVersion: q.apiVersion, kind, ...o }));
  }

  async events(clusterId: string, uid: string, namespace?: string): Promise<KubeObject[]> {
    const items = await this.list(clusterId, { apiVersion: 'v1', kind: 'Event', namespace, fieldSelector: `involvedObject.uid=${uid}` });
    const when = (e: KubeObject): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    return items.sort((a, b) => when(a).localeCompare(when(b)));
  }

  private async applyObject(config: KubeConfig, obj: KubeObject, namespace: string | undefined, dryRun: boolean, force: boolean): Promise<WriteOutcome> {
    const apiVersion = obj.apiVersion as string;
    const kind = obj.kind as string;
    const info = await resolveResource(config, apiVersion, kind);
    const ns = obj.metadata.namespace ?? namespace ?? 'default';
    const body = applyBody({ ...obj, metadata: { ...obj.metadata, ...(info.namespaced ? { namespace: ns } : {}) } });
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' });
    if (dryRun) query.set('dryRun', 'All');
    if (!obj.metadata.name) {
      // generateName cannot be applied (apply needs a name): create it instead.
      const path = `${resourcePath(apiVersion, info, ns)}?${query}`;
      return outcomeOf(await kubeRequest(config, 'POST', path, { body: JSON.stringify(body), contentType: 'application/json' }), `create ${kind}`);
    }
    if (force) query.set('force', 'true');
    const path = `${resourcePath(apiVersion, info, ns, obj.metadata.name)}?${query}`;
    // JSON is YAML: the apply-patch+yaml content type takes it as is.
    return outcomeOf(await kubeRequest(config, 'PATCH', path, { body: JSON.stringify(body), contentType: 'application/apply-patch+yaml' }), `apply ${kind}/${obj.metadata.name}`);
  }

  async apply(clusterId: string, yaml: string, opts: { namespace?: string; dryRun?: boolean; force?: boolean }): Promise<WriteOutcome> {
    const config = this.config(clusterId);
    const docs = parseManifest(yaml);
    if (docs.length !== 1) return failure(docs.length === 0 ? 'nothing to apply: the text is empty' : `the editor applies one object; this text has ${docs.length} documents (use Create for several)`);
    const [doc] = docs;
    if (!doc.object) return failure(doc.error ?? 'not an object');
    return this.applyObject(config, doc.object, opts.namespace, opts.dryRun ?? false, opts.force ?? false);
  }

  async create(clusterId: string, yaml: string, opts: { namespace?: string; dryRun?: boolean }): Promise<WriteOutcome[]> {
    const config = this.config(clusterId);
    const docs = parseManifest(yaml);
    if (docs.length === 0) return [failure('nothing to create: the text is empty')];
    const outcomes: WriteOutcome[] = [];
    for (const doc of docs) {
      if (!doc.object) outcomes.push(failure(doc.error ?? 'not an object'));
      else outcomes.push(await this.applyObject(config, doc.object, opts.namespace, opts.dryRun ?? false, false).catch((error: unknown) => failure(error instanceof Error ? error.message : String(error), 404)));
    }
    return outcomes;
  }

  async delete(clusterId: string, ref: KubeObjectRef, propagation: DeletePropagation): Promise<WriteOutcome> {
    const config = this.config(clusterId);
    const path = await this.path(config, ref);
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: propagation });
    return outcomeOf(await kubeRequest(config, 'DELETE', path, { body, contentType: 'application/json' }), `delete ${ref.kind}/${ref.name}`);
  }

  async scale(clusterId: string, ref: KubeObjectRef, replicas: number): Promise<WriteOutcome> {
    const config = this.config(clusterId);
    const path = await this.path(config, ref, 'scale');
    const body = JSON.stringify({ spec: { replicas } });
    return outcomeOf(await kubeRequest(config, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}`, { body, contentType: 'application/merge-patch+json' }), `scale ${ref.kind}/${ref.name}`);
  }

  /** `kubectl rollout restart`: a new pod-template annotation makes the controller roll every pod. */
  async restart(clusterId: string, ref: KubeObjectRef): Promise<WriteOutcome> {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(ref.kind)) return failure(`${ref.kind} has no rollout to restart: only Deployments, StatefulSets and DaemonSets do`);
    const config = this.config(clusterId);
    const path = await this.path(config, ref);
    const body = JSON.stringify({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } } } });
    return outcomeOf(await kubeRequest(config, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}`, { body, contentType: 'application/merge-patch+json' }), `restart ${ref.kind}/${ref.name}`);
  }

  async cordon(clusterId: string, name: string, unschedulable: boolean): Promise<WriteOutcome> {
    const config = this.config(clusterId);
    const path = await this.path(config, { apiVersion: 'v1', kind: 'Node', name });
    // Uncordon removes the field, as kubectl does, rather than writing false.
    const body = JSON.stringify({ spec: { unschedulable: unschedulable ? true : null } });
    return outcomeOf(await kubeRequest(config, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}`, { body, contentType: 'application/merge-patch+json' }), `${unschedulable ? 'cordon' : 'uncordon'} node/${name}`);
  }

  /** For the drain: the eviction answer as is (429 means a PodDisruptionBudget said no). */
  async evict(clusterId: string, namespace: string, pod: string): Promise<WriteOutcome> {
    const config = this.config(clusterId);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/eviction`;
    const body = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } });
    return outcomeOf(await kubeRequest(config, 'POST', path, { body, contentType: 'application/json' }), `evict pod ${namespace}/${pod}`);
  }
}
