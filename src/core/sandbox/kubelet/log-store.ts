// Container logs as the kubelet keeps them (/var/log/pods): per container, the current instance and
// the previous one, each a bounded ring of timestamped lines, for the pods/log endpoint.
import type { Disposable } from '../../../shared/disposable.js';

export interface LogReadOptions {
  previous?: boolean;
  sinceTime?: Date;
  tailLines?: number;
  limitBytes?: number;
  timestamps?: boolean;
}

export interface LogFollower {
  /** One line, newline included (a final partial line has none). */
  onLine(line: string): void;
  /** The followed instance exited (kubectl logs -f returns then). */
  onEnd(): void;
}

export interface LogStore {
  /** undefined: no such container instance (the endpoint answers 400 "previous terminated container ... not found"). */
  read(namespace: string, pod: string, container: string, options?: LogReadOptions): string[] | undefined;
  follow(namespace: string, pod: string, container: string, options: LogReadOptions, follower: LogFollower): Disposable | undefined;
}

interface Line {
  at: Date;
  text: string;
}

/** RFC3339Nano with 9 digits, as the kubelet prefixes lines with --timestamps. */
export function nanoTimestamp(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export class LogInstance {
  readonly lines: Line[] = [];
  private bytes = 0;
  private partial = new Map<string, { at: Date; text: string }>();
  private readonly followers = new Set<{ onLine(line: Line): void; onEnd(): void }>();
  ended = false;

  constructor(private readonly maxBytes: number) {}

  append(stream: string, chunk: string, at: Date): void {
    const pending = this.partial.get(stream);
    let text = (pending?.text ?? '') + chunk;
    const at0 = pending?.at ?? at;
    this.partial.delete(stream);
    let first = true;
    for (;;) {
      const nl = text.indexOf('\n');
      if (nl < 0) break;
      this.push({ at: first ? at0 : at, text: text.slice(0, nl + 1) });
      first = false;
      text = text.slice(nl + 1);
    }
    if (text) this.partial.set(stream, { at: first ? at0 : at, text });
  }

  end(): void {
    for (const p of this.partial.values()) this.push(p);
    this.partial.clear();
    this.ended = true;
    for (const f of [...this.followers]) f.onEnd();
    this.followers.clear();
  }

  private push(line: Line): void {
    this.lines.push(line);
    this.bytes += line.text.length;
    while (this.bytes > this.maxBytes && this.lines.length > 1) this.bytes -= this.lines.shift()?.text.length ?? 0;
    for (const f of this.followers) f.onLine(line);
  }

  select(options: LogReadOptions): Line[] {
    let lines = this.lines;
    if (options.sinceTime) {
      const since = options.sinceTime.getTime();
      lines = lines.filter((l) => l.at.getTime() >= since);
    }
    if (options.tailLines !== undefined) lines = options.tailLines <= 0 ? [] : lines.slice(-options.tailLines);
    return lines;
  }

  subscribe(follower: { onLine(line: Line): void; onEnd(): void }): Disposable {
    this.followers.add(follower);
    return { dispose: () => this.followers.delete(follower) };
  }
}

function render(lines: Line[], options: LogReadOptions): string[] {
  const out: string[] = [];
  let budget = options.limitBytes ?? Infinity;
  for (const l of lines) {
    const text = options.timestamps ? `${nanoTimestamp(l.at)} ${l.text}` : l.text;
    if (text.length > budget) {
      if (budget > 0) out.push(text.slice(0, budget));
      break;
    }
    budget -= text.length;
    out.push(text);
  }
  return out;
}

export class MemoryLogStore implements LogStore {
  private readonly containers = new Map<string, { uid: string; current?: LogInstance; previous?: LogInstance }>();

  constructor(private readonly maxBytesPerInstance = 10 * 1024 * 1024) {}

  /** A new instance of a container starts: the current one becomes previous. */
  startInstance(namespace: string, pod: string, uid: string, container: string): LogInstance {
    const key = `${namespace}/${pod}/${container}`;
    let entry = this.containers.get(key);
    if (!entry || entry.uid !== uid) {
      entry = { uid };
      this.containers.set(key, entry);
    }
    if (entry.current) entry.previous = entry.current;
    entry.current = new LogInstance(this.maxBytesPerInstance);
    return entry.current;
  }

  /** The pod is gone: its logs go with it, as /var/log/pods is cleaned. */
  removePod(namespace: string, pod: string, uid: string): void {
    for (const [key, entry] of this.containers) if (key.startsWith(`${namespace}/${pod}/`) && entry.uid === uid) this.containers.delete(key);
  }

  private instance(namespace: string, pod: string, container: string, previous: boolean | undefined): LogInstance | undefined {
    const entry = this.containers.get(`${namespace}/${pod}/${container}`);
    return previous ? entry?.previous : entry?.current;
  }

  read(namespace: string, pod: string, container: string, options: LogReadOptions = {}): string[] | undefined {
    const instance = this.instance(namespace, pod, container, options.previous);
    return instance ? render(instance.select(options), options) : undefined;
  }

  follow(namespace: string, pod: string, container: string, options: LogReadOptions, follower: LogFollower): Disposable | undefined {
    const instance = this.instance(namespace, pod, container, options.previous);
    if (!instance) return undefined;
    let budget = options.limitBytes ?? Infinity;
    let done = false;
    const emit = (l: Line) => {
      if (done) return;
      const line = options.timestamps ? `${nanoTimestamp(l.at)} ${l.text}` : l.text;
      if (line.length >= budget) {
        follower.onLine(line.slice(0, budget));
        done = true;
        follower.onEnd();
        return;
      }
      budget -= line.length;
      follower.onLine(line);
    };
    for (const line of render(instance.select(options), options)) {
      budget -= line.length;
      follower.onLine(line);
    }
    if (instance.ended || options.previous || budget <= 0) {
      follower.onEnd();
      return { dispose: () => undefined };
    }
    return instance.subscribe({ onLine: emit, onEnd: () => !done && follower.onEnd() });
  }
}
