// Watch over a KV, translated to Kubernetes watch events as k8s.io/apiserver's etcd3 watcher does:
// create → ADDED, update → MODIFIED, delete → DELETED carrying the last state at the deleting
// revision; with a predicate, an object that stops matching is DELETED, one that starts is ADDED.
import type { KubeObject } from '../../../shared/kube.js';
import { CompactedError, FutureRevisionError, prefixEnd, type KV, type WatchEvent, type Watcher } from './kv.js';
import { asPrefix, bookmarkObject, decodeObject, expiredStatus, parseResourceVersion, toStorageError } from './object-codec.js';
import type { WrittenObjects } from './written-objects.js';
import { StorageError, type StorageWatch, type StorageWatchEvent, type StorageWatchOptions } from './storage.js';

/** ADDED/MODIFIED/DELETED for one change, given the object before and after (undefined: absent). */
export function translateChange(
  prev: KubeObject | undefined,
  cur: KubeObject | undefined,
  predicate: ((obj: KubeObject) => boolean) | undefined,
): StorageWatchEvent | undefined {
  const prevOk = prev !== undefined && (!predicate || predicate(prev));
  const curOk = cur !== undefined && (!predicate || predicate(cur));
  if (cur && curOk) return { type: prevOk ? 'MODIFIED' : 'ADDED', object: cur };
  if (prev && prevOk) return { type: 'DELETED', object: prev };
  return undefined;
}

/** A watch event with the storage key it concerns; the cacher needs the key, and objects lack it. */
export interface KeyedStorageWatchEvent extends StorageWatchEvent {
  key?: string;
}

function translate(event: WatchEvent, predicate: ((obj: KubeObject) => boolean) | undefined, written: WrittenObjects | undefined, frozen: boolean): KeyedStorageWatchEvent | undefined {
  const { kv } = event;
  const revision = kv.modRevision;
  // The previous state is sent with the revision of the change, as kube does; decoded only if needed.
  const prev = (): KubeObject | undefined => (event.prevKv ? decodeObject(kv.key, event.prevKv.value, revision) : undefined);
  let out: StorageWatchEvent | undefined;
  if (event.type === 'delete') out = translateChange(prev(), undefined, predicate);
  else {
    const cur = written?.take(kv.key, kv.value, revision, frozen) ?? decodeObject(kv.key, kv.value, revision);
    if (kv.createRevision === kv.modRevision) out = translateChange(undefined, cur, predicate);
    else if (!predicate) out = { type: 'MODIFIED', object: cur };
    else out = translateChange(prev(), cur, predicate);
  }
  return out && { ...out, key: kv.key };
}

export function startKvWatch(
  storage: { kv: KV; written?: WrittenObjects },
  options: StorageWatchOptions,
  onEvent: (event: StorageWatchEvent) => void,
): StorageWatch {
  const kv = storage.kv;
  const key = options.recursive ? asPrefix(options.key) : options.key;
  const end = options.recursive ? prefixEnd(key) : undefined;
  const predicate = options.predicate;
  let disposed = false;
  let kvWatcher: Watcher | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastRevision = 0;
  const emit = (event: StorageWatchEvent): void => {
    if (!disposed) onEvent(event);
  };
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    kvWatcher?.dispose();
    if (timer) clearInterval(timer);
  };

  const ready = (async () => {
    try {
      const requested = parseResourceVersion(options.resourceVersion, key);
      // As the contract says: "0" always starts with the current state; sendInitialEvents adds it (plus the bookmark) to any start.
      const initial = options.sendInitialEvents === true || options.resourceVersion === '0';
      let startRevision: number;
      if (initial) {
        const r = await kv.range(key, { end });
        for (const item of r.kvs) {
          const obj = decodeObject(item.key, item.value, item.modRevision);
          if (!predicate || predicate(obj)) emit({ type: 'ADDED', object: obj, key: item.key } as KeyedStorageWatchEvent);
        }
        lastRevision = r.revision;
        startRevision = r.revision + 1;
        if (options.sendInitialEvents) emit({ type: 'BOOKMARK', object: bookmarkObject(r.revision, true) });
      } else if (requested > 0) {
        // Fail `ready` now if the start was compacted (a cheap read at that revision tells), rather
        // than with an ERROR event later. A start in the future is fine: the watch waits for it.
        await kv.range(key, { end, revision: requested + 1, countOnly: true }).catch((error: unknown) => {
          if (!(error instanceof FutureRevisionError)) throw error;
        });
        lastRevision = requested;
        startRevision = requested + 1;
      } else {
        lastRevision = (await kv.range(key, { end, countOnly: true })).revision;
        startRevision = lastRevision + 1;
      }
      if (disposed) return;
      kvWatcher = kv.watch(key, { end, startRevision, prevKv: true }, {
        onEvents(events, revision) {
          for (const event of events) {
            const translated = translate(event, predicate, storage.written, options.frozen === true);
            if (translated) emit(translated);
          }
          lastRevision = Math.max(lastRevision, revision);
        },
        onError(error) {
          const message =
            error instanceof CompactedError
              ? `too old resource version: ${error.requestedRevision - 1} (${error.compactRevision})`
              : `watch of ${key} ended: ${error.message}`;
          emit({ type: 'ERROR', object: expiredStatus(message) });
          dispose();
        },
      });
      await kvWatcher.ready;
      if (disposed) kvWatcher.dispose();
      else if (options.bookmarkIntervalMs && options.bookmarkIntervalMs > 0) {
        timer = setInterval(() => emit({ type: 'BOOKMARK', object: bookmarkObject(lastRevision) }), options.bookmarkIntervalMs);
        timer.unref?.();
      }
    } catch (error) {
      dispose();
      const mapped = toStorageError(error, key);
      if (mapped instanceof StorageError && mapped.code === 'Expired') {
        throw new StorageError('Expired', key, `too old resource version: ${options.resourceVersion ?? ''}`, mapped.currentResourceVersion);
      }
      throw mapped;
    }
  })();
  // Callers that only dispose must not trigger an unhandled rejection; awaiting `ready` still throws.
  ready.catch(() => undefined);
  return { ready, dispose };
}
