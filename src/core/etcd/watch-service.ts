// etcd's Watch service: one bidirectional stream carries many watchers. Requests on a stream are
// handled one at a time, so "created" answers come back in request order (etcd's Go client pairs
// them with its requests that way), and a watcher's events are held until its "created" is sent.
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Disposable } from '../../shared/disposable.js';
import { CompactedError, type WatchEvent, type Watcher } from '../sandbox/store/kv.js';
import { toServiceError } from './grpc-errors.js';
import { currentRevision, header, type EtcdContext } from './context.js';
import { EventTypeWire, WatchFilter, type EventWire, type WatchCreateRequestWire, type WatchRequestWire, type WatchResponseWire } from './proto.js';
import { bytesOf, kvToWire, numberOf, rangeEndOf } from './wire.js';

type WatchCall = ServerDuplexStream<WatchRequestWire, WatchResponseWire>;

interface ActiveWatch {
  watcher?: Watcher;
  progressNotify: boolean;
  /** Whether events went out since the last progress tick (then no notification is due). */
  sentSinceTick: boolean;
}

function toEventWire(event: WatchEvent): EventWire {
  return {
    type: event.type === 'put' ? EventTypeWire.Put : EventTypeWire.Delete,
    kv: kvToWire(event.kv),
    ...(event.prevKv ? { prev_kv: kvToWire(event.prevKv) } : {}),
  };
}

/** Replays can carry a whole history; clients cap messages (4 MiB by default in gRPC). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Splits events into responses of about MAX_RESPONSE_BYTES, never splitting one revision. */
export function batchesOf(events: WatchEvent[]): WatchEvent[][] {
  const batches: WatchEvent[][] = [];
  let current: WatchEvent[] = [];
  let size = 0;
  for (const event of events) {
    const previous = current[current.length - 1];
    if (previous && size >= MAX_RESPONSE_BYTES && previous.kv.modRevision !== event.kv.modRevision) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += event.kv.key.length + event.kv.value.byteLength + (event.prevKv ? event.prevKv.key.length + event.prevKv.value.byteLength : 0) + 32;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

class WatchSession {
  private readonly watches = new Map<number, ActiveWatch>();
  private nextId = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly ticker: Disposable;

  constructor(
    private readonly ctx: EtcdContext,
    private readonly call: WatchCall,
  ) {
    const timer = setInterval(() => void this.progressTick(), ctx.progressIntervalMs);
    timer.unref();
    this.ticker = { dispose: () => clearInterval(timer) };
    call.on('data', (request: WatchRequestWire) => {
      this.queue = this.queue.then(() => this.handle(request)).catch((error: unknown) => this.fail(error));
    });
    call.on('end', () => this.close(true));
    call.on('cancelled', () => this.close(false));
    call.on('error', () => this.close(false));
  }

  private send(response: WatchResponseWire): void {
    if (!this.closed) this.call.write(response);
  }

  private async handle(request: WatchRequestWire): Promise<void> {
    if (this.closed) return;
    if (request.create_request) await this.create(request.create_request);
    else if (request.cancel_request) await this.cancel(numberOf(request.cancel_request.watch_id));
    else if (request.progress_request) this.send({ header: header(this.ctx, await currentRevision(this.ctx.kv)), watch_id: -1 });
  }

  private async create(request: WatchCreateRequestWire): Promise<void> {
    let key = bytesOf(request.key);
    // As etcd: an empty key means the smallest key, "\0".
    if (key.length === 0) key = Buffer.from([0]);
    const end = rangeEndOf(key, request.range_end);
    const filters = new Set(request.filters ?? []);
    let id = numberOf(request.watch_id);
    if (id !== 0 && this.watches.has(id)) {
      this.send({ header: header(this.ctx, await currentRevision(this.ctx.kv)), watch_id: -1, created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' });
      return;
    }
    if (id === 0) {
      while (this.watches.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const watchId = id;
    const active: ActiveWatch = { progressNotify: request.progress_notify === true, sentSinceTick: false };
    this.watches.set(watchId, active);
    let created = false;
    const held: (() => void)[] = [];
    const deliver = (fn: () => void) => (created ? fn() : held.push(fn));
    const startRevision = numberOf(request.start_revision);
    const keyText = key.toString('utf8');
    active.watcher = this.ctx.kv.watch(
      keyText,
      { ...(end !== undefined ? { end } : {}), ...(startRevision > 0 ? { startRevision } : {}), prevKv: request.prev_kv === true },
      {
        onEvents: (events, revision) =>
          deliver(() => {
            const kept = events.filter((e) => !(e.type === 'put' && filters.has(WatchFilter.NoPut)) && !(e.type === 'delete' && filters.has(WatchFilter.NoDelete)));
            if (kept.length === 0 || !this.watches.has(watchId)) return;
            active.sentSinceTick = true;
            for (const batch of batchesOf(kept)) this.send({ header: header(this.ctx, revision), watch_id: watchId, events: batch.map(toEventWire) });
          }),
        onError: (error) =>
          deliver(() => {
            if (!this.watches.delete(watchId)) return;
            void currentRevision(this.ctx.kv)
              .catch(() => 0)
              .then((revision) => {
                // etcd reports a compacted start revision as compact_revision on a canceled response.
                if (error instanceof CompactedError) this.send({ header: header(this.ctx, revision), watch_id: watchId, canceled: true, compact_revision: error.compactRevision });
                else this.send({ header: header(this.ctx, revision), watch_id: watchId, canceled: true, cancel_reason: error.message });
              });
          }),
      },
    );
    await active.watcher.ready;
    const revision = await currentRevision(this.ctx.kv);
    this.send({ header: header(this.ctx, revision), watch_id: watchId, created: true });
    created = true;
    for (const fn of held.splice(0)) fn();
  }

  private async cancel(id: number): Promise<void> {
    const active = this.watches.get(id);
    if (!active) return;
    this.watches.delete(id);
    active.watcher?.dispose();
    this.send({ header: header(this.ctx, await currentRevision(this.ctx.kv)), watch_id: id, canceled: true });
  }

  private async progressTick(): Promise<void> {
    const due = [...this.watches].filter(([, w]) => w.progressNotify && !w.sentSinceTick);
    for (const [, w] of this.watches) w.sentSinceTick = false;
    if (due.length === 0 || this.closed) return;
    const revision = await currentRevision(this.ctx.kv).catch(() => undefined);
    if (revision === undefined) return;
    for (const [id] of due) if (this.watches.has(id)) this.send({ header: header(this.ctx, revision), watch_id: id });
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.close(false);
    this.call.emit('error', toServiceError(error));
  }

  close(endStream: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.ticker.dispose();
    for (const w of this.watches.values()) w.watcher?.dispose();
    this.watches.clear();
    if (endStream) this.call.end();
  }
}

export class WatchService {
  private readonly sessions = new Set<WatchSession>();

  constructor(private readonly ctx: EtcdContext) {}

  implementation(): UntypedServiceImplementation {
    return {
      Watch: (call: WatchCall) => {
        const session = new WatchSession(this.ctx, call);
        this.sessions.add(session);
        const forget = () => this.sessions.delete(session);
        call.on('end', forget);
        call.on('cancelled', forget);
        call.on('error', forget);
      },
    };
  }

  /** Drops every watcher: the server is stopping. */
  dispose(): void {
    for (const session of this.sessions) session.close(false);
    this.sessions.clear();
  }
}
