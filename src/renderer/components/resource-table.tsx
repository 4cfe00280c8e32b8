import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState } from 'react';
import type { AppStore } from '../app-store.js';
import { countKey, i18n } from '../i18n.js';
import type { KindView } from '../kinds/kind-view.js';

/** Rows have one fixed height (see styles.css) so only those in view are rendered. */
export const ROW_HEIGHT = 33;
const OVERSCAN = 15;

export const ResourceTable = observer(function ResourceTable({ store, view }: { store: AppStore; view: KindView }) {
  const { t } = i18n;
  const collection = store.collection(view.kind);
  const rows = store.rows;
  const showNamespace = view.namespaced && !store.namespace;
  const scroller = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Thousands of rows: render the window in view plus a margin, spacers stand for the rest.
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const columns = view.columns.length + (showNamespace ? 1 : 0);

  return (
    <section className="table-wrap" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {collection?.error && <p className="banner warn" role="status">{t('watch.error', { error: collection.error })}</p>}
      <table className="resources" data-kind={view.kind}>
        <thead>
          <tr>
            {showNamespace && <th>NAMESPACE</th>}
            {view.columns.map((c) => (
              <th key={c.header}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={columns} style={{ height: first * ROW_HEIGHT }} />
            </tr>
          )}
          {visible.map((o) => (
            <tr
              key={o.metadata.uid}
              className={o.metadata.uid === store.selectedUid ? 'selected' : undefined}
              onClick={() => store.select(o.metadata.uid)}
              data-name={o.metadata.name}
            >
              {showNamespace && <td className="muted">{o.metadata.namespace}</td>}
              {view.columns.map((c) => {
                const value = c.value(o, store.now);
                return (
                  <td key={c.header} className={c.tone?.(value)}>
                    {value}
                  </td>
                );
              })}
            </tr>
          ))}
          {last < rows.length && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={columns} style={{ height: (rows.length - last) * ROW_HEIGHT }} />
            </tr>
          )}
        </tbody>
      </table>
      {!collection?.loaded && !collection?.error && <p className="muted empty">{t('table.loading')}</p>}
      {collection?.loaded && rows.length === 0 && <p className="muted empty">{t('table.empty')}</p>}
      {collection?.loaded && rows.length > 0 && <p className="muted count">{t(countKey(i18n.locale, rows.length), { count: rows.length })}</p>}
    </section>
  );
});
