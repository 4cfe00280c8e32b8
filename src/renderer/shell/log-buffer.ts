// The lines a logs view holds: a bounded ring (the oldest lines go first) so a million-line follow
// keeps a flat memory use, with the filtered view computed over it on demand.
import type { LogLine } from '../../shared/rpc/terminal-contract.js';

export const DEFAULT_LOG_CAPACITY = 1_000_000;

export class LogBuffer {
  // Column per field rather than one array per line: a million lines stay within the memory budget
  // (pod and container names are shared through a small source table).
  private texts: string[] = [];
  private stamps: string[] = [];
  private times: number[] = [];
  private sources: number[] = [];
  private readonly sourceTable: [string, string, number][] = [];
  private readonly sourceIndex = new Map<string, number>();
  private start = 0;
  /** Bumps on every change: views memoize on it. */
  version = 0;
  dropped = 0;

  constructor(readonly capacity = DEFAULT_LOG_CAPACITY) {}

  get size(): number {
    return this.texts.length - this.start;
  }

  append(batch: readonly LogLine[]): void {
    for (const [time, stamp, pod, container, colour, text] of batch) {
      const key = `${pod}\u0000${container}`;
      let source = this.sourceIndex.get(key);
      if (source === undefined) {
        source = this.sourceTable.push([pod, container, colour]) - 1;
        this.sourceIndex.set(key, source);
      }
      this.texts.push(text);
      this.stamps.push(stamp);
      this.times.push(time);
      this.sources.push(source);
    }
    const over = this.size - this.capacity;
    if (over > 0) {
      this.start += over;
      this.dropped += over;
      // Compact once the dead prefix is as large as the live part, so trimming stays amortized O(1).
      if (this.start >= this.capacity) {
        this.texts = this.texts.slice(this.start);
        this.stamps = this.stamps.slice(this.start);
        this.times = this.times.slice(this.start);
        this.sources = this.sources.slice(this.start);
        this.start = 0;
      }
    }
    this.version++;
  }

  at(index: number): LogLine | undefined {
    const i = this.start + index;
    if (index < 0 || i >= this.texts.length) return undefined;
    const [pod, container, colour] = this.sourceTable[this.sources[i]];
    return [this.times[i], this.stamps[i], pod, container, colour, this.texts[i]];
  }

  clear(): void {
    this.texts = [];
    this.stamps = [];
    this.times = [];
    this.sources = [];
    this.start = 0;
    this.version++;
  }

  /** Indexes of the lines whose text matches, for a filtered view (all lines when no filter). */
  matching(filter: RegExp | undefined): number[] | undefined {
    if (!filter) return undefined;
    const out: number[] = [];
    for (let i = this.start; i < this.texts.length; i++) if (filter.test(this.texts[i])) out.push(i - this.start);
    return out;
  }

  /** The whole buffer as text, one line per entry, for the download button. */
  toText(timestamps: boolean): string {
    const parts: string[] = [];
    for (let i = 0; i < this.size; i++) {
      const l = this.at(i)!;
      parts.push(`${timestamps ? `${l[1]} ` : ''}[${l[2]}/${l[3]}] ${l[5]}`);
    }
    return parts.join('\n') + '\n';
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
