// The wire formats on their own: WebSocket frames as a client sends them (masked, fragmented,
// long), and SPDY/3.1 frames as spdystream writes them (zlib header blocks with the SPDY dictionary).
import { PassThrough } from 'node:stream';
import { createDeflate, inflateSync, constants as zlib } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toDisposable } from '../../../../shared/disposable.js';
import { SPDY3_DICTIONARY, SpdySession, parseHeaderBlock, serializeHeaderBlock, type ByteTransport, type SpdyStream } from './spdy.js';
import { WebSocketConnection, parseFrame } from './websocket.js';
import { ByteQueue } from './remote-command.js';

function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, 0, 0]);
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, mask, masked]);
}

describe('WebSocket frames', () => {
  it('unmasks client frames of every length encoding', () => {
    for (const size of [5, 300, 70_000]) {
      const payload = Buffer.alloc(size, 7);
      const frame = parseFrame(clientFrame(2, payload));
      if (typeof frame === 'string') throw new Error(frame);
      expect(frame.payload.equals(payload)).toBe(true);
      expect(frame.opcode).toBe(2);
    }
    expect(parseFrame(clientFrame(2, Buffer.alloc(300)).subarray(0, 100))).toBe('incomplete');
    expect(parseFrame(Buffer.from([0xc2, 0x80, 0, 0, 0, 0]))).toBe('invalid'); // RSV1 without an extension
  });

  it('reassembles fragments, answers pings and echoes the close', async () => {
    const socket = new PassThrough();
    const written: Buffer[] = [];
    socket.write = ((chunk: Buffer) => (written.push(Buffer.from(chunk)), true)) as typeof socket.write;
    const ws = new WebSocketConnection(socket, Buffer.alloc(0));
    const messages: string[] = [];
    ws.onMessage((data) => messages.push(data.toString()));
    let closed = false;
    ws.onClose(() => (closed = true));
    socket.emit('data', Buffer.concat([clientFrame(1, Buffer.from('hel'), false), clientFrame(9, Buffer.from('p')), clientFrame(0, Buffer.from('lo'))]));
    expect(messages).toEqual(['hello']);
    expect(written[0].equals(Buffer.from([0x8a, 1, 0x70]))).toBe(true); // pong "p", unmasked
    const close = Buffer.alloc(2);
    close.writeUInt16BE(1000);
    socket.emit('data', clientFrame(8, close));
    expect(closed).toBe(true);
    expect(written[1][0]).toBe(0x88);
  });
});

describe('SPDY/3.1 sessions', () => {
  it('builds the 1423-byte SPDY/3 dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
  });

  it('reads dictionary-compressed SYN_STREAMs, replies, relays data and FIN, echoes PING', async () => {
    const toServer = new Set<(data: Buffer) => void>();
    const fromServer: Buffer[] = [];
    const transport: ByteTransport = {
      write: (data) => fromServer.push(data),
      onData: (l) => (toServer.add(l), toDisposable(() => toServer.delete(l))),
      onClose: () => toDisposable(() => undefined),
      close: () => undefined,
    };
    const streams: SpdyStream[] = [];
    new SpdySession(transport, (s) => streams.push(s));
    const send = (b: Buffer) => toServer.forEach((l) => l(b));

    // A client's header compressor: one zlib stream, sync-flushed per frame.
    const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const compress = (headers: Map<string, string>) =>
      new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        const onData = (c: Buffer) => chunks.push(c);
        deflate.on('data', onData);
        deflate.write(serializeHeaderBlock(headers));
        deflate.flush(zlib.Z_SYNC_FLUSH, () => {
          deflate.off('data', onData);
          resolve(Buffer.concat(chunks));
        });
      });
    const synStream = async (id: number, headers: Map<string, string>) => {
      const block = await compress(headers);
      const body = Buffer.concat([Buffer.from([0, 0, 0, id, 0, 0, 0, 0, 0, 0]), block]);
      const head = Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 0]);
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    send(await synStream(1, new Map([['streamtype', 'error'], ['port', '80'], ['requestid', '0']])));
    send(Buffer.concat([await synStream(3, new Map([['streamtype', 'data'], ['port', '80'], ['requestid', '0']])), Buffer.from([0, 0, 0, 3, 1, 0, 0, 2]), Buffer.from('hi')]));
    await new Promise((r) => setTimeout(r, 50));
    expect(streams.map((s) => s.headers.get('streamtype'))).toEqual(['error', 'data']);
    const received: string[] = [];
    streams[1].onData((d) => received.push(d.toString()));
    expect(received).toEqual(['hi']);
    expect(streams[1].remoteEnded).toBe(true);

    // Two SYN_REPLYs whose header blocks a zlib inflater reads as one stream.
    const replies = fromServer.filter((f) => f[0] === 0x80 && f[3] === 2);
    expect(replies).toHaveLength(2);
    const blocks = Buffer.concat(replies.map((f) => f.subarray(12)));
    const inflated = inflateSync(blocks, { finishFlush: zlib.Z_SYNC_FLUSH });
    expect(parseHeaderBlock(inflated).size).toBe(0);

    streams[1].write(Buffer.from('pong'));
    streams[1].end();
    const data = fromServer.filter((f) => (f[0] & 0x80) === 0);
    expect(data[0].subarray(8).toString()).toBe('pong');
    expect(data[1][4]).toBe(1); // FIN

    send(Buffer.from([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 5]));
    await new Promise((r) => setTimeout(r, 10));
    expect(fromServer.at(-1)!.equals(Buffer.from([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 5]))).toBe(true);
  });
});

describe('ByteQueue', () => {
  it('hands chunks to a waiting reader and ends', async () => {
    const q = new ByteQueue();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const c of q) seen.push(Buffer.from(c).toString());
    })();
    q.push(Buffer.from('a'));
    await new Promise((r) => setTimeout(r, 1));
    q.push(Buffer.from('b'));
    q.end();
    await reading;
    expect(seen).toEqual(['a', 'b']);
  });
});
