// Periodic compaction, as kube-apiserver does (--etcd-compaction-interval, 5 minutes): each tick
// compacts to the revision seen at the previous tick, so history stays bounded while every watcher
// and paginated list has had a whole interval to read what it needs.
import { toDisposable, type Disposable } from '../../../shared/disposable.js';
import { CompactedError, type KV } from './kv.js';

export interface CompactorOptions {
  intervalMs?: number;
  /** Called when a compaction fails for another reason than "already compacted". */
  onError?: (error: unknown) => void;
}

export function startCompactor(kv: KV, options: CompactorOptions = {}): Disposable & { tick(): Promise<void> } {
  let previous = 0;
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const { revision } = await kv.range('/', { countOnly: true });
      if (previous > 0) {
        // Another client (or apiserver) may have compacted further already: that is fine.
        await kv.compact(previous).catch((error: unknown) => {
          if (!(error instanceof CompactedError)) throw error;
        });
      }
      previous = revision;
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5 * 60_000);
  timer.unref?.();
  const disposable = toDisposable(() => clearInterval(timer));
  return { tick, dispose: () => disposable.dispose() };
}
