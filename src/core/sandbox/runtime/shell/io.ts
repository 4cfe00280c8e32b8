// Byte streams between simulated programs. Writes are async so a pipe can apply back-pressure and a
// producer like `yes` yields to the event loop; a closed reader makes writes fail as SIGPIPE does.
import { concat } from '../vfs.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encode = (s: string): Uint8Array => encoder.encode(s);
export const decode = (b: Uint8Array): string => decoder.decode(b);

export class BrokenPipe extends Error {
  constructor() {
    super('Broken pipe');
  }
}

export interface OutputStream {
  write(data: string | Uint8Array): Promise<void>;
}

export function sinkOutput(fn: (chunk: Uint8Array) => void): OutputStream {
  return {
    write(data) {
      const bytes = typeof data === 'string' ? encode(data) : data;
      if (bytes.length) fn(bytes);
      return Promise.resolve();
    },
  };
}

export const nullOutput: OutputStream = { write: () => Promise.resolve() };

/** A readable stream with a push-back buffer, so `read a; read b` share what was read ahead. */
export class InputStream {
  private buffer: Uint8Array<ArrayBufferLike> = new Uint8Array();
  private ended = false;

  constructor(private readonly source: () => Promise<Uint8Array | null>) {}

  static fromBytes(data: Uint8Array | string): InputStream {
    let done = false;
    return new InputStream(() => {
      if (done) return Promise.resolve(null);
      done = true;
      return Promise.resolve(typeof data === 'string' ? encode(data) : data);
    });
  }

  static empty(): InputStream {
    return new InputStream(() => Promise.resolve(null));
  }

  static fromIterable(it: AsyncIterable<Uint8Array>): InputStream {
    const iterator = it[Symbol.asyncIterator]();
    return new InputStream(async () => {
      const r = await iterator.next();
      return r.done ? null : r.value;
    });
  }

  async read(): Promise<Uint8Array | null> {
    if (this.buffer.length) {
      const b = this.buffer;
      this.buffer = new Uint8Array();
      return b;
    }
    if (this.ended) return null;
    const chunk = await this.source();
    if (chunk === null) this.ended = true;
    return chunk;
  }

  /** One line without its newline; null at end of input. A last line without newline is returned. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf(10);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return decode(line);
      }
      if (this.ended) {
        if (!this.buffer.length) return null;
        const rest = decode(this.buffer);
        this.buffer = new Uint8Array();
        return rest;
      }
      const chunk = await this.source();
      if (chunk === null) this.ended = true;
      else this.buffer = concat(this.buffer, chunk);
    }
  }

  async readAll(): Promise<Uint8Array> {
    let out: Uint8Array = new Uint8Array();
    for (;;) {
      const c = await this.read();
      if (c === null) return out;
      out = concat(out, c);
    }
  }
}

/** An in-process pipe: writes wait while the reader is behind, fail once the reader is gone. */
export class Pipe {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private closed = false;
  private readerGone = false;
  private wakeReader?: () => void;
  private wakeWriters: (() => void)[] = [];
  private static readonly highWater = 64 * 1024;

  readonly output: OutputStream = {
    write: async (data) => {
      const bytes = typeof data === 'string' ? encode(data) : data;
      if (this.readerGone) throw new BrokenPipe();
      if (!bytes.length) return;
      this.queue.push(bytes);
      this.queued += bytes.length;
      this.wakeReader?.();
      while (this.queued > Pipe.highWater && !this.readerGone) await new Promise<void>((r) => this.wakeWriters.push(r));
      if (this.readerGone) throw new BrokenPipe();
    },
  };

  readonly input = new InputStream(async () => {
    while (!this.queue.length && !this.closed) await new Promise<void>((r) => (this.wakeReader = r));
    this.wakeReader = undefined;
    const chunk = this.queue.shift();
    if (!chunk) return null;
    this.queued -= chunk.length;
    this.releaseWriters();
    return chunk;
  });

  /** The writing side finished. */
  close(): void {
    this.closed = true;
    this.wakeReader?.();
  }

  /** The reading side finished: pending and future writes fail. */
  closeReader(): void {
    this.readerGone = true;
    this.queue = [];
    this.queued = 0;
    this.releaseWriters();
  }

  private releaseWriters(): void {
    const w = this.wakeWriters;
    this.wakeWriters = [];
    for (const f of w) f();
  }
}
