// Watches over etcd's bidirectional Watch stream, with our own watch ids (etcd >= 3.4) so that
// responses, cancellations and compaction revisions map to the right listener. When the stream
// breaks (etcd restarted, connection lost) every watch is re-created on a new stream from the
// revision after the last one it delivered, so listeners see neither a gap nor a repeat.
import type { Etcd3, IWatchRequest, IWatchResponse } from 'etcd3';
import { CompactedError, StoreUnavailableError, type WatchEvent, type WatchListener, type WatchOptions, type Watcher } from './kv.js';
import { fromEtcdKv } from './etcd-kv-convert.js';

interface Entry {
  id: number;
  key: Buffer;
  end: Buffer | undefined;
  prevKv: boolean;
  /** Revision to (re)start from: the requested start, then the one after the last delivered event. */
  nextRevision: number;
  requestedRevision: number;
  listener: WatchListener;
  created: () => void;
  disposed: boolean;
}

type Stream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

const MAX_BACKOFF_MS = 5000;

export class EtcdWatchStream {
  private stream: Stream | undefined;
  private opening: Promise<Stream> | undefined;
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  private closed = false;
  private backoffMs = 100;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly describe: string,
  ) {}

  watch(key: string, options: WatchOptions, listener: WatchListener): Watcher {
    let created: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (created = resolve));
    const start = options.startRevision && options.startRevision > 0 ? options.startRevision : 0;
    const entry: Entry = {
      id: this.nextId++,
      key: Buffer.from(key, 'utf8'),
      end: options.end ? Buffer.from(options.end, 'utf8') : undefined,
      prevKv: options.prevKv ?? false,
      nextRevision: start,
      requestedRevision: start,
      listener,
      created,
      disposed: false,
    };
    if (this.closed) {
      queueMicrotask(() => this.fail(entry, new StoreUnavailableError('the etcd client is closed; connect again')));
      created();
    } else {
      this.entries.set(entry.id, entry);
      void this.ensureStream().then(
        (stream) => this.create(stream, entry),
        () => this.scheduleReconnect(),
      );
    }
    return {
      ready,
      dispose: () => {
        if (entry.disposed) return;
        entry.disposed = true;
        this.entries.delete(entry.id);
        this.stream?.write({ cancel_request: { watch_id: entry.id } });
      },
    };
  }

  private create(stream: Stream, entry: Entry): void {
    if (entry.disposed || this.stream !== stream) return;
    const request: IWatchRequest = {
      create_request: { key: entry.key, range_end: entry.end, start_revision: entry.nextRevision, prev_kv: entry.prevKv, watch_id: entry.id },
    };
    stream.write(request);
  }

  private ensureStream(): Promise<Stream> {
    if (this.stream) return Promise.resolve(this.stream);
    this.opening ??= (async () => {
      const stream = await this.client.watchClient.watch();
      stream.on('data', (res: IWatchResponse) => this.onResponse(res));
      const broken = (): void => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        this.scheduleReconnect();
      };
      stream.on('error', broken);
      stream.on('end', broken);
      this.stream = stream;
      return stream;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Re-creates every live watch on a new stream, from where it left off; retries with backoff. */
  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.entries.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ensureStream().then(
        (stream) => {
          // Reset only once etcd confirms a watch: a stream to a dead server "opens" fine.
          this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
          for (const entry of this.entries.values()) this.create(stream, entry);
        },
        () => {
          this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
          this.scheduleReconnect();
        },
      );
    }, this.backoffMs);
    this.reconnectTimer.unref?.();
  }

  private fail(entry: Entry, error: Error): void {
    this.entries.delete(entry.id);
    const wasLive = !entry.disposed;
    entry.disposed = true;
    if (wasLive) entry.listener.onError(error);
  }

  private onResponse(res: IWatchResponse): void {
    const entry = this.entries.get(Number(res.watch_id));
    if (!entry || entry.disposed) return;
    if (res.created) {
      this.backoffMs = 100;
      entry.created();
      // A watch of "future events only" resumes after the revision it was created at.
      if (entry.nextRevision === 0) entry.nextRevision = Number(res.header.revision) + 1;
    }
    if (res.canceled) {
      const compactRevision = Number(res.compact_revision);
      entry.created();
      this.fail(
        entry,
        compactRevision > 0
          ? new CompactedError(entry.nextRevision || entry.requestedRevision, compactRevision)
          : new StoreUnavailableError(`etcd at ${this.describe} canceled the watch: ${res.cancel_reason || 'no reason given'}`),
      );
      return;
    }
    if (res.events.length === 0) return;
    const events: WatchEvent[] = res.events.map((e) => {
      const kv = fromEtcdKv(e.kv);
      const type = e.type === 'Delete' ? ('delete' as const) : ('put' as const);
      return e.prev_kv ? { type, kv, prevKv: fromEtcdKv(e.prev_kv) } : { type, kv };
    });
    const last = events[events.length - 1].kv.modRevision;
    entry.nextRevision = last + 1;
    try {
      entry.listener.onEvents(events, last);
    } catch (error) {
      console.error('an etcd watch listener threw; the watch continues:', error);
    }
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const stream = this.stream;
    this.stream = undefined;
    for (const entry of [...this.entries.values()]) this.fail(entry, new StoreUnavailableError('the etcd client was closed'));
    stream?.cancel();
  }
}
