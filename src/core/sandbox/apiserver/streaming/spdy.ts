// The server side of SPDY/3.1 as Kubernetes uses it (moby/spdystream in kubectl): the client opens
// streams (SYN_STREAM with headers such as streamType), the server answers SYN_REPLY, both sides
// send DATA and half-close with FIN. Header blocks share one zlib context per direction, primed
// with the SPDY/3 dictionary. spdystream does no flow control, so WINDOW_UPDATE is ignored.
import { createInflate, constants as zlibConstants, type Inflate } from 'node:zlib';
import type { Disposable } from '../../../../shared/disposable.js';
import { toDisposable } from '../../../../shared/disposable.js';

const CONTROL_SYN_STREAM = 1;
const CONTROL_SYN_REPLY = 2;
const CONTROL_RST_STREAM = 3;
const CONTROL_PING = 6;
const CONTROL_GOAWAY = 7;
const FLAG_FIN = 0x01;
const MAX_FRAME_DATA = 0xffffff;

/** The SPDY/3 header compression dictionary (draft 3, section 2.6.10.1). */
export const SPDY3_DICTIONARY: Buffer = (() => {
  const words = [
    ...'options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow authorization cache-control connection content-base content-encoding content-language content-length content-location content-md5 content-range content-type date etag expect expires from host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade user-agent vary via warning www-authenticate method get status'.split(' '),
    '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
    '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
    'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
    'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  const parts: Buffer[] = [];
  for (const word of words) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(word.length);
    parts.push(len, Buffer.from(word, 'latin1'));
  }
  parts.push(Buffer.from(tail, 'latin1'));
  return Buffer.concat(parts);
})();

/** A byte pipe the SPDY session runs over: a raw upgraded socket or a WebSocket tunnel. */
export interface ByteTransport {
  write(data: Buffer): void;
  onData(listener: (data: Buffer) => void): Disposable;
  onClose(listener: () => void): Disposable;
  close(): void;
}

export class SpdyStream {
  private readonly dataListeners = new Set<(data: Buffer) => void>();
  private readonly endListeners = new Set<() => void>();
  private pending: Buffer[] = [];
  remoteEnded = false;
  localEnded = false;

  constructor(readonly id: number, readonly headers: Map<string, string>, private readonly session: SpdySession) {}

  /** Data before a listener subscribes is kept and delivered on subscription. */
  onData(listener: (data: Buffer) => void): Disposable {
    this.dataListeners.add(listener);
    const pending = this.pending;
    this.pending = [];
    for (const chunk of pending) listener(chunk);
    return toDisposable(() => this.dataListeners.delete(listener));
  }

  /** The client half-closed (FIN), reset the stream, or the connection went away. */
  onEnd(listener: () => void): Disposable {
    if (this.remoteEnded) {
      queueMicrotask(listener);
      return toDisposable(() => undefined);
    }
    this.endListeners.add(listener);
    return toDisposable(() => this.endListeners.delete(listener));
  }

  write(data: Uint8Array): void {
    if (this.localEnded || data.length === 0) return;
    for (let offset = 0; offset < data.length; offset += MAX_FRAME_DATA) {
      this.session.sendData(this.id, Buffer.from(data.subarray(offset, offset + MAX_FRAME_DATA)), false);
    }
  }

  /** Half-close our side (FIN). */
  end(): void {
    if (this.localEnded) return;
    this.localEnded = true;
    this.session.sendData(this.id, Buffer.alloc(0), true);
  }

  /** @internal */
  receive(data: Buffer): void {
    if (data.length === 0) return;
    if (this.dataListeners.size === 0) this.pending.push(data);
    else for (const listener of this.dataListeners) listener(data);
  }

  /** @internal */
  remoteEnd(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    const listeners = [...this.endListeners];
    this.endListeners.clear();
    for (const listener of listeners) listener();
  }
}

export class SpdySession implements Disposable {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, SpdyStream>();
  private readonly inflate: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private compressorStarted = false;
  // Header blocks inflate asynchronously; frames are handled in arrival order through this chain.
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private lastStreamId = 0;
  private readonly closeListeners = new Set<() => void>();

  constructor(private readonly transport: ByteTransport, private readonly onStream: (stream: SpdyStream) => void) {
    transport.onData((data) => this.onBytes(data));
    transport.onClose(() => this.terminate());
    this.inflate.on('error', () => this.close());
  }

  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener);
    return toDisposable(() => this.closeListeners.delete(listener));
  }

  /** GOAWAY, then end the transport. */
  close(): void {
    if (this.closed) return;
    this.writeControl(CONTROL_GOAWAY, 0, u32(this.lastStreamId, 0));
    this.transport.close();
    this.terminate();
  }

  dispose(): void {
    this.close();
  }

  /** @internal */
  sendData(streamId: number, data: Buffer, fin: boolean): void {
    if (this.closed) return;
    const header = Buffer.alloc(8);
    header.writeUInt32BE(streamId & 0x7fffffff, 0);
    header.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    this.transport.write(Buffer.concat([header, data]));
    const stream = this.streams.get(streamId);
    if (fin && stream?.remoteEnded) this.streams.delete(streamId);
  }

  private terminate(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.remoteEnd();
    this.streams.clear();
    this.inflate.close();
    for (const listener of this.closeListeners) listener();
  }

  private onBytes(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUInt32BE(4) & 0xffffff;
      if (this.buffer.length < 8 + length) return;
      const frame = this.buffer.subarray(0, 8 + length);
      this.buffer = this.buffer.subarray(8 + length);
      this.chain = this.chain.then(() => this.handleFrame(frame)).catch(() => this.close());
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = frame[4];
    const body = frame.subarray(8);
    if ((frame[0] & 0x80) === 0) {
      const stream = this.streams.get(frame.readUInt32BE(0) & 0x7fffffff);
      if (!stream) return;
      stream.receive(Buffer.from(body));
      if (flags & FLAG_FIN) this.remoteFinished(stream);
      return;
    }
    const type = frame.readUInt16BE(2);
    switch (type) {
      case CONTROL_SYN_STREAM: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const headers = parseHeaderBlock(await this.decompress(body.subarray(10)));
        const stream = new SpdyStream(id, headers, this);
        this.streams.set(id, stream);
        this.lastStreamId = id;
        this.writeControl(CONTROL_SYN_REPLY, 0, Buffer.concat([u32(id), this.compress(new Map())]));
        this.onStream(stream);
        if (flags & FLAG_FIN) this.remoteFinished(stream);
        return;
      }
      case CONTROL_RST_STREAM: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const stream = this.streams.get(id);
        if (stream) {
          stream.localEnded = true;
          stream.remoteEnd();
          this.streams.delete(id);
        }
        return;
      }
      case CONTROL_PING:
        this.writeControl(CONTROL_PING, 0, Buffer.from(body));
        return;
      case CONTROL_GOAWAY:
        this.close();
        return;
      case 8: // HEADERS: may carry header blocks that advance the shared zlib context
        await this.decompress(body.subarray(4));
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: nothing to do without flow control
    }
  }

  private remoteFinished(stream: SpdyStream): void {
    stream.remoteEnd();
    if (stream.localEnded) this.streams.delete(stream.id);
  }

  private writeControl(type: number, flags: number, payload: Buffer): void {
    if (this.closed) return;
    const header = Buffer.alloc(8);
    header.writeUInt16BE(0x8000 | 3, 0);
    header.writeUInt16BE(type, 2);
    header.writeUInt32BE((flags << 24) | payload.length, 4);
    this.transport.write(Buffer.concat([header, payload]));
  }

  private decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const onData = (chunk: Buffer) => chunks.push(chunk);
      const onError = (error: Error) => {
        this.inflate.off('data', onData);
        reject(error);
      };
      this.inflate.on('data', onData);
      this.inflate.once('error', onError);
      this.inflate.write(block);
      this.inflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
        this.inflate.off('data', onData);
        this.inflate.off('error', onError);
        resolve(Buffer.concat(chunks));
      });
    });
  }

  /**
   * Our header blocks as zlib "stored" (uncompressed) deflate blocks: valid in the peer's shared
   * zlib stream, and synchronous. The stream header (no preset dictionary) goes out once.
   */
  private compress(headers: Map<string, string>): Buffer {
    const plain = serializeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.compressorStarted) {
      this.compressorStarted = true;
      parts.push(Buffer.from([0x78, 0x01]));
    }
    for (let offset = 0; offset < plain.length || offset === 0; offset += 0xffff) {
      const piece = plain.subarray(offset, offset + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      if (plain.length === 0) break;
    }
    // An empty stored block, as zlib's Z_SYNC_FLUSH ends each block: inflaters (Go's flate) hand
    // out a stored block's bytes only once they reach the next block header.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }

}

function u32(...values: number[]): Buffer {
  const out = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

export function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  if (block.length < 4) return headers;
  const count = block.readUInt32BE(0);
  let offset = 4;
  for (let i = 0; i < count && offset + 4 <= block.length; i++) {
    const nameLength = block.readUInt32BE(offset);
    const name = block.toString('latin1', offset + 4, offset + 4 + nameLength);
    offset += 4 + nameLength;
    const valueLength = block.readUInt32BE(offset);
    const value = block.toString('latin1', offset + 4, offset + 4 + valueLength);
    offset += 4 + valueLength;
    headers.set(name.toLowerCase(), value);
  }
  return headers;
}

export function serializeHeaderBlock(headers: Map<string, string>): Buffer {
  const parts: Buffer[] = [u32(headers.size)];
  for (const [name, value] of headers) {
    parts.push(u32(Buffer.byteLength(name, 'latin1')), Buffer.from(name, 'latin1'), u32(Buffer.byteLength(value, 'latin1')), Buffer.from(value, 'latin1'));
  }
  return Buffer.concat(parts);
}
