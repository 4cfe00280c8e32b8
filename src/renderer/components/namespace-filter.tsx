// Several namespaces at once: a drop-down of checkboxes with a search box; none ticked means all.
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';

export const NamespaceFilter = observer(function NamespaceFilter({ store }: { store: AppStore }) {
  const { t } = i18n;
  const [search, setSearch] = useState('');
  const chosen = store.namespaces;
  const summary = chosen.length === 0 ? t('namespace.all') : chosen.length <= 2 ? chosen.join(', ') : t('namespace.some', { count: chosen.length });
  const names = store.namespaceNames.filter((n) => n.includes(search.trim()));
  return (
    <details className="ns-filter">
      <summary aria-label={t('namespace.label')} data-namespaces={chosen.join(',')}>
        {t('namespace.label')}: <strong>{summary}</strong>
      </summary>
      <div className="ns-menu" role="group" aria-label={t('namespace.label')}>
        <input type="search" placeholder={t('namespace.search')} aria-label={t('namespace.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        <label className="ns-option">
          <input type="checkbox" checked={chosen.length === 0} onChange={() => store.setNamespaces([])} />
          {t('namespace.all')}
        </label>
        {names.map((ns) => (
          <label key={ns} className="ns-option" data-namespace={ns}>
            <input type="checkbox" checked={chosen.includes(ns)} onChange={() => store.toggleNamespace(ns)} />
            {ns}
          </label>
        ))}
      </div>
    </details>
  );
});
