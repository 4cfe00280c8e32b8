// RPC handlers of the terminal dock, pod shells, logs and port-forwards: parameters checked here; a
// window's attachments and log streams end with its connection, the sessions themselves do not.
import { randomUUID } from 'node:crypto';
import type { LogLine, LogTargetParams, ShellRpcMethods } from '../../shared/rpc/terminal-contract.js';
import { optionalString as optStr, paramsRecord as record, requiredString as str } from '../../shared/rpc/rpc-params.js';
import { RpcParamsError, type RpcConnection } from '../../shared/rpc/rpc-server.js';
import type { Disposable } from '../../shared/disposable.js';
import type { ShellService } from './shell-service.js';

type Handlers = {
  [M in keyof ShellRpcMethods]: (params: unknown, connection: RpcConnection) => Promise<ShellRpcMethods[M]['result']> | ShellRpcMethods[M]['result'];
};

function optInt(p: Record<string, unknown>, name: string, method: string, min = 0): number | undefined {
  const value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RpcParamsError(`${method}: "${name}" must be an integer of at least ${min}`);
  return value;
}
function optBool(p: Record<string, unknown>, name: string): boolean | undefined {
  return typeof p[name] === 'boolean' ? p[name] : undefined;
}

function logTarget(value: unknown): LogTargetParams {
  const m = 'logs.start';
  const t = record(value, m);
  const pods = t.pods;
  if (pods !== undefined && (!Array.isArray(pods) || !pods.every((x) => typeof x === 'string' && x !== ''))) throw new RpcParamsError(`${m}: "target.pods" must be a list of pod names`);
  const selector = optStr(t, 'selector', m);
  if (!pods && selector === undefined) throw new RpcParamsError(`${m}: give "target.pods" or "target.selector"`);
  return {
    namespace: str(t, 'namespace', m),
    pods: pods as string[] | undefined,
    selector,
    container: optStr(t, 'container', m),
    includeInitContainers: optBool(t, 'includeInitContainers'),
    follow: optBool(t, 'follow'),
    tailLines: optInt(t, 'tailLines', m),
    sinceSeconds: optInt(t, 'sinceSeconds', m, 1),
    sinceTime: optStr(t, 'sinceTime', m),
    previous: optBool(t, 'previous'),
  };
}

export function shellHandlers(shell: ShellService): Handlers {
  const logStreams = new WeakMap<RpcConnection, Map<string, Disposable>>();
  const streamsOf = (c: RpcConnection): Map<string, Disposable> => {
    let map = logStreams.get(c);
    if (!map) logStreams.set(c, (map = new Map()));
    return map;
  };
  const attached = new WeakMap<RpcConnection, Map<string, Disposable>>();
  const attachmentsOf = (c: RpcConnection): Map<string, Disposable> => {
    let map = attached.get(c);
    if (!map) attached.set(c, (map = new Map()));
    return map;
  };
  return {
    'terminal.create': (params) => {
      const p = record(params, 'terminal.create');
      return shell.createTerminal({ clusterId: optStr(p, 'clusterId', 'terminal.create'), namespace: optStr(p, 'namespace', 'terminal.create'), cols: optInt(p, 'cols', 'terminal.create', 1), rows: optInt(p, 'rows', 'terminal.create', 1) });
    },
    'terminal.podShell': (params) => {
      const m = 'terminal.podShell';
      const p = record(params, m);
      return shell.podShell({ clusterId: str(p, 'clusterId', m), namespace: str(p, 'namespace', m), pod: str(p, 'pod', m), container: str(p, 'container', m), cols: optInt(p, 'cols', m, 1), rows: optInt(p, 'rows', m, 1) });
    },
    'terminal.attachContainer': (params) => {
      const m = 'terminal.attachContainer';
      const p = record(params, m);
      return shell.attachContainer({ clusterId: str(p, 'clusterId', m), namespace: str(p, 'namespace', m), pod: str(p, 'pod', m), container: str(p, 'container', m), cols: optInt(p, 'cols', m, 1), rows: optInt(p, 'rows', m, 1) });
    },
    'terminal.nodeShell': (params) => {
      const m = 'terminal.nodeShell';
      const p = record(params, m);
      return shell.nodeShell({ clusterId: str(p, 'clusterId', m), node: str(p, 'node', m), cols: optInt(p, 'cols', m, 1), rows: optInt(p, 'rows', m, 1) });
    },
    'terminal.list': () => shell.terminals.list(),
    'terminal.attach': (params, connection) => {
      const id = str(record(params, 'terminal.attach'), 'id', 'terminal.attach');
      const attachments = attachmentsOf(connection);
      attachments.get(id)?.dispose();
      const sub = shell.terminals.attach(
        id,
        (data) => connection.emit('terminal.data', { id, data }),
        (exitCode) => connection.emit('terminal.exit', { id, exitCode }),
      );
      attachments.set(id, connection.track(sub));
      return { ok: true };
    },
    'terminal.input': (params) => {
      const p = record(params, 'terminal.input');
      const data = p.data;
      if (typeof data !== 'string') throw new RpcParamsError('terminal.input: "data" must be a string');
      shell.terminals.write(str(p, 'id', 'terminal.input'), data);
      return { ok: true };
    },
    'terminal.resize': (params) => {
      const p = record(params, 'terminal.resize');
      shell.terminals.resize(str(p, 'id', 'terminal.resize'), optInt(p, 'cols', 'terminal.resize', 1) ?? 80, optInt(p, 'rows', 'terminal.resize', 1) ?? 24);
      return { ok: true };
    },
    'terminal.close': (params, connection) => {
      const id = str(record(params, 'terminal.close'), 'id', 'terminal.close');
      attachmentsOf(connection).get(id)?.dispose();
      shell.terminals.close(id);
      return { ok: true };
    },
    'logs.start': (params, connection) => {
      const p = record(params, 'logs.start');
      const clusterId = str(p, 'clusterId', 'logs.start');
      const target = logTarget(p.target);
      const streamId = randomUUID();
      const session = shell.logs(clusterId, target, {
        // In messages of at most 2,000 lines: a burst (a long tail, a fast log) then costs the window
        // several small parses instead of one large one that holds a frame and peaks its memory.
        onEntries: (entries) => {
          for (let i = 0; i < entries.length; i += 2000) {
            connection.emit('logs.lines', { streamId, lines: entries.slice(i, i + 2000).map((e): LogLine => [e.time, e.timestamp, e.pod, e.container, e.colour, e.text]) });
          }
        },
        onStatus: (message) => connection.emit('logs.status', { streamId, message }),
      });
      streamsOf(connection).set(streamId, connection.track(session));
      return { streamId };
    },
    'logs.stop': (params, connection) => {
      const streamId = str(record(params, 'logs.stop'), 'streamId', 'logs.stop');
      const streams = streamsOf(connection);
      streams.get(streamId)?.dispose();
      streams.delete(streamId);
      return { ok: true };
    },
    'portForward.start': (params) => {
      const m = 'portForward.start';
      const p = record(params, m);
      const kind = p.kind;
      if (kind !== 'pod' && kind !== 'service') throw new RpcParamsError(`${m}: "kind" must be "pod" or "service"`);
      const port = optInt(p, 'port', m, 1);
      if (port === undefined || port > 65535) throw new RpcParamsError(`${m}: "port" must be a port number`);
      return shell.startForward(str(p, 'clusterId', m), { namespace: str(p, 'namespace', m), kind, name: str(p, 'name', m), port, localPort: optInt(p, 'localPort', m) });
    },
    'portForward.list': () => shell.forwards.list(),
    'portForward.stop': (params) => {
      shell.forwards.stop(str(record(params, 'portForward.stop'), 'id', 'portForward.stop'));
      return { ok: true };
    },
  };
}
