// Objects a KvObjectStorage is writing, by key, so that the watch translating the write's event
// (storage-watch.ts) reuses the object instead of parsing the bytes it was just encoded to: on the
// embedded store the event is delivered before the write returns, and parsing a pod costs several
// times a copy. The bytes are compared before the object is used, so a hint that is not exactly
// what was stored (a concurrent write to the same key) is ignored and the event decoded as before.
import type { KubeObject } from '../../../shared/kube.js';
import { frozenJsonCopy, jsonCopy, metadataAt, withMetadata } from './object-codec.js';

interface Written {
  value: Uint8Array;
  /** The writer's object, unchanged until release: each watch gets a JSON-faithful copy of it. */
  object: KubeObject;
}

export class WrittenObjects {
  private readonly byKey = new Map<string, Written>();

  /**
   * Registers `object` as what `value` (its encoding) decodes to, until the returned release is
   * called; the writer must not change it before. Copies are made when a watch takes it, so a
   * write nobody watches (most Events) costs no copy.
   */
  hold(key: string, value: Uint8Array, object: KubeObject): () => void {
    const entry: Written = { value, object };
    this.byKey.set(key, entry);
    return () => {
      if (this.byKey.get(key) === entry) this.byKey.delete(key);
    };
  }

  /** The object stored as `value` at `key`, with `revision` as its resourceVersion; undefined when unknown. */
  take(key: string, value: Uint8Array, revision: number, frozen = false): KubeObject | undefined {
    const entry = this.byKey.get(key);
    if (!entry || entry.value.length !== value.length || Buffer.compare(entry.value, value) !== 0) return undefined;
    // Frozen as made for a watch that freezes it anyway (the watch cache): one walk instead of two.
    if (!frozen) {
      const copy = jsonCopy(entry.object) as KubeObject;
      copy.metadata = metadataAt(copy.metadata, revision);
      return copy;
    }
    const base = frozenJsonCopy(entry.object) as KubeObject;
    return withMetadata(base, metadataAt(base.metadata, revision));
  }
}
