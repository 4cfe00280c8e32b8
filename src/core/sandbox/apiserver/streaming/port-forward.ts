// pods/portforward: SPDY/3.1 streams in pairs (streamType error and data, same requestID and port)
// per forwarded TCP connection, over a raw upgrade or tunnelled in a WebSocket (kubectl 1.32 tries
// "SPDY/3.1+portforward.k8s.io" first). Each data stream becomes a connection to the pod's port.
import type { Socket } from 'node:net';
import type { KubeObject } from '../../../../shared/kube.js';
import type { ContainerConnection } from '../../runtime/types.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import type { PodStreamBackend } from './backend.js';
import { PODS, podSpec, requireNode, sendText } from './pods.js';
import { SpdySession, type SpdyStream } from './spdy.js';
import { acceptUpgrade, UpgradeRefused, webSocketTransport } from './upgrade.js';
import { isWebSocketUpgrade, offeredProtocols, type WebSocketConnection } from './websocket.js';

const PROTOCOL = 'portforward.k8s.io';
const TUNNEL_PROTOCOL = `SPDY/3.1+${PROTOCOL}`;
// The kubelet's older WebSocket port-forward (channels per port), as @kubernetes/client-node uses it.
const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** A connection to whichever container of the pod listens on the port (containers share the pod's network). */
export function connectToPod(backend: PodStreamBackend, pod: KubeObject, port: number): ContainerConnection | undefined {
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const spec of podSpec(pod).containers ?? []) {
    const connection = backend.container(namespace, name, spec.name)?.connect(port);
    if (connection) return connection;
  }
  return undefined;
}

export function portForwardHandler(backend: PodStreamBackend, client: ApiClient): ConnectHandler {
  return async ({ info, query, req, res, upgrade }) => {
    const channels = isWebSocketUpgrade(req.headers) && !offeredProtocols(req.headers).includes(TUNNEL_PROTOCOL);
    if (channels && query.getAll('ports').length === 0) throw ApiError.badRequest('query parameter "port" is required');
    const pod = await client.get(PODS, info.namespace, info.name);
    requireNode(pod);
    let session: SpdySession;
    try {
      const upgraded = acceptUpgrade(req, upgrade, [TUNNEL_PROTOCOL, ...CHANNEL_PROTOCOLS], [PROTOCOL]);
      res.detachSocket(upgrade!.socket as Socket);
      if (upgraded.kind === 'websocket' && upgraded.protocol !== TUNNEL_PROTOCOL) {
        return channelPortForward(upgraded.ws, backend, pod, query);
      }
      const transport = upgraded.kind === 'websocket' ? webSocketTransport(upgraded.ws) : upgraded.transport;
      const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
      const active = new Set<ContainerConnection>();
      session = new SpdySession(transport, (stream) => {
        const requestId = stream.headers.get('requestid') ?? '';
        const pair = pairs.get(requestId) ?? {};
        pairs.set(requestId, pair);
        if (stream.headers.get('streamtype') === 'error') pair.error = stream;
        else if (stream.headers.get('streamtype') === 'data') pair.data = stream;
        else return stream.end();
        if (pair.error && pair.data) {
          pairs.delete(requestId);
          const connection = forward(backend, pod, Number(stream.headers.get('port')), pair.data, pair.error);
          if (connection) {
            active.add(connection);
            connection.onDidClose(() => active.delete(connection));
          }
        }
      });
      // kubectl went away: the connections it opened into the pod go with it.
      session.onClose(() => active.forEach((c) => c.dispose()));
    } catch (error) {
      if (error instanceof UpgradeRefused) return sendText(res, error.code, error.message);
      throw error;
    }
    await new Promise<void>((resolve) => session.onClose(resolve));
  };
}

function forward(backend: PodStreamBackend, pod: KubeObject, port: number, data: SpdyStream, error: SpdyStream): ContainerConnection | undefined {
  const connection = Number.isInteger(port) && port > 0 && port < 65536 ? connectToPod(backend, pod, port) : undefined;
  if (!connection) {
    const uid = pod.metadata.uid ?? '';
    // The kubelet's (containerd's) wording when nothing listens on the port inside the pod.
    error.write(
      Buffer.from(
        `error forwarding port ${port} to pod ${uid}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-${uid}": failed to connect to localhost:${port} inside namespace "${uid}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
      ),
    );
    error.end();
    data.end();
    return undefined;
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    data.end();
    error.end();
    connection.dispose();
  };
  data.onData((chunk) => connection.write(chunk));
  data.onEnd(() => connection.end());
  connection.onDidData((chunk) => data.write(chunk));
  connection.onDidClose(close);
  return connection;
}

function portBytes(channel: number, port: number): Buffer {
  return Buffer.from([channel, port & 0xff, (port >> 8) & 0xff]);
}

/**
 * One WebSocket, one connection per requested port: data on channel 2i, errors on 2i+1, each
 * channel opened by the port number (uint16, little-endian) as the kubelet does.
 */
function channelPortForward(ws: WebSocketConnection, backend: PodStreamBackend, pod: KubeObject, query: URLSearchParams): void {
  const ports = query.getAll('ports').flatMap((p) => p.split(',')).map(Number);
  const connections: (ContainerConnection | undefined)[] = [];
  ports.forEach((port, i) => {
    ws.send(portBytes(2 * i, port));
    ws.send(portBytes(2 * i + 1, port));
    const connection = Number.isInteger(port) && port > 0 && port < 65536 ? connectToPod(backend, pod, port) : undefined;
    connections.push(connection);
    if (!connection) {
      ws.send(Buffer.concat([Buffer.from([2 * i + 1]), Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.uid ?? ''}, uid : failed to connect to localhost:${port} inside namespace "${pod.metadata.uid ?? ''}": connect: connection refused`)]));
      return;
    }
    connection.onDidData((chunk) => ws.send(Buffer.concat([Buffer.from([2 * i]), chunk])));
    connection.onDidClose(() => ws.close());
  });
  if (connections.every((c) => c === undefined)) return ws.close();
  ws.onMessage((data) => {
    if (data.length === 0) return;
    if (data[0] === 255) {
      if (data.length > 1 && data[1] % 2 === 0) connections[data[1] / 2]?.end();
      return;
    }
    if (data[0] % 2 === 0) connections[data[0] / 2]?.write(data.subarray(1));
  });
  ws.onClose(() => connections.forEach((c) => c?.dispose()));
}
