// pods/exec and pods/attach: resolve the container as the apiserver does, upgrade (WebSocket first,
// SPDY/3.1 as kubectl's fallback), then wire the session to the runtime's ProcessIo and report the
// exit code on the error channel (kubectl: "command terminated with exit code 3", exit status 3).
import type { Socket } from 'node:net';
import type { ProcessIo } from '../../runtime/types.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import { isTrue } from '../request-info.js';
import type { PodStreamBackend } from './backend.js';
import { requireNode, resolveContainer, sendText } from './pods.js';
import { SPDY_PROTOCOLS, WS_PROTOCOLS, spdyCommandSession, webSocketCommandSession, type RemoteCommandSession, type StreamOptions } from './remote-command.js';
import { acceptUpgrade, UpgradeRefused } from './upgrade.js';

const SUCCESS = { metadata: {}, status: 'Success' };

export function exitStatus(command: string[], code: number): object {
  if (code === 0) return SUCCESS;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function failure(message: string): object {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

export function remoteCommandHandler(kind: 'exec' | 'attach', backend: PodStreamBackend, client: ApiClient): ConnectHandler {
  return async ({ info, query, req, res, upgrade }) => {
    const command = query.getAll('command');
    if (kind === 'exec' && command.length === 0) throw ApiError.badRequest('you must specify at least 1 command');
    const options: StreamOptions = { stdin: isTrue(query.get('stdin')), stdout: isTrue(query.get('stdout')), stderr: isTrue(query.get('stderr')), tty: isTrue(query.get('tty')) };
    if (!options.stdin && !options.stdout && !options.stderr) throw ApiError.badRequest('you must specify at least 1 of stdin, stdout, stderr');
    const { pod, container: name } = await resolveContainer(client, info.namespace, info.name, query.get('container'));
    requireNode(pod);
    const container = backend.container(info.namespace, info.name, name);
    // The kubelet's words; the apiserver relays them and kubectl prefixes "unable to upgrade connection: ".
    if (!container) return sendText(res, 404, `container not found ("${name}")`);

    let session: RemoteCommandSession;
    try {
      const upgraded = acceptUpgrade(req, upgrade, WS_PROTOCOLS, SPDY_PROTOCOLS);
      res.detachSocket(upgrade!.socket as Socket);
      session = upgraded.kind === 'websocket' ? webSocketCommandSession(upgraded.ws, options) : await spdyCommandSession(upgraded.transport, options);
    } catch (error) {
      if (error instanceof UpgradeRefused) return sendText(res, error.code, error.message);
      return; // the client went away while the streams were being set up
    }

    const io: ProcessIo = {
      stdin: session.stdin,
      stdout: (chunk) => session.stdout(chunk),
      stderr: (chunk) => session.stderr(chunk),
      tty: options.tty,
      onResize: (listener) => session.onResize(listener),
    };
    try {
      if (kind === 'exec') {
        const code = await container.exec(command, io);
        session.finish(exitStatus(command, code));
      } else {
        await container.attach(io);
        session.finish(SUCCESS);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      session.finish(failure(kind === 'exec' ? `Internal error occurred: error executing command in container: ${message}` : `Internal error occurred: error attaching to container: ${message}`));
    }
  };
}
