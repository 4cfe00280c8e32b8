// RPC handlers for discovery, one-off lists (metrics) and the tables' bulk delete. Params come
// from outside the process: each is checked before use.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../shared/kube.js';
import type { AccessAnswer, DeleteOutcome, ObjectRef, PropagationPolicy, ResourcesRpcMethods } from '../../shared/rpc/resources-contract.js';
import { paramsRecord as record } from '../../shared/rpc/rpc-params.js';
import { RpcParamsError, type RpcHandlers } from '../../shared/rpc/rpc-server.js';
import { kubeGet } from '../app/kube-http.js';
import { collectionPath, type DiscoveryCache } from './discovery.js';
import { kubeRequest, statusMessage } from './kube-request.js';

type Handlers = Pick<RpcHandlers, keyof ResourcesRpcMethods>;

const POLICIES: readonly PropagationPolicy[] = ['Background', 'Foreground', 'Orphan'];
/** Deletes in flight at once: enough to be quick, few enough not to flood a real API server. */
const DELETE_CONCURRENCY = 8;

function text(p: Record<string, unknown>, name: string, method: string, optional = false): string {
  const value = p[name];
  if (optional && (value === undefined || value === '')) return '';
  if (typeof value !== 'string' || value === '') throw new RpcParamsError(`${method}: "${name}" must be a non-empty string`);
  return value;
}

function objectRefs(value: unknown): ObjectRef[] {
  if (!Array.isArray(value)) throw new RpcParamsError('resources.deleteMany: "objects" must be an array');
  return value.map((v, i) => {
    const r = record(v, `resources.deleteMany: objects[${i}]`);
    const namespace = text(r, 'namespace', 'resources.deleteMany', true);
    return { type: text(r, 'type', 'resources.deleteMany'), name: text(r, 'name', 'resources.deleteMany'), ...(namespace ? { namespace } : {}) };
  });
}

export function resourceHandlers(discovery: DiscoveryCache, configFor: (clusterId: string) => KubeConfig | undefined): Handlers {
  const configOf = (clusterId: string): KubeConfig => {
    const config = configFor(clusterId);
    if (!config) throw new Error(`unknown or not yet started cluster "${clusterId}": pick one from the cluster list`);
    return config;
  };
  const typeOf = async (clusterId: string, id: string) => {
    const type = await discovery.resolve(clusterId, id);
    if (!type) throw new Error(`the cluster serves no resource type "${id}" (is its CRD installed?)`);
    return type;
  };
  const review = async (config: KubeConfig, group: string, resource: string, namespace?: string): Promise<{ allowed: boolean; reason?: string }> => {
    const answer = await kubeRequest(config, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', group, resource, ...(namespace ? { namespace } : {}) } },
    });
    if (answer.status >= 300) throw new Error(`the access review failed: ${statusMessage(answer)}`);
    const status = (answer.body as { status?: { allowed?: boolean; reason?: string; evaluationError?: string } }).status;
    return { allowed: status?.allowed === true, reason: status?.reason || status?.evaluationError || undefined };
  };
  return {
    'resources.access': async (params) => {
      const p = record(params, 'resources.access');
      const clusterId = text(p, 'clusterId', 'resources.access');
      if (!Array.isArray(p.types) || p.types.some((t) => typeof t !== 'string')) throw new RpcParamsError('resources.access: "types" must be an array of strings');
      const config = configOf(clusterId);
      const namespace = config.getContextObject(config.getCurrentContext())?.namespace;
      const out: Record<string, AccessAnswer> = {};
      await Promise.all(
        (p.types as string[]).slice(0, 200).map(async (id) => {
          try {
            const type = await typeOf(clusterId, id);
            const cluster = await review(config, type.group, type.resource);
            if (cluster.allowed) out[id] = { allowed: true, scope: 'cluster' };
            else if (type.namespaced && namespace && (await review(config, type.group, type.resource, namespace)).allowed) out[id] = { allowed: true, scope: 'namespace' };
            else out[id] = { allowed: false, reason: cluster.reason ?? `may not list ${type.resource}${type.group ? `.${type.group}` : ''}` };
          } catch (error) {
            // Unknown: the watch itself will say what is wrong.
            out[id] = { allowed: true, reason: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      return out;
    },
    'resources.discover': (params) => {
      const p = record(params, 'resources.discover');
      return discovery.get(text(p, 'clusterId', 'resources.discover'), p.refresh === true);
    },
    'resources.list': async (params) => {
      const p = record(params, 'resources.list');
      const clusterId = text(p, 'clusterId', 'resources.list');
      const type = await typeOf(clusterId, text(p, 'type', 'resources.list'));
      const body = (await kubeGet(configOf(clusterId), collectionPath(type, text(p, 'namespace', 'resources.list', true) || undefined))) as { items?: KubeObject[] };
      return { items: body.items ?? [] };
    },
    'resources.deleteMany': async (params) => {
      const p = record(params, 'resources.deleteMany');
      const clusterId = text(p, 'clusterId', 'resources.deleteMany');
      const refs = objectRefs(p.objects);
      const policy = p.propagationPolicy;
      if (!POLICIES.includes(policy as PropagationPolicy)) throw new RpcParamsError(`resources.deleteMany: "propagationPolicy" must be one of ${POLICIES.join(', ')}`);
      const config = configOf(clusterId);
      const outcomes: DeleteOutcome[] = new Array<DeleteOutcome>(refs.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < refs.length; i = next++) {
          const ref = refs[i];
          try {
            const type = await typeOf(clusterId, ref.type);
            if (type.namespaced && !ref.namespace) throw new Error(`${type.kind} "${ref.name}" is namespaced: say in which namespace`);
            const path = `${collectionPath(type, ref.namespace)}/${encodeURIComponent(ref.name)}`;
            const answer = await kubeRequest(config, 'DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy });
            outcomes[i] = answer.status < 300 ? { ...ref, ok: true } : { ...ref, ok: false, error: statusMessage(answer) };
          } catch (error) {
            outcomes[i] = { ...ref, ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, refs.length) }, worker));
      return { outcomes };
    },
  };
}
