// One container's log, followed through the API with timestamps so that a dropped connection
// resumes where it stopped: the API's sinceTime has one-second precision, so the lines of the last
// second are requested again and the ones already delivered are skipped, without gaps or duplicates.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Disposable } from '../../shared/disposable.js';
import { bodyLines, kubeStream, KubeStreamError } from './kube-stream.js';

export interface LogEntry {
  /** RFC 3339 with nanoseconds, as the kubelet writes it. */
  timestamp: string;
  /** Milliseconds since the epoch, for ordering across pods. */
  time: number;
  text: string;
  namespace: string;
  pod: string;
  container: string;
}

export interface ContainerLogOptions {
  namespace: string;
  pod: string;
  container: string;
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  previous?: boolean;
  /** Delay before reconnecting after a drop; doubles up to 10 s while the server keeps failing. */
  retryMs?: number;
}

export interface ContainerLogHandlers {
  onEntries(entries: LogEntry[]): void;
  /** The stream ended for good: the container ended, the pod is gone, or an error that retrying cannot fix. */
  onEnd?(reason?: string): void;
  /** A drop the follower is recovering from (shown as "reconnecting"). */
  onRetry?(reason: string): void;
}

export function parseTimestampedLine(line: string): { timestamp: string; time: number; text: string } | undefined {
  const space = line.indexOf(' ');
  const stamp = space < 0 ? line : line.slice(0, space);
  const time = Date.parse(stamp);
  if (Number.isNaN(time)) return undefined;
  return { timestamp: stamp, time, text: space < 0 ? '' : line.slice(space + 1) };
}

/** Whole seconds, as metav1.Time serializes: what the API accepts as sinceTime. */
function floorToSecond(stamp: string): string {
  return stamp.replace(/\.\d+Z$/, 'Z');
}

export class ContainerLog implements Disposable {
  private readonly abort = new AbortController();
  /** Lines delivered in the last second seen (timestamp + text → count): what a resume must skip. */
  private lastSecond = '';
  private seenInLastSecond = new Map<string, number>();
  private lastTimestamp?: string;
  private connections = 0;

  constructor(
    private readonly config: KubeConfig,
    private readonly options: ContainerLogOptions,
    private readonly handlers: ContainerLogHandlers,
  ) {
    void this.run();
  }

  /** How many times the stream was (re)opened: tests and the UI's "reconnected" hint. */
  get connectionCount(): number {
    return this.connections;
  }

  private path(): string {
    const o = this.options;
    const q = new URLSearchParams({ container: o.container, timestamps: 'true' });
    if (o.follow) q.set('follow', 'true');
    if (o.previous) q.set('previous', 'true');
    if (this.lastTimestamp) {
      q.set('sinceTime', floorToSecond(this.lastTimestamp));
    } else {
      if (o.tailLines !== undefined && o.tailLines >= 0) q.set('tailLines', String(o.tailLines));
      if (o.sinceSeconds !== undefined) q.set('sinceSeconds', String(o.sinceSeconds));
      else if (o.sinceTime) q.set('sinceTime', o.sinceTime);
    }
    return `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log?${q.toString()}`;
  }

  private async run(): Promise<void> {
    let retry = this.options.retryMs ?? 500;
    for (;;) {
      let reason: string | undefined;
      try {
        this.connections++;
        const response = await kubeStream(this.config, this.path(), this.abort.signal);
        retry = this.options.retryMs ?? 500;
        await this.read(response);
        // The server ended the stream: the container stopped (or the request did not follow).
        if (!this.options.follow || this.options.previous) return this.end();
        reason = 'the log stream ended';
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof KubeStreamError && error.fatal) return this.end(error.message);
        if (error instanceof KubeStreamError && error.status !== undefined && error.status < 500 && error.status !== 429) {
          // 404: the pod is gone; 400: the container is not running (yet) or has no previous run.
          if (error.status === 400 && this.options.follow && !this.options.previous && /waiting to start|ContainerCreating|PodInitializing/i.test(error.message)) {
            reason = error.message;
          } else return this.end(error.message);
        } else reason = error instanceof Error ? error.message : String(error);
      }
      if (this.abort.signal.aborted) return;
      this.handlers.onRetry?.(reason);
      await new Promise((r) => setTimeout(r, retry));
      retry = Math.min(retry * 2, 10_000);
      if (this.abort.signal.aborted) return;
    }
  }

  private async read(response: Awaited<ReturnType<typeof kubeStream>>): Promise<void> {
    const o = this.options;
    const resuming = this.lastTimestamp !== undefined;
    // On a resume, the replayed last second is matched against what was already delivered.
    const skip = resuming ? new Map(this.seenInLastSecond) : new Map<string, number>();
    const resumeSecond = resuming ? floorToSecond(this.lastTimestamp!) : '';
    const resumeTime = resuming ? Date.parse(resumeSecond) : 0;
    for await (const lines of bodyLines(response)) {
      const batch: LogEntry[] = [];
      for (const line of lines) {
        const parsed = parseTimestampedLine(line);
        if (!parsed) continue;
        if (resuming && parsed.time < resumeTime) continue;
        if (resuming && floorToSecond(parsed.timestamp) === resumeSecond) {
          const key = `${parsed.timestamp} ${parsed.text}`;
          const left = skip.get(key) ?? 0;
          if (left > 0) {
            skip.set(key, left - 1);
            continue;
          }
        }
        this.remember(parsed.timestamp, parsed.text);
        batch.push({ ...parsed, namespace: o.namespace, pod: o.pod, container: o.container });
      }
      if (batch.length > 0) this.handlers.onEntries(batch);
    }
  }

  private remember(timestamp: string, text: string): void {
    const second = floorToSecond(timestamp);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.seenInLastSecond = new Map();
    }
    const key = `${timestamp} ${text}`;
    this.seenInLastSecond.set(key, (this.seenInLastSecond.get(key) ?? 0) + 1);
    this.lastTimestamp = timestamp;
  }

  private end(reason?: string): void {
    if (!this.abort.signal.aborted) this.handlers.onEnd?.(reason);
  }

  dispose(): void {
    this.abort.abort();
  }
}
