// Why this exists: quota admission computes usage from storage, but an object it admits is stored
// only after the whole admission chain returns. Two concurrent creates (a ReplicaSet burst) would
// both see the same usage and both pass. kube-apiserver avoids this by charging quota.status.used
// during admission; here each admitted create is remembered until it shows up in a listing (or a
// short time passes, for creates that failed later), and checks in a namespace run one at a time.
import type { KubeObject } from '../../../../shared/kube.js';

interface Reservation {
  key: string;
  /**
   * The admitted object itself, not a copy: a store that generates names after admission fills
   * in metadata.name on this same object, which is how the reservation finds it stored later.
   */
  object: KubeObject;
  expires: number;
}

export class QuotaReservations {
  private readonly byNamespace = new Map<string, Reservation[]>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** Run `fn` after every earlier check in the namespace has finished. */
  async exclusive<T>(namespace: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(namespace) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(namespace, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(namespace) === tail) this.locks.delete(namespace);
    }
  }

  add(namespace: string, group: string, resource: string, object: KubeObject): void {
    const key = `${group}/${resource}`;
    const name = object.metadata.name;
    const list = this.live(namespace).filter((r) => r.object !== object && !(name && r.key === key && r.object.metadata.name === name));
    list.push({ key, object, expires: this.now() + this.ttlMs });
    this.byNamespace.set(namespace, list);
  }

  /**
   * Admitted objects of a resource not yet in `listed` (names from storage). Those that are listed
   * now count through storage, so their reservation is dropped.
   */
  pending(namespace: string, group: string, resource: string, listed: Set<string>): KubeObject[] {
    const key = `${group}/${resource}`;
    const keep = this.live(namespace).filter((r) => r.key !== key || !listed.has(r.object.metadata.name ?? ''));
    if (keep.length > 0) this.byNamespace.set(namespace, keep);
    else this.byNamespace.delete(namespace);
    return keep.filter((r) => r.key === key).map((r) => r.object);
  }

  private live(namespace: string): Reservation[] {
    const now = this.now();
    return (this.byNamespace.get(namespace) ?? []).filter((r) => r.expires > now);
  }
}
