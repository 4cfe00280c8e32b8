// The rows of one table: cells and sort keys computed once per object change (not per render),
// filtered and sorted into `visible`. A batch of a few changes is applied by binary search into
// the sorted list, so 50,000 rows under churn are not re-sorted ten times a second.
import { action, makeObservable, observable, reaction, type IReactionDisposer } from 'mobx';
import type { Disposable } from '../../shared/disposable.js';
import type { KubeObject } from '../../shared/kube.js';
import type { Collection, CollectionChange } from './collection.js';
import type { KindView, SortKey } from './kind-view.js';
import { matches, type Selector } from './label-selector.js';

export interface Row {
  uid: string;
  obj: KubeObject;
  namespace: string;
  /** Static cells; a live column's cell is computed when drawn. */
  cells: string[];
  /** keys[0]: namespace/name (the default order); keys[i + 1]: column i. */
  keys: SortKey[];
  search: string;
}

export interface TableQuery {
  /** Empty: every namespace. */
  namespaces: readonly string[];
  text: string;
  selector: Selector;
  /** -1: namespace then name. */
  column: number;
  desc: boolean;
  /** Events only: keep type Warning. */
  warningsOnly?: boolean;
}

/** Beyond this many changes in one batch, rebuilding is cheaper than inserting one by one. */
const INCREMENTAL_LIMIT = 2000;

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class TableModel implements Disposable {
  readonly rows = new Map<string, Row>();
  visible: Row[] = [];
  /** Bumped when `visible` changed: what the table observes. */
  revision = 0;
  private query: TableQuery;
  private namespaceSet: Set<string> | undefined;
  private readonly subscription: Disposable;
  private readonly stopReaction: IReactionDisposer;

  constructor(
    readonly view: KindView,
    readonly collection: Collection,
    query: () => TableQuery,
  ) {
    makeObservable<TableModel, 'bump'>(this, { revision: observable, bump: action });
    this.query = query();
    this.setNamespaces();
    for (const obj of collection.objects.values()) this.addRow(obj);
    this.rebuild();
    this.subscription = collection.onChange((change) => this.applyChange(change));
    this.stopReaction = reaction(query, (q) => {
      this.query = q;
      this.setNamespaces();
      this.rebuild();
      this.bump();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.stopReaction();
  }

  /** A sort order over rows: the chosen column, then namespace/name, then uid so it is total. */
  compare = (a: Row, b: Row): number => {
    const { column, desc } = this.query;
    let c = column >= 0 ? compareKeys(a.keys[column + 1], b.keys[column + 1]) : 0;
    if (c === 0) c = compareKeys(a.keys[0], b.keys[0]);
    if (c === 0) c = a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
    return desc ? -c : c;
  };

  private setNamespaces(): void {
    this.namespaceSet = this.query.namespaces.length ? new Set(this.query.namespaces) : undefined;
  }

  private accepts(row: Row): boolean {
    if (this.namespaceSet && this.view.namespaced && !this.namespaceSet.has(row.namespace)) return false;
    const { text, selector } = this.query;
    if (text && !row.search.includes(text)) return false;
    if (selector.length && !matches(selector, row.obj.metadata.labels)) return false;
    if (this.query.warningsOnly && row.obj.type !== 'Warning') return false;
    return true;
  }

  private makeRow(obj: KubeObject): Row {
    const namespace = obj.metadata.namespace ?? '';
    const cells: string[] = [];
    const keys: SortKey[] = [`${namespace}\u0000${obj.metadata.name ?? ''}`];
    for (const c of this.view.columns) {
      const cell = c.live ? '' : c.value(obj, 0);
      cells.push(cell);
      keys.push(c.sortKey ? c.sortKey(obj) : cell);
    }
    return { uid: obj.metadata.uid ?? '', obj, namespace, cells, keys, search: `${namespace} ${cells.join(' ')}`.toLowerCase() };
  }

  private addRow(obj: KubeObject): Row | undefined {
    if (!obj.metadata.uid) return undefined;
    const row = this.makeRow(obj);
    this.rows.set(row.uid, row);
    return row;
  }

  private rebuild(): void {
    const out: Row[] = [];
    for (const row of this.rows.values()) if (this.accepts(row)) out.push(row);
    out.sort(this.compare);
    this.visible = out;
  }

  /** Where `row` is, or would go, in `visible`. */
  private position(row: Row): number {
    let lo = 0;
    let hi = this.visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.visible[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private removeVisible(row: Row): void {
    const at = this.position(row);
    if (this.visible[at] === row) this.visible.splice(at, 1);
  }

  private applyChange(change: CollectionChange): void {
    if (change.reset) {
      this.rows.clear();
      for (const obj of this.collection.objects.values()) this.addRow(obj);
      this.rebuild();
    } else if (change.upserts.length + change.deletes.length > INCREMENTAL_LIMIT) {
      for (const uid of change.deletes) this.rows.delete(uid);
      for (const obj of change.upserts) this.addRow(obj);
      this.rebuild();
    } else {
      // A copy: the array the table drew from must not change under it.
      this.visible = this.visible.slice();
      for (const uid of change.deletes) {
        const old = this.rows.get(uid);
        if (!old) continue;
        this.rows.delete(uid);
        this.removeVisible(old);
      }
      for (const obj of change.upserts) {
        const old = obj.metadata.uid ? this.rows.get(obj.metadata.uid) : undefined;
        if (old) this.removeVisible(old);
        const row = this.addRow(obj);
        if (row && this.accepts(row)) this.visible.splice(this.position(row), 0, row);
      }
    }
    this.bump();
  }

  private bump(): void {
    this.revision++;
  }
}
