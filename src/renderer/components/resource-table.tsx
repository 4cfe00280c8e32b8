import { observer } from 'mobx-react-lite';
import type { AppStore } from '../app-store.js';
import { countKey, i18n } from '../i18n.js';
import type { KindView } from '../kinds/kind-view.js';

export const ResourceTable = observer(function ResourceTable({ store, view }: { store: AppStore; view: KindView }) {
  const { t } = i18n;
  const collection = store.collection(view.kind);
  const rows = store.rows;
  const showNamespace = view.namespaced && !store.namespace;
  return (
    <section className="table-wrap">
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
          {rows.map((o) => (
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
        </tbody>
      </table>
      {!collection?.loaded && !collection?.error && <p className="muted empty">{t('table.loading')}</p>}
      {collection?.loaded && rows.length === 0 && <p className="muted empty">{t('table.empty')}</p>}
      {collection?.loaded && rows.length > 0 && <p className="muted count">{t(countKey(i18n.locale, rows.length), { count: rows.length })}</p>}
    </section>
  );
});
