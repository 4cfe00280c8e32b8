// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
// replicationcontrollers: `kubectl scale` PATCHes it, HPAs read and PUT it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../../../shared/kube.js';
import type { UserInfo } from '../../registry/types.js';
import { decodeBody, mediaType, readBody, send } from '../content.js';
import { ApiError } from '../errors.js';
import type { RequestInfo } from '../request-info.js';
import type { ResourceApi, Target } from '../resource-api.js';
import type { Patches } from '../services.js';
import { isObject } from '../../registry/store/object-util.js';
import { checkJsonPatchResult, checkStrategicPatch, decodeBodyError } from '../typed/write-checks.js';

interface ScalableSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | Record<string, string>;
}

export function selectorString(selector: ScalableSpec['selector']): string {
  if (!selector) return '';
  if ('matchLabels' in selector || 'matchExpressions' in selector) {
    const s = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
    const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const e of s.matchExpressions ?? []) {
      const values = [...(e.values ?? [])].sort().join(',');
      if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
      else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
      else if (e.operator === 'Exists') parts.push(e.key);
      else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    }
    return parts.sort().join(',');
  }
  return Object.entries(selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).sort().join(',');
}

export function toScale(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as ScalableSpec;
  const status = (obj.status ?? {}) as { replicas?: number };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

export function scaleHandler(api: ResourceApi, patches: Patches) {
  return async (ctx: { user: UserInfo; info: RequestInfo; target: Target; query: URLSearchParams; req: IncomingMessage; res: ServerResponse }): Promise<void> => {
    const { info, target, user, req, res, query } = ctx;
    const name = info.name;
    if (info.verb === 'get') return send(res, 200, toScale(await api.get(target, name)));
    if (info.verb !== 'update' && info.verb !== 'patch') throw ApiError.methodNotSupported({ group: target.def.group, resource: `${target.def.plural}/scale` }, info.verb);
    const raw = await readBody(req);
    const current = await api.get(target, name);
    const currentScale = toScale(current);
    let desired: KubeObject;
    // A Scale is decoded as kube-apiserver decodes any body: a wrongly typed value fails as in resource-api.
    const typed = api.scaleTypedSchema(target);
    if (info.verb === 'update') {
      desired = decodeBody(raw, req.headers['content-type']) as KubeObject;
      const error = typed && decodeBodyError(typed, desired);
      if (error) throw ApiError.badRequest(`Scale in version "v1" cannot be handled as a Scale: ${error}`);
    } else {
      const type = mediaType(req.headers['content-type']);
      const patch = decodeBody(raw, 'application/json');
      const json = type === 'application/json-patch+json';
      desired = json ? patches.json(currentScale, patch) : patches.merge(currentScale, patch); // a Scale has no lists: strategic merge equals merge
      if (typed && type === 'application/strategic-merge-patch+json') checkStrategicPatch(typed, patch);
      else if (typed) checkJsonPatchResult(typed, json ? 'json' : 'merge', desired, patch);
    }
    const spec = isObject(desired) && isObject(desired.spec) ? desired.spec : {};
    const replicas = spec.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw ApiError.invalid('Scale', 'autoscaling', name, [
        { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' },
      ]);
    }
    const rv = desired.metadata?.resourceVersion;
    if (info.verb === 'update' && rv && rv !== current.metadata.resourceVersion) {
      throw ApiError.conflict({ group: target.def.group, resource: target.def.plural }, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const result = await api.patch(user, target, name, 'merge', { spec: { replicas } }, { dryRun: query.getAll('dryRun').includes('All'), fieldManager: query.get('fieldManager') ?? undefined, subresource: 'scale' }, (req.headers['user-agent'] ?? 'unknown').split('/')[0]);
    return send(res, 200, toScale(result.object));
  };
}
