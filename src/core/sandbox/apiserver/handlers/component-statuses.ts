// componentstatuses (deprecated but still listed by kubectl 1.32): computed, never stored, as
// kube-apiserver probes its scheduler, controller-manager and etcd. In the sandbox they run in the
// same process, so their health is the store's.
import type { KubeObject } from '../../../../shared/kube.js';
import { negotiate, send } from '../content.js';
import type { Tables } from '../services.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';

const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];
// kube-apiserver marks the API deprecated on every response; kubectl prints it as a warning.
const DEPRECATION = { Warning: '299 - "v1 ComponentStatus is deprecated in v1.19+"' };

function status(name: string, healthy: boolean): KubeObject {
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: healthy ? 'True' : 'False', message: healthy ? (name === 'etcd-0' ? '{"health":"true","reason":""}' : 'ok') : 'store unavailable' }],
  };
}

export function componentStatusHandler(storeHealthy: () => Promise<boolean>, tables: Tables): ConnectHandler {
  return async ({ info, target, req, res, query }) => {
    const healthy = await storeHealthy();
    const negotiated = negotiate(req.headers.accept, query);
    const reply = (objects: KubeObject[], single: KubeObject | object) =>
      send(res, 200, negotiated.table ? tables.toTable(target.def, objects, { includeObject: negotiated.includeObject }) : single, false, DEPRECATION);
    if (info.verb === 'list') {
      const items = COMPONENTS.map((c) => status(c, healthy));
      reply(items, { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items });
      return;
    }
    if (info.verb === 'get') {
      if (!COMPONENTS.includes(info.name)) throw ApiError.notFound({ group: '', resource: 'componentstatuses' }, info.name);
      const item = status(info.name, healthy);
      reply([item], item);
      return;
    }
    throw ApiError.methodNotSupported({ group: '', resource: 'componentstatuses' }, info.verb);
  };
}
