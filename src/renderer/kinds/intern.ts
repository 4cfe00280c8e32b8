// 50,000 pods parsed from JSON hold the same strings 50,000 times over: image names, the service
// account mount path, default tolerations, QoS classes, condition types, the timestamps of pods
// created in the same second... JSON.parse makes a new copy of each (it shares only property
// names). Replacing each by one shared instance as objects arrive keeps one copy of each.

/** Values that differ for every object: pooling them would only grow the pool. */
const UNIQUE_KEYS = new Set(['uid', 'resourceVersion', 'name', 'generateName', 'podIP', 'ip']);
/** Longer strings are rarely shared (messages, certificates, annotations holding JSON). */
const MAX_LENGTH = 96;
/** The pool starts again past this size, so that churn (new names, new times) cannot grow it forever. */
const MAX_POOL = 50_000;

export class StringPool {
  private pool = new Map<string, string>();

  /** Replaces `value`'s shareable strings, in place, by pooled instances; answers `value`. */
  intern<T>(value: T): T {
    this.walk(value as unknown, 0);
    return value;
  }

  /** The pooled instance of `s` (for strings computed per object, such as table cells). */
  share(s: string): string {
    return s.length <= MAX_LENGTH ? this.shared(s) : s;
  }

  get size(): number {
    return this.pool.size;
  }

  private shared(s: string): string {
    const known = this.pool.get(s);
    if (known !== undefined) return known;
    if (this.pool.size >= MAX_POOL) this.pool = new Map();
    this.pool.set(s, s);
    return s;
  }

  private walk(value: unknown, depth: number): void {
    if (typeof value !== 'object' || value === null || depth > 32) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') {
          if (v.length <= MAX_LENGTH) value[i] = this.shared(v);
        } else if (typeof v === 'object' && v !== null) this.walk(v, depth + 1);
      }
      return;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      if (typeof v === 'string') {
        if (v.length <= MAX_LENGTH && !UNIQUE_KEYS.has(key)) record[key] = this.shared(v);
      } else if (typeof v === 'object' && v !== null) this.walk(v, depth + 1);
    }
  }
}

/** One pool for the whole renderer: kinds and tables share strings too (namespaces, label values, times). */
export const sharedStrings = new StringPool();
