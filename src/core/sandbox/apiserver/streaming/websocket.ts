// The server side of RFC 6455 over an HTTP Upgrade socket: handshake, frame parsing (clients mask,
// servers do not), fragmentation, ping/pong and the close handshake. Only what Kubernetes' streaming
// protocols need: binary and text messages, no extensions (kubectl never asks for compression).
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Disposable } from '../../../../shared/disposable.js';
import { toDisposable } from '../../../../shared/disposable.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function isWebSocketUpgrade(headers: Record<string, string | string[] | undefined>): boolean {
  return String(headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a client offers, in its order of preference. */
export function offeredProtocols(headers: Record<string, string | string[] | undefined>): string[] {
  const raw = headers['sec-websocket-protocol'];
  const joined = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return joined.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** Writes the 101 answer; the socket then carries WebSocket frames. */
export function acceptWebSocket(socket: Duplex, key: string, protocol: string | undefined, head: Buffer): WebSocketConnection {
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  return new WebSocketConnection(socket, head);
}

type MessageListener = (data: Buffer, binary: boolean) => void;

export class WebSocketConnection implements Disposable {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBinary = true;
  private closed = false;
  private readonly messageListeners = new Set<MessageListener>();
  private readonly closeListeners = new Set<() => void>();

  constructor(private readonly socket: Duplex, head: Buffer) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
    if (head.length > 0) queueMicrotask(() => this.onData(head));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onMessage(listener: MessageListener): Disposable {
    this.messageListeners.add(listener);
    return toDisposable(() => this.messageListeners.delete(listener));
  }

  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener);
    return toDisposable(() => this.closeListeners.delete(listener));
  }

  send(data: Uint8Array, binary = true): void {
    if (this.closed) return;
    this.writeFrame(binary ? 0x2 : 0x1, data);
  }

  /** Starts the close handshake (1000 = normal closure); the socket ends once the client answers or soon after. */
  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.writeFrame(0x8, payload);
    this.closed = true;
    this.socket.end();
    // A client that never answers the close must not keep the socket forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
    this.emitClose();
  }

  dispose(): void {
    this.close();
  }

  private writeFrame(opcode: number, data: Uint8Array): void {
    const length = data.length;
    let header: Buffer;
    if (length < 126) {
      header = Buffer.from([0x80 | opcode, length]);
    } else if (length < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    this.socket.write(Buffer.concat([header, data]));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.closed) {
      const frame = parseFrame(this.buffer);
      if (frame === 'incomplete') return;
      if (frame === 'invalid') {
        this.close(1002, 'protocol error');
        return;
      }
      this.buffer = this.buffer.subarray(frame.consumed);
      this.handleFrame(frame.fin, frame.opcode, frame.payload);
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0:
      case 0x1:
      case 0x2: {
        if (opcode !== 0x0) {
          this.fragments = [];
          this.fragmentBinary = opcode === 0x2;
        }
        this.fragments.push(payload);
        if (this.fragments.reduce((n, f) => n + f.length, 0) > MAX_MESSAGE_BYTES) {
          this.close(1009, 'message too big');
          return;
        }
        if (!fin) return;
        const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
        this.fragments = [];
        for (const listener of this.messageListeners) listener(message, this.fragmentBinary);
        return;
      }
      case 0x8:
        // Echo the client's close, then end: the client initiated the closing handshake.
        this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      case 0x9:
        this.writeFrame(0xa, payload);
        return;
      case 0xa:
        return;
      default:
        this.close(1002, 'unknown opcode');
    }
  }

  private finish(): void {
    if (!this.closed) {
      this.closed = true;
      this.emitClose();
    }
  }

  private emitClose(): void {
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of listeners) listener();
  }
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  consumed: number;
}

/** One frame from the start of `buffer`, unmasked. */
export function parseFrame(buffer: Buffer): Frame | 'incomplete' | 'invalid' {
  if (buffer.length < 2) return 'incomplete';
  const fin = (buffer[0] & 0x80) !== 0;
  if ((buffer[0] & 0x70) !== 0) return 'invalid'; // no extension negotiated: RSV bits must be 0
  const opcode = buffer[0] & 0x0f;
  const masked = (buffer[1] & 0x80) !== 0;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return 'incomplete';
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return 'incomplete';
    const big = buffer.readBigUInt64BE(2);
    if (big > BigInt(MAX_MESSAGE_BYTES)) return 'invalid';
    length = Number(big);
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return 'incomplete';
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++) payload[i] ^= buffer[maskOffset + (i & 3)];
  }
  return { fin, opcode, payload, consumed: offset + length };
}
