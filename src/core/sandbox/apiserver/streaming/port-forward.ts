// pods/portforward: SPDY/3.1 streams in pairs (streamType error and data, same requestID and port)
// per forwarded TCP connection, over a raw upgrade or tunnelled in a WebSocket (kubectl 1.32 tries
// "SPDY/3.1+portforward.k8s.io" first). Each data stream becomes a connection to the pod's port.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ContainerConnection } from '../../runtime/types.js';
import type { ApiClient } from '../client.js';
import type { ConnectHandler } from '../http-types.js';
import type { PodStreamBackend } from './backend.js';
import { PODS, podSpec, requireNode, sendText } from './pods.js';
import { SpdySession, type SpdyStream } from './spdy.js';
import { acceptUpgrade, UpgradeRefused, webSocketTransport } from './upgrade.js';

const PROTOCOL = 'portforward.k8s.io';
const TUNNEL_PROTOCOL = `SPDY/3.1+${PROTOCOL}`;

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
  return async ({ info, req, res, upgrade }) => {
    const pod = await client.get(PODS, info.namespace, info.name);
    requireNode(pod);
    let session: SpdySession;
    try {
      const upgraded = acceptUpgrade(req, upgrade, [TUNNEL_PROTOCOL], [PROTOCOL]);
      res.detachSocket(upgrade!.socket as never);
      const transport = upgraded.kind === 'websocket' ? webSocketTransport(upgraded.ws) : upgraded.transport;
      const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
      session = new SpdySession(transport, (stream) => {
        const requestId = stream.headers.get('requestid') ?? '';
        const pair = pairs.get(requestId) ?? {};
        pairs.set(requestId, pair);
        if (stream.headers.get('streamtype') === 'error') pair.error = stream;
        else if (stream.headers.get('streamtype') === 'data') pair.data = stream;
        else return stream.end();
        if (pair.error && pair.data) {
          pairs.delete(requestId);
          forward(backend, pod, Number(stream.headers.get('port')), pair.data, pair.error);
        }
      });
    } catch (error) {
      if (error instanceof UpgradeRefused) return sendText(res, error.code, error.message);
      throw error;
    }
    await new Promise<void>((resolve) => session.onClose(resolve));
  };
}

function forward(backend: PodStreamBackend, pod: KubeObject, port: number, data: SpdyStream, error: SpdyStream): void {
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
    return;
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
}
