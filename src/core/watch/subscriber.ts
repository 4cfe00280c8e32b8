// One subscriber of an informer: changes coalesced by uid and delivered at most every `batchMs`.
// A big snapshot (a late subscriber to 50,000 pods) goes out in chunks, so the UI shows the first
// rows without waiting for the whole collection to be serialized and parsed.
import type { KubeObject } from '../../shared/kube.js';
import { jsonTextOf, jsonTextOnly, withJsonText } from './raw-json.js';

export interface WatchBatch {
  reset?: KubeObject[];
  upserts: KubeObject[];
  deletes: string[];
  error?: string;
  forbidden?: boolean;
  /** More of the first list follows. */
  listing: boolean;
}

/** What a subscriber reads from its informer when it flushes. */
export interface InformerView {
  /** Objects by uid, as JSON text. */
  readonly cache: Map<string, string>;
  readonly listing: boolean;
}

export const CHUNK = 5000;
/** The first chunk of a snapshot: small, so the first rows show before the rest is serialized. */
export const FIRST_CHUNK = 500;


export class Subscriber {
  private reset = false;
  private backlog: string[] = [];
  private readonly upserts = new Map<string, KubeObject>();
  private readonly deletes = new Set<string>();
  private error: string | undefined;
  private forbidden = false;
  private errorChanged = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private flushedOnce = false;

  /**
   * `textOnly`: batches carry objects known only by their JSON text (see jsonTextOnly), for a
   * listener that sends them with stringifyWithJsonTexts.
   */
  constructor(
    private readonly informer: InformerView,
    private readonly listener: (batch: WatchBatch) => void,
    private readonly batchMs: number,
    private readonly textOnly = false,
  ) {}

  private parse(texts: string[]): KubeObject[] {
    return this.textOnly ? texts.map((t) => jsonTextOnly<KubeObject>(t)) : texts.map((t) => withJsonText(JSON.parse(t) as KubeObject, t));
  }

  /** `immediate`: the first rows of a new table should not wait for a batch interval. */
  markReset(immediate = false): void {
    this.reset = true;
    this.backlog = [];
    this.upserts.clear();
    this.deletes.clear();
    if (immediate && this.timer === undefined && !this.flushedOnce) this.schedule(0);
    else this.schedule();
  }
  upsert(uid: string, obj: KubeObject): void {
    if (this.reset) return this.schedule();
    this.deletes.delete(uid);
    const text = this.textOnly ? jsonTextOf(obj) : undefined;
    // The informer's object then dies young instead of waiting for the batch.
    this.upserts.set(uid, text === undefined ? obj : jsonTextOnly<KubeObject>(text));
    this.schedule();
  }
  remove(uid: string): void {
    if (this.reset) return this.schedule();
    this.upserts.delete(uid);
    this.deletes.add(uid);
    this.schedule();
  }
  setError(error: string | undefined, forbidden = false): void {
    if (error === this.error && forbidden === this.forbidden) return;
    this.error = error;
    this.forbidden = forbidden;
    this.errorChanged = true;
    this.schedule();
  }
  /** The informer's listing state changed: say so even when nothing else did. */
  touch(): void {
    this.schedule();
  }
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay = this.batchMs): void {
    if (this.disposed) return;
    this.timer ??= setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.timer = undefined;
    this.flushedOnce = true;
    const batch: WatchBatch = { upserts: [], deletes: [], listing: false };
    if (this.reset) {
      this.reset = false;
      const all = [...this.informer.cache.values()];
      batch.reset = this.parse(all.slice(0, FIRST_CHUNK));
      this.backlog = all.slice(FIRST_CHUNK);
    } else if (this.backlog.length > 0) {
      // Older than anything in `upserts`: it must go first, and alone.
      batch.upserts = this.parse(this.backlog.slice(0, CHUNK));
      this.backlog = this.backlog.slice(CHUNK);
    } else {
      batch.upserts = [...this.upserts.values()];
      batch.deletes = [...this.deletes];
      this.upserts.clear();
      this.deletes.clear();
    }
    if (this.errorChanged || this.error) {
      batch.error = this.error;
      if (this.forbidden) batch.forbidden = true;
    }
    this.errorChanged = false;
    batch.listing = this.backlog.length > 0 || this.informer.listing;
    // The rest of a snapshot follows at once; live changes keep waiting for the next batch.
    if (this.backlog.length > 0 || this.upserts.size > 0 || this.deletes.size > 0) this.schedule(this.backlog.length > 0 ? 0 : this.batchMs);
    const started = performance.now();
    this.listener(batch);
    if (process.env.KUBEDESK_WATCH_TRACE) process.stderr.write(`[watch] flush ${batch.reset?.length ?? 0}+${batch.upserts.length} sent in ${(performance.now() - started).toFixed(0)} ms\n`);
  }
}
