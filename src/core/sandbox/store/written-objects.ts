// Objects a KvObjectStorage is writing, by key, so that the watch translating the write's event
// (storage-watch.ts) reuses the object instead of parsing the bytes it was just encoded to: on the
// embedded store the event is delivered before the write returns, and parsing a pod costs several
// times a copy. The bytes are compared before the object is used, so a hint that is not exactly
// what was stored (a concurrent write to the same key) is ignored and the event decoded as before.
import type { KubeObject } from '../../../shared/kube.js';
import { jsonCopy } from './object-codec.js';

interface Written {
  value: Uint8Array;
  /** The stored form (JSON-faithful copy, no resourceVersion), owned by this registry. */
  object: KubeObject;
  /** Handed to a watch already: later watches get copies (the first may freeze or keep it). */
  taken: boolean;
}

export class WrittenObjects {
  private readonly byKey = new Map<string, Written>();

  /** Registers `object` as what `value` (its encoding) decodes to, until the returned release is called. */
  hold(key: string, value: Uint8Array, object: KubeObject): () => void {
    const entry: Written = { value, object: jsonCopy(object) as KubeObject, taken: false };
    this.byKey.set(key, entry);
    return () => {
      if (this.byKey.get(key) === entry) this.byKey.delete(key);
    };
  }

  /** The object stored as `value` at `key`, with `revision` as its resourceVersion; undefined when unknown. */
  take(key: string, value: Uint8Array, revision: number): KubeObject | undefined {
    const entry = this.byKey.get(key);
    if (!entry || entry.value.length !== value.length || Buffer.compare(entry.value, value) !== 0) return undefined;
    const base = entry.taken ? (jsonCopy(entry.object) as KubeObject) : entry.object;
    entry.taken = true;
    return { ...base, metadata: { ...base.metadata, resourceVersion: String(revision) } };
  }
}
