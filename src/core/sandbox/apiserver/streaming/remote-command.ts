// The remote command protocol of exec and attach, over its two transports: WebSocket channels
// (v4/v5.channel.k8s.io: a leading byte 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize; v5 adds
// 255 <channel> to close one) and SPDY streams named by their streamType header.
import type { Disposable } from '../../../../shared/disposable.js';
import { toDisposable } from '../../../../shared/disposable.js';
import { SpdySession, type ByteTransport, type SpdyStream } from './spdy.js';
import type { WebSocketConnection } from './websocket.js';

export const WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
export const SPDY_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface RemoteCommandSession {
  stdin?: AsyncIterable<Uint8Array>;
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  onResize(listener: (size: { cols: number; rows: number }) => void): Disposable;
  /** The client went away before the command finished. */
  onGone(listener: () => void): Disposable;
  /** Sends the final metav1.Status on the error channel and closes the session. */
  finish(status: object): void;
}

/** A pushable async iterable: stdin as the runtime's ProcessIo consumes it. */
export class ByteQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Uint8Array[] = [];
  private waiting: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  private ended = false;

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: chunk, done: false });
    } else this.items.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

class ResizeParser {
  private text = '';
  constructor(private readonly emit: (size: { cols: number; rows: number }) => void) {}
  /** Sizes arrive as JSON objects, one per message (WebSocket) or newline-separated (SPDY json.Encoder). */
  push(data: Buffer): void {
    this.text += data.toString('utf8');
    let end: number;
    while ((end = this.text.indexOf('}')) >= 0) {
      const candidate = this.text.slice(0, end + 1);
      this.text = this.text.slice(end + 1);
      try {
        const size = JSON.parse(candidate.trim()) as { Width?: number; Height?: number };
        if (typeof size.Width === 'number' && typeof size.Height === 'number') this.emit({ cols: size.Width, rows: size.Height });
      } catch {
        // A malformed size is ignored, as kubelet's resize loop does.
      }
    }
  }
}

class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();
  add(listener: (...args: T) => void): Disposable {
    this.set.add(listener);
    return toDisposable(() => this.set.delete(listener));
  }
  fire(...args: T): void {
    for (const listener of [...this.set]) listener(...args);
  }
}

export function webSocketCommandSession(ws: WebSocketConnection, options: StreamOptions): RemoteCommandSession {
  const stdin = options.stdin ? new ByteQueue() : undefined;
  const resize = new Listeners<[{ cols: number; rows: number }]>();
  const gone = new Listeners<[]>();
  const resizeParser = new ResizeParser((size) => resize.fire(size));
  let finished = false;
  ws.onMessage((data) => {
    if (data.length === 0) return;
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === 0) stdin?.push(Buffer.from(payload));
    else if (channel === 4) resizeParser.push(payload);
    else if (channel === 255 && payload[0] === 0) stdin?.end();
  });
  ws.onClose(() => {
    stdin?.end();
    if (!finished) gone.fire();
  });
  const send = (channel: number, chunk: Uint8Array) => {
    if (chunk.length > 0) ws.send(Buffer.concat([Buffer.from([channel]), chunk]));
  };
  return {
    stdin,
    stdout: (chunk) => options.stdout && send(1, chunk),
    // With a TTY there is no stderr channel: the terminal merges both.
    stderr: (chunk) => (options.tty ? options.stdout && send(1, chunk) : options.stderr && send(2, chunk)),
    onResize: (listener) => resize.add(listener),
    onGone: (listener) => gone.add(listener),
    finish: (status) => {
      if (finished) return;
      finished = true;
      send(3, Buffer.from(JSON.stringify(status)));
      ws.close(1000);
    },
  };
}

/** Waits (up to 30 s, as the kubelet) for the streams the request announced, then runs over them. */
export function spdyCommandSession(transport: ByteTransport, options: StreamOptions): Promise<RemoteCommandSession> {
  const expected = 1 + (options.stdin ? 1 : 0) + (options.stdout ? 1 : 0) + (options.tty ? 1 : options.stderr ? 1 : 0);
  const streams = new Map<string, SpdyStream>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.close();
      reject(new Error('timed out waiting for client to create streams'));
    }, 30_000);
    const session = new SpdySession(transport, (stream) => {
      const type = stream.headers.get('streamtype') ?? '';
      streams.set(type, stream);
      if (streams.size < expected) return;
      clearTimeout(timer);
      resolve(spdySessionOver(session, streams, options));
    });
    session.onClose(() => {
      clearTimeout(timer);
      reject(new Error('connection closed before the streams were created'));
    });
  });
}

function spdySessionOver(session: SpdySession, streams: Map<string, SpdyStream>, options: StreamOptions): RemoteCommandSession {
  const stdinStream = streams.get('stdin');
  const stdin = stdinStream ? new ByteQueue() : undefined;
  if (stdinStream && stdin) {
    stdinStream.onData((data) => stdin.push(data));
    stdinStream.onEnd(() => stdin.end());
  }
  const resize = new Listeners<[{ cols: number; rows: number }]>();
  const resizeParser = new ResizeParser((size) => resize.fire(size));
  streams.get('resize')?.onData((data) => resizeParser.push(data));
  const gone = new Listeners<[]>();
  let finished = false;
  session.onClose(() => {
    stdin?.end();
    if (!finished) gone.fire();
  });
  const stdout = streams.get('stdout');
  const stderr = streams.get('stderr');
  return {
    stdin,
    stdout: (chunk) => stdout?.write(chunk),
    stderr: (chunk) => (options.tty ? stdout : stderr)?.write(chunk),
    onResize: (listener) => resize.add(listener),
    onGone: (listener) => gone.add(listener),
    finish: (status) => {
      if (finished) return;
      finished = true;
      stdout?.end();
      stderr?.end();
      const error = streams.get('error');
      error?.write(Buffer.from(JSON.stringify(status)));
      error?.end();
      stdinStream?.end();
      streams.get('resize')?.end();
      // Let the client read the FINs before GOAWAY ends the connection.
      setTimeout(() => session.close(), 50).unref();
    },
  };
}
