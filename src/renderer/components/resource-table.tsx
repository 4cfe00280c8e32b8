// A live table of one kind, virtualized: only the rows in view (plus a margin) are in the DOM, so
// 50,000 pods scroll as smoothly as 50. Rows, cells and sort keys come from a TableModel that keeps
// them up to date per change; live cells (ages) are computed for the rows drawn only.
import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState } from 'react';
import type { AppStore } from '../app-store.js';
import { countKey, i18n } from '../i18n.js';
import type { KindView } from '../kinds/kind-view.js';
import { TableModel, type Row } from '../kinds/table-model.js';

/** Rows have one fixed height (see styles.css) so only those in view are rendered. */
export const ROW_HEIGHT = 33;
const OVERSCAN = 15;

const RowView = observer(function RowView({ store, view, row, showNamespace }: { store: AppStore; view: KindView; row: Row; showNamespace: boolean }) {
  const live = view.columns.some((c) => c.live);
  const now = live ? store.now : 0;
  const checked = store.checked.has(row.uid);
  return (
    <tr className={row.uid === store.selectedUid ? 'selected' : undefined} onClick={() => store.select(row.uid)} data-name={row.obj.metadata.name} data-uid={row.uid}>
      <td className="check" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" checked={checked} onChange={() => store.toggleChecked(row.uid)} aria-label={i18n.t('table.selectRow', { name: row.obj.metadata.name ?? '' })} />
      </td>
      {showNamespace && <td className="muted">{row.namespace}</td>}
      {view.columns.map((c, i) => {
        const value = c.live ? c.value(row.obj, now) : row.cells[i];
        return (
          <td key={c.header} className={c.tone?.(value)} title={value.length > 40 ? value : undefined}>
            {value}
          </td>
        );
      })}
    </tr>
  );
});

export const ResourceTable = observer(function ResourceTable({ store, view }: { store: AppStore; view: KindView }) {
  const { t } = i18n;
  const collection = store.currentCollection;
  const [model, setModel] = useState<TableModel | undefined>();
  const scroller = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useEffect(() => {
    if (!collection) return;
    const m = new TableModel(view, collection, () => store.query);
    setModel(m);
    return () => m.dispose();
  }, [view, collection, store]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const current = model && model.view === view && model.collection === collection ? model : undefined;
  void current?.revision;
  const rows = current?.visible ?? [];
  const showNamespace = view.namespaced && store.namespaces.length !== 1;
  const sort = store.sortOf(view);
  // Thousands of rows: render the window in view plus a margin, spacers stand for the rest.
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const columns = view.columns.length + (showNamespace ? 2 : 1);
  // Sizes only: asking the observable set about 50,000 uids would make MobX track each of them.
  const allChecked = rows.length > 0 && store.checked.size === rows.length;
  const ariaSort = (column: number) => (sort.column === column ? (sort.desc ? 'descending' : 'ascending') : undefined);
  const header = (label: string, column: number) => (
    <th key={label} aria-sort={ariaSort(column)} onClick={() => store.sortBy(column)} className="sortable" data-column={label}>
      {label}
    </th>
  );

  return (
    <section className="table-wrap" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {collection?.error && (
        <p className={collection.forbidden ? 'banner bad' : 'banner warn'} role="status" data-forbidden={collection.forbidden || undefined}>
          {collection.forbidden ? t('watch.forbidden', { error: collection.error }) : t('watch.error', { error: collection.error })}
        </p>
      )}
      <table className="resources" data-kind={view.name}>
        <thead>
          <tr>
            <th className="check">
              <input type="checkbox" checked={allChecked} onChange={() => store.setChecked(allChecked ? [] : rows.map((r) => r.uid))} aria-label={t('table.selectAll')} />
            </th>
            {showNamespace && header('NAMESPACE', -1)}
            {view.columns.map((c, i) => header(c.header, i))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={columns} style={{ height: first * ROW_HEIGHT }} />
            </tr>
          )}
          {visible.map((row) => (
            <RowView key={row.uid} store={store} view={view} row={row} showNamespace={showNamespace} />
          ))}
          {last < rows.length && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={columns} style={{ height: (rows.length - last) * ROW_HEIGHT }} />
            </tr>
          )}
        </tbody>
      </table>
      {!collection?.loaded && !collection?.error && <p className="muted empty">{rows.length ? t('table.listing', { count: rows.length }) : t('table.loading')}</p>}
      {collection?.loaded && rows.length === 0 && <p className="muted empty">{t('table.empty')}</p>}
      {collection?.loaded && rows.length > 0 && (
        <p className="muted count" data-count={rows.length}>
          {t(countKey(i18n.locale, rows.length), { count: rows.length })}
        </p>
      )}
    </section>
  );
});
