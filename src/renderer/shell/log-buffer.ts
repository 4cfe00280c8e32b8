// The lines a logs view holds, packed: a bounded ring (the oldest lines go first) whose texts live as
// UTF-8 in large byte chunks, with pod/container as small integer ids and times as numbers. A million
// lines cost their bytes plus ~26 bytes each, instead of several JS objects per line; rows are
// decoded only when shown, and filters scan a chunk's text at once.
import type { LogLine } from '../../shared/rpc/terminal-contract.js';

export const DEFAULT_LOG_CAPACITY = 1_000_000;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 10;

interface Chunk {
  bytes: Uint8Array;
  used: number;
  /** Sequence number of its first line; lines of a chunk are consecutive. */
  firstSeq: number;
  count: number;
}

export interface LogSource {
  pod: string;
  container: string;
  colour: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** "…:SS.fffffffffZ" back from milliseconds plus the nanoseconds below the millisecond. */
function stampOf(ms: number, subNanos: number): string {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(subNanos).padStart(6, '0')}Z`;
}

/** The nanoseconds below the millisecond an RFC 3339 stamp carries (".123456789Z" → 456789). */
function subMillisecondNanos(stamp: string): number {
  const dot = stamp.lastIndexOf('.');
  if (dot < 0) return 0;
  let end = dot + 1;
  while (end < stamp.length && stamp.charCodeAt(end) >= 48 && stamp.charCodeAt(end) <= 57) end++;
  const digits = stamp.slice(dot + 4, Math.min(end, dot + 10));
  return digits === '' ? 0 : Number(digits.padEnd(6, '0'));
}

export class LogBuffer {
  // Columns indexed by slot = seq % slots; grown by doubling up to the capacity.
  private slots = 0;
  private times = new Float64Array(0);
  private nanos = new Uint32Array(0);
  private sources = new Uint16Array(0);
  private chunkOf = new Uint32Array(0);
  private offsets = new Uint32Array(0);
  private lengths = new Uint32Array(0);
  /** Chunks still holding live lines; chunks[i] has the id firstChunkId + i. */
  private chunks: Chunk[] = [];
  private firstChunkId = 0;
  private readonly sourceTable: LogSource[] = [];
  private readonly sourceIndex = new Map<string, number>();
  /** Sequence numbers of the oldest live line and the next line to come. */
  private head = 0;
  private tail = 0;
  /** Bumps on every change: views memoize on it. */
  version = 0;
  dropped = 0;

  constructor(readonly capacity = DEFAULT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`log buffer capacity ${capacity} is invalid: give a positive integer`);
  }

  get size(): number {
    return this.tail - this.head;
  }

  /** Sequence number of the line at `index` (stable while the line stays in the buffer). */
  seqAt(index: number): number {
    return this.head + index;
  }

  get firstSeq(): number {
    return this.head;
  }

  get endSeq(): number {
    return this.tail;
  }

  /** Bytes the texts take (UTF-8, with one separator per line), for the memory figures. */
  get textBytes(): number {
    return this.chunks.reduce((n, c) => n + c.used, 0);
  }

  append(batch: readonly LogLine[]): void {
    for (const [time, stamp, pod, container, colour, text] of batch) this.push(time, subMillisecondNanos(stamp), this.source(pod, container, colour), text);
    this.version++;
  }

  private lastSource = { pod: '', container: '', id: -1 };

  private source(pod: string, container: string, colour: number): number {
    // Runs of lines from one container are the rule: skip building the key for them.
    const last = this.lastSource;
    if (last.id >= 0 && last.pod === pod && last.container === container) return last.id;
    const key = `${pod}\u0000${container}`;
    let id = this.sourceIndex.get(key);
    if (id === undefined) {
      // 65,535 sources is far beyond a view's pods; past it, new ones share the last id.
      id = Math.min(this.sourceTable.push({ pod, container, colour }) - 1, 0xffff);
      this.sourceIndex.set(key, id);
    }
    this.lastSource = { pod, container, id };
    return id;
  }

  private grow(): void {
    const next = Math.min(this.capacity, Math.max(1024, this.slots * 2));
    const move = <T extends Float64Array | Uint32Array | Uint16Array>(old: T, fresh: T): T => {
      // Re-lay the live lines at their slots for the new modulus.
      for (let seq = this.head; seq < this.tail; seq++) fresh[seq % next] = old[seq % this.slots];
      return fresh;
    };
    this.times = move(this.times, new Float64Array(next));
    this.nanos = move(this.nanos, new Uint32Array(next));
    this.sources = move(this.sources, new Uint16Array(next));
    this.chunkOf = move(this.chunkOf, new Uint32Array(next));
    this.offsets = move(this.offsets, new Uint32Array(next));
    this.lengths = move(this.lengths, new Uint32Array(next));
    this.slots = next;
  }

  private push(time: number, subNanos: number, source: number, raw: string): void {
    // The newline separates lines inside a chunk; a stray one inside a text would shift them all.
    const text = raw.includes('\n') ? raw.replace(/\n/g, ' ') : raw;
    if (this.size >= this.slots && this.slots < this.capacity) this.grow();
    if (this.size >= this.capacity) this.dropOldest();
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const worst = text.length * 3 + 1;
    let chunk = this.chunks.at(-1);
    if (!chunk || chunk.bytes.length - chunk.used < worst) {
      chunk = { bytes: new Uint8Array(Math.max(CHUNK_BYTES, worst)), used: 0, firstSeq: this.tail, count: 0 };
      this.chunks.push(chunk);
    }
    const { written } = encoder.encodeInto(text, chunk.bytes.subarray(chunk.used));
    const slot = this.tail % this.slots;
    this.times[slot] = time;
    this.nanos[slot] = subNanos;
    this.sources[slot] = source;
    this.chunkOf[slot] = this.firstChunkId + this.chunks.length - 1;
    this.offsets[slot] = chunk.used;
    this.lengths[slot] = written;
    chunk.used += written;
    chunk.bytes[chunk.used++] = NEWLINE;
    chunk.count++;
    this.tail++;
  }

  private dropOldest(): void {
    this.head++;
    this.dropped++;
    const first = this.chunks[0];
    if (first && first.firstSeq + first.count <= this.head) {
      this.chunks.shift();
      this.firstChunkId++;
    }
  }

  private slotOf(index: number): number {
    return (this.head + index) % this.slots;
  }

  text(index: number): string {
    if (index < 0 || index >= this.size) return '';
    const slot = this.slotOf(index);
    const chunk = this.chunks[this.chunkOf[slot] - this.firstChunkId];
    const offset = this.offsets[slot];
    return decoder.decode(chunk.bytes.subarray(offset, offset + this.lengths[slot]));
  }

  /** UTF-8 length of a line's text (its character count for ASCII), for wrapped-row heights. */
  textLength(index: number): number {
    return index < 0 || index >= this.size ? 0 : this.lengths[this.slotOf(index)];
  }

  time(index: number): number {
    return this.times[this.slotOf(index)];
  }

  timestamp(index: number): string {
    const slot = this.slotOf(index);
    return stampOf(this.times[slot], this.nanos[slot]);
  }

  sourceOf(index: number): LogSource {
    return this.sourceTable[this.sources[this.slotOf(index)]];
  }

  at(index: number): LogLine | undefined {
    if (index < 0 || index >= this.size) return undefined;
    const { pod, container, colour } = this.sourceOf(index);
    return [this.time(index), this.timestamp(index), pod, container, colour, this.text(index)];
  }

  clear(): void {
    this.head = this.tail;
    this.chunks = [];
    this.firstChunkId = 0;
    this.slots = 0;
    this.times = new Float64Array(0);
    this.nanos = new Uint32Array(0);
    this.sources = new Uint16Array(0);
    this.chunkOf = new Uint32Array(0);
    this.offsets = new Uint32Array(0);
    this.lengths = new Uint32Array(0);
    this.version++;
  }

  /**
   * Calls `visit(seq)` for each line from sequence `fromSeq` on whose text matches: each chunk is
   * decoded once and split, rather than decoding line by line.
   */
  scan(fromSeq: number, pattern: RegExp, visit: (seq: number) => void): void {
    const start = Math.max(fromSeq, this.head);
    const re = pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
    for (const chunk of this.chunks) {
      if (chunk.firstSeq + chunk.count <= start) continue;
      // Decode from the first line not scanned yet: following a log rescans only what is new.
      const first = Math.max(start, chunk.firstSeq);
      const from = this.offsets[first % this.slots];
      const lines = decoder.decode(chunk.bytes.subarray(from, chunk.used)).split('\n');
      const skipped = first - chunk.firstSeq;
      for (let k = 0; k < chunk.count - skipped; k++) if (re.test(lines[k])) visit(first + k);
    }
  }

  /** Indexes of the lines whose text matches (undefined: no filter, every line). */
  matching(filter: RegExp | undefined): number[] | undefined {
    if (!filter) return undefined;
    const out: number[] = [];
    this.scan(this.head, filter, (seq) => out.push(seq - this.head));
    return out;
  }

  /** Every line as text, for the download button; built in parts so a million lines fit. */
  toBlobParts(timestamps: boolean): string[] {
    const parts: string[] = [];
    let part: string[] = [];
    for (let i = 0; i < this.size; i++) {
      const { pod, container } = this.sourceOf(i);
      part.push(`${timestamps ? `${this.timestamp(i)} ` : ''}[${pod}/${container}] ${this.text(i)}\n`);
      if (part.length === 10_000) {
        parts.push(part.join(''));
        part = [];
      }
    }
    parts.push(part.join(''));
    return parts;
  }

  toText(timestamps: boolean): string {
    return this.toBlobParts(timestamps).join('');
  }
}

/**
 * The lines of a buffer that match a filter, kept up to date incrementally: appending scans only the
 * new lines, and lines the ring dropped fall off the front.
 */
export class LogFilter {
  private seqs = new Float64Array(1024);
  private start = 0;
  private end = 0;
  private scannedTo: number;

  constructor(
    private readonly buffer: LogBuffer,
    readonly pattern: RegExp,
  ) {
    this.scannedTo = buffer.firstSeq;
  }

  /** Catches up with the buffer; answers the number of matching lines. */
  update(): number {
    const b = this.buffer;
    if (b.endSeq < this.scannedTo) {
      // The buffer was cleared: start again.
      this.start = this.end = 0;
      this.scannedTo = b.firstSeq;
    }
    b.scan(this.scannedTo, this.pattern, (seq) => {
      if (this.end === this.seqs.length) {
        const live = this.end - this.start;
        if (live * 2 <= this.seqs.length) {
          this.seqs.copyWithin(0, this.start, this.end);
        } else {
          const next = new Float64Array(this.seqs.length * 2);
          next.set(this.seqs.subarray(this.start, this.end));
          this.seqs = next;
        }
        this.start = 0;
        this.end = live;
      }
      this.seqs[this.end++] = seq;
    });
    this.scannedTo = b.endSeq;
    while (this.start < this.end && this.seqs[this.start] < b.firstSeq) this.start++;
    return this.size;
  }

  get size(): number {
    return this.end - this.start;
  }

  /** The buffer index of the i-th matching line. */
  indexAt(i: number): number {
    return this.seqs[this.start + i] - this.buffer.firstSeq;
  }
}

/** A user's search or filter text as a RegExp: a valid regex as written, else the literal text. */
export function toPattern(text: string, flags = 'i'): RegExp | undefined {
  if (text === '') return undefined;
  try {
    return new RegExp(text, flags);
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  }
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | undefined;

export function levelOf(text: string): LogLevel {
  const m = /\b(FATAL|PANIC|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b|"level"\s*:\s*"(\w+)"|\blevel=(\w+)/i.exec(text);
  const word = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').toLowerCase();
  if (/^(fatal|panic|error|err)$/.test(word)) return 'error';
  if (/^warn/.test(word)) return 'warn';
  if (word === 'info') return 'info';
  if (word === 'debug' || word === 'trace') return 'debug';
  return undefined;
}
