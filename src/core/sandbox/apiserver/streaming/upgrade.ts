// Negotiating the two upgrade protocols kubectl speaks, and byte transports over them.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { toDisposable } from '../../../../shared/disposable.js';
import type { UpgradeSocket } from '../http-types.js';
import type { ByteTransport } from './spdy.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols, type WebSocketConnection } from './websocket.js';

export type Upgraded = { kind: 'websocket'; ws: WebSocketConnection; protocol: string } | { kind: 'spdy'; transport: ByteTransport; protocol: string };

export class UpgradeRefused extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/**
 * Accepts a WebSocket (with one of `wsProtocols`) or a SPDY/3.1 upgrade (with one of
 * `spdyProtocols` in X-Stream-Protocol-Version). Throws UpgradeRefused when neither fits.
 */
export function acceptUpgrade(req: IncomingMessage, upgrade: UpgradeSocket | undefined, wsProtocols: string[], spdyProtocols: string[]): Upgraded {
  if (!upgrade) throw new UpgradeRefused(400, 'Upgrade request required');
  const { socket, head } = upgrade;
  if (isWebSocketUpgrade(req.headers)) {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || key === '') throw new UpgradeRefused(400, 'missing Sec-WebSocket-Key');
    const offered = offeredProtocols(req.headers);
    const protocol = wsProtocols.find((p) => offered.includes(p));
    if (!protocol) throw new UpgradeRefused(400, `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(wsProtocols)}`);
    return { kind: 'websocket', ws: acceptWebSocket(socket, key, protocol, head), protocol };
  }
  if (String(req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1') {
    const offered = req.headersDistinct['x-stream-protocol-version'] ?? [];
    const flat = offered.flatMap((v) => v.split(',').map((s) => s.trim()));
    const protocol = spdyProtocols.find((p) => flat.includes(p));
    if (!protocol) throw new UpgradeRefused(403, `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(flat)}, server accepts ${JSON.stringify(spdyProtocols)}`);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
    return { kind: 'spdy', transport: socketTransport(socket, head), protocol };
  }
  throw new UpgradeRefused(400, 'Upgrade request required');
}

export function socketTransport(socket: Duplex, head: Buffer): ByteTransport {
  return {
    write: (data) => void (socket.writable && socket.write(data)),
    onData: (listener) => {
      if (head.length > 0) {
        const first = head;
        head = Buffer.alloc(0);
        queueMicrotask(() => listener(first));
      }
      socket.on('data', listener);
      return toDisposable(() => socket.off('data', listener));
    },
    onClose: (listener) => {
      socket.once('close', listener);
      return toDisposable(() => socket.off('close', listener));
    },
    close: () => {
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    },
  };
}

/** SPDY frames tunnelled in binary WebSocket messages (kubectl port-forward's "SPDY/3.1+portforward.k8s.io"). */
export function webSocketTransport(ws: WebSocketConnection): ByteTransport {
  return {
    write: (data) => ws.send(data),
    onData: (listener) => ws.onMessage((data) => listener(data)),
    onClose: (listener) => ws.onClose(listener),
    close: () => ws.close(),
  };
}
