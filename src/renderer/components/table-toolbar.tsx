// Above a table: its title, the namespace, text and label filters, and the bulk actions on the
// ticked rows.
import { observer } from 'mobx-react-lite';
import { useState, type ReactNode } from 'react';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';
import type { KindView } from '../kinds/kind-view.js';
import { BulkDeleteDialog } from './bulk-delete-dialog.js';
import { NamespaceFilter } from './namespace-filter.js';
import type { KubeObject } from '../../shared/kube.js';

export function viewTitle(view: KindView): string {
  return typeof view.title === 'string' ? i18n.t(view.title) : view.title.text;
}

export const TableToolbar = observer(function TableToolbar({ store, view, children }: { store: AppStore; view: KindView; children?: ReactNode }) {
  const { t } = i18n;
  const [deleting, setDeleting] = useState<KubeObject[] | undefined>();
  const selectorError = store.labelSelector.error;
  // Ticked rows that still exist: one deleted meanwhile no longer counts.
  const checked = store.checkedObjects.length;
  return (
    <div className="toolbar">
      <h2>{viewTitle(view)}</h2>
      {view.namespaced && <NamespaceFilter store={store} />}
      <input className="filter" type="search" placeholder={t('filter.text')} aria-label={t('filter.text')} value={store.textFilter} onChange={(e) => store.setTextFilter(e.target.value)} />
      <input
        className={selectorError ? 'filter invalid' : 'filter'}
        type="search"
        placeholder={t('filter.labels')}
        aria-label={t('filter.labels')}
        aria-invalid={selectorError ? true : undefined}
        title={selectorError}
        value={store.labelFilter}
        onChange={(e) => store.setLabelFilter(e.target.value)}
      />
      {view.name === 'events' && (
        <label className="toggle">
          <input type="checkbox" checked={store.warningsOnly} onChange={(e) => store.setWarningsOnly(e.target.checked)} />
          {t('events.warningsOnly')}
        </label>
      )}
      {checked > 0 && (
        <button type="button" className="danger-button" data-action="bulk-delete" onClick={() => setDeleting(store.checkedObjects)}>
          {t('bulk.delete', { count: checked })}
        </button>
      )}
      {children}
      {selectorError && <p className="filter-error" role="alert">{selectorError}</p>}
      {deleting && <BulkDeleteDialog store={store} objects={deleting} onClose={() => setDeleting(undefined)} />}
    </div>
  );
});
