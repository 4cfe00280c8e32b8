// RPC handlers of the object panel and editor: parameters checked here, the work in ObjectActions.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DeletePropagation, KubeObjectRef, ObjectRpcMethods } from '../../shared/rpc/object-contract.js';
import { optionalString as optStr, paramsRecord as record, requiredString as str } from '../../shared/rpc/rpc-params.js';
import { RpcParamsError, type RpcConnection } from '../../shared/rpc/rpc-server.js';
import { ObjectActions } from './object-actions.js';
import { drainNode } from './object-actions-drain.js';
import { editorSchema } from './object-actions-schema.js';

type Handlers = { [M in keyof ObjectRpcMethods]: (params: unknown, connection: RpcConnection) => Promise<ObjectRpcMethods[M]['result']> | ObjectRpcMethods[M]['result'] };

function bool(p: Record<string, unknown>, name: string): boolean {
  return p[name] === true;
}
function ref(p: Record<string, unknown>, method: string): KubeObjectRef {
  const r = record(p.ref, `${method} ref`);
  return { apiVersion: str(r, 'apiVersion', method), kind: str(r, 'kind', method), name: str(r, 'name', method), namespace: optStr(r, 'namespace', method) };
}
function yamlText(p: Record<string, unknown>, method: string): string {
  if (typeof p.yaml !== 'string') throw new RpcParamsError(`${method}: "yaml" must be a string`);
  return p.yaml;
}

const PROPAGATIONS: readonly DeletePropagation[] = ['Background', 'Foreground', 'Orphan'];

export function objectHandlers(configFor: (clusterId: string) => KubeConfig | undefined): Handlers {
  const actions = new ObjectActions(configFor);
  const cluster = (p: Record<string, unknown>, method: string): string => str(p, 'clusterId', method);
  return {
    'object.get': (params) => {
      const p = record(params, 'object.get');
      return actions.get(cluster(p, 'object.get'), ref(p, 'object.get'));
    },
    'object.list': (params) => {
      const m = 'object.list';
      const p = record(params, m);
      return actions.list(cluster(p, m), { apiVersion: str(p, 'apiVersion', m), kind: str(p, 'kind', m), namespace: optStr(p, 'namespace', m), labelSelector: optStr(p, 'labelSelector', m), fieldSelector: optStr(p, 'fieldSelector', m) });
    },
    'object.events': (params) => {
      const p = record(params, 'object.events');
      return actions.events(cluster(p, 'object.events'), str(p, 'uid', 'object.events'), optStr(p, 'namespace', 'object.events'));
    },
    'object.apply': (params) => {
      const p = record(params, 'object.apply');
      return actions.apply(cluster(p, 'object.apply'), yamlText(p, 'object.apply'), { namespace: optStr(p, 'namespace', 'object.apply'), dryRun: bool(p, 'dryRun'), force: bool(p, 'force') });
    },
    'object.create': (params) => {
      const p = record(params, 'object.create');
      return actions.create(cluster(p, 'object.create'), yamlText(p, 'object.create'), { namespace: optStr(p, 'namespace', 'object.create'), dryRun: bool(p, 'dryRun') });
    },
    'object.delete': (params) => {
      const p = record(params, 'object.delete');
      const propagation = p.propagation;
      if (!PROPAGATIONS.includes(propagation as DeletePropagation)) throw new RpcParamsError(`object.delete: "propagation" must be one of ${PROPAGATIONS.join(', ')}`);
      return actions.delete(cluster(p, 'object.delete'), ref(p, 'object.delete'), propagation as DeletePropagation);
    },
    'object.scale': (params) => {
      const p = record(params, 'object.scale');
      const replicas = p.replicas;
      if (typeof replicas !== 'number' || !Number.isSafeInteger(replicas) || replicas < 0) throw new RpcParamsError('object.scale: "replicas" must be an integer of at least 0');
      return actions.scale(cluster(p, 'object.scale'), ref(p, 'object.scale'), replicas);
    },
    'object.restart': (params) => {
      const p = record(params, 'object.restart');
      return actions.restart(cluster(p, 'object.restart'), ref(p, 'object.restart'));
    },
    'node.cordon': (params) => {
      const p = record(params, 'node.cordon');
      return actions.cordon(cluster(p, 'node.cordon'), str(p, 'name', 'node.cordon'), bool(p, 'unschedulable'));
    },
    'node.drain': (params, connection) => {
      const m = 'node.drain';
      const p = record(params, m);
      const timeout = p.timeoutSeconds;
      if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 0 || timeout > 3600)) throw new RpcParamsError('node.drain: "timeoutSeconds" must be a number from 0 to 3600');
      const progressId = optStr(p, 'progressId', m);
      return drainNode(actions, cluster(p, m), str(p, 'name', m), {
        timeoutSeconds: timeout as number | undefined,
        deleteEmptyDirData: bool(p, 'deleteEmptyDirData'),
        force: bool(p, 'force'),
        onProgress: progressId ? (line) => connection.emit('node.drain.progress', { progressId, line }) : undefined,
      });
    },
    'schema.get': (params) => {
      const m = 'schema.get';
      const p = record(params, m);
      const config = configFor(cluster(p, m));
      if (!config) throw new RpcParamsError(`cluster "${String(p.clusterId)}" is not connected: connect it first`);
      return editorSchema(config, str(p, 'apiVersion', m), str(p, 'kind', m));
    },
  };
}
