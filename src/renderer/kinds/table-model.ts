// The rows of one table: cells and sort keys computed once per object change (not per render),
// filtered and sorted into `visible`. A batch of a few changes is applied by binary search into
// the sorted list, so 50,000 rows under churn are not re-sorted ten times a second.
import { action, makeObservable, observable, reaction, type IReactionDisposer } from 'mobx';
import type { Disposable } from '../../shared/disposable.js';
import type { KubeObject } from '../../shared/kube.js';
import type { Collection, CollectionChange } from './collection.js';
import type { KindView, SortKey } from './kind-view.js';
import { matches, type Selector } from './label-selector.js';
import { sharedStrings } from './intern.js';

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

/**
 * Beyond this many changes in one batch, sorting the batch and merging it into the sorted rows
 * (one pass over them) is cheaper than inserting one by one (each insert moves the rows after it).
 */
const INCREMENTAL_LIMIT = 64;

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Two sorted arrays as one sorted array. */
function merge(a: Row[], b: Row[], compare: (x: Row, y: Row) => number): Row[] {
  if (b.length === 0) return a.slice();
  const out: Row[] = new Array<Row>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
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
      // Cells repeat from row to row (statuses, counts, nodes): one instance of each.
      const cell = c.live ? '' : sharedStrings.share(c.value(obj, 0));
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
      // A streamed list sends 50,000 rows in a few dozen batches: merging each keeps the whole
      // load linear in the rows shown, where re-sorting them all at each batch was not.
      const gone = new Set<Row>();
      for (const uid of change.deletes) {
        const old = this.rows.get(uid);
        if (old) gone.add(old);
        this.rows.delete(uid);
      }
      const added: Row[] = [];
      for (const obj of change.upserts) {
        const old = obj.metadata.uid ? this.rows.get(obj.metadata.uid) : undefined;
        if (old) gone.add(old);
        const row = this.addRow(obj);
        if (row && this.accepts(row)) added.push(row);
      }
      const fresh = added.filter((r) => !gone.has(r)).sort(this.compare);
      this.visible = merge(gone.size > 0 ? this.visible.filter((r) => !gone.has(r)) : this.visible, fresh, this.compare);
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
