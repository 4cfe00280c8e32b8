// One watched type of one cluster in the renderer: objects by uid in a plain Map (50,000 pods in a
// MobX map would cost memory and time for nothing), with one observable revision per applied
// batch so views re-render once per batch, and listeners that get each batch's changes.
import { action, makeObservable, observable } from 'mobx';
import { toDisposable, type Disposable } from '../../shared/disposable.js';
import type { KubeObject } from '../../shared/kube.js';
import type { WatchDelta } from '../../shared/rpc/contract.js';
import { sharedStrings as strings } from './intern.js';

export interface CollectionChange {
  reset: boolean;
  upserts: KubeObject[];
  deletes: string[];
}

export class Collection {
  readonly objects = new Map<string, KubeObject>();
  revision = 0;
  /** The whole first list has arrived. */
  loaded = false;
  error: string | undefined = undefined;
  forbidden = false;
  private readonly listeners = new Set<(change: CollectionChange) => void>();
  private listed = false;

  constructor(readonly id: string) {
    makeObservable(this, { revision: observable, loaded: observable, error: observable, forbidden: observable, apply: action, fail: action });
  }

  apply(delta: WatchDelta): void {
    if (delta.reset) {
      this.objects.clear();
      for (const o of delta.reset) if (o.metadata.uid) this.objects.set(o.metadata.uid, strings.intern(o));
    }
    for (const o of delta.upserts) if (o.metadata.uid) this.objects.set(o.metadata.uid, strings.intern(o));
    for (const uid of delta.deletes) this.objects.delete(uid);
    if ('error' in delta) {
      this.error = delta.error;
      this.forbidden = delta.forbidden === true;
    }
    if (delta.reset) this.listed = true;
    this.loaded = this.listed && !delta.listing;
    const change: CollectionChange = { reset: delta.reset !== undefined, upserts: delta.reset ? delta.reset.concat(delta.upserts) : delta.upserts, deletes: delta.deletes };
    for (const l of this.listeners) l(change);
    this.revision++;
  }

  fail(message: string): void {
    this.error = message;
  }

  onChange(listener: (change: CollectionChange) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }
}
