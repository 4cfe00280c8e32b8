// Watchers of the embedded store. Each watcher keeps the next revision it needs; every time the
// durable revision advances, each one is caught up from the revision log. History replay and live
// delivery are the same code path, so a watcher never misses or repeats a revision.
import { toDisposable } from '../../../shared/disposable.js';
import { CompactedError, type WatchEvent, type WatchListener, type WatchOptions, type Watcher } from './kv.js';
import { inRange, type MvccState } from './mvcc-state.js';

interface Entry {
  key: string;
  end: string | undefined;
  prevKv: boolean;
  nextRevision: number;
  listener: WatchListener;
}

export class WatchHub {
  private readonly entries = new Set<Entry>();

  constructor(
    private readonly state: () => MvccState,
    private readonly durableRevision: () => number,
  ) {}

  add(key: string, options: WatchOptions, listener: WatchListener): Watcher {
    const state = this.state();
    const entry: Entry = {
      key,
      end: options.end,
      prevKv: options.prevKv ?? false,
      nextRevision: options.startRevision && options.startRevision > 0 ? options.startRevision : state.revision + 1,
      listener,
    };
    this.entries.add(entry);
    // Replay asynchronously so the caller has the Watcher in hand before the first callback.
    queueMicrotask(() => {
      if (this.entries.has(entry)) this.catchUp(entry);
    });
    const disposable = toDisposable(() => this.entries.delete(entry));
    return { ready: Promise.resolve(), dispose: () => disposable.dispose() };
  }

  /** Catches every watcher up to the durable revision (or fails those whose revision was compacted). */
  deliver(): void {
    for (const entry of [...this.entries]) if (this.entries.has(entry)) this.catchUp(entry);
  }

  private catchUp(entry: Entry): void {
    const state = this.state();
    if (entry.nextRevision < state.compactRevision) {
      this.entries.delete(entry);
      safely(() => entry.listener.onError(new CompactedError(entry.nextRevision, state.compactRevision)));
      return;
    }
    const durable = this.durableRevision();
    if (entry.nextRevision > durable) return;
    const out: WatchEvent[] = [];
    for (const { events } of state.changesSince(entry.nextRevision, durable)) {
      for (const event of events) {
        if (!inRange(event.kv.key, entry.key, entry.end)) continue;
        out.push(entry.prevKv || !event.prevKv ? event : { type: event.type, kv: event.kv });
      }
    }
    entry.nextRevision = durable + 1;
    if (out.length > 0) safely(() => entry.listener.onEvents(out, durable));
  }

  closeAll(error: Error): void {
    const all = [...this.entries];
    this.entries.clear();
    for (const entry of all) safely(() => entry.listener.onError(error));
  }
}

/** A throwing listener must not break delivery to the others. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('a KV watch listener threw; delivery to other watchers continues:', error);
  }
}
