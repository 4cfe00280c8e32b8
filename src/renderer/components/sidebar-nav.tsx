// The sidebar's kinds: overview and events first, then built-in kinds by category, then every
// custom resource the cluster's discovery lists, grouped by API group.
import { observer } from 'mobx-react-lite';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';
import { CATEGORIES } from '../kinds/index.js';
import { watchId, type KindView } from '../kinds/kind-view.js';
import { viewTitle } from './table-toolbar.js';

const KindButton = observer(function KindButton({ store, view }: { store: AppStore; view: KindView }) {
  const collection = store.collection(watchId(view));
  void collection?.revision;
  const active = view.name === store.kind && store.view === 'resources';
  const access = store.access[watchId(view)];
  const denied = access?.allowed === false || collection?.forbidden === true;
  return (
    <button
      type="button"
      className={`kind${active ? ' active' : ''}${denied ? ' denied' : ''}`}
      onClick={() => store.setKind(view.name)}
      data-kind={view.name}
      data-access={denied ? 'denied' : access?.scope}
      title={denied ? i18n.t('access.denied', { reason: access?.reason ?? collection?.error ?? '' }) : access?.scope === 'namespace' ? i18n.t('access.namespace') : undefined}
    >
      {viewTitle(view)}
      <span className="badge">{denied ? '⊘' : collection?.loaded ? collection.objects.size : ''}</span>
    </button>
  );
});

export const SidebarNav = observer(function SidebarNav({ store }: { store: AppStore }) {
  const { t } = i18n;
  const views = store.views;
  const events = views.find((v) => v.name === 'events');
  const custom = views.filter((v) => v.category === 'custom' && v.name !== 'customresourcedefinitions');
  const groups = [...new Set(custom.map((v) => v.group))];
  return (
    <nav className="kinds" aria-label={t('nav.kinds')}>
      <button type="button" className={store.view === 'overview' ? 'kind active' : 'kind'} onClick={() => store.showOverview()} data-view="overview">
        {t('nav.overview')}
      </button>
      {events && <KindButton store={store} view={events} />}
      {CATEGORIES.map((category) => {
        const inCategory = views.filter((v) => v.category === category && v !== events && !custom.includes(v));
        if (inCategory.length === 0) return null;
        return (
          <div key={category} className="kind-group" data-category={category}>
            <h2>{t(`category.${category}`)}</h2>
            {inCategory.map((v) => (
              <KindButton key={v.name} store={store} view={v} />
            ))}
          </div>
        );
      })}
      {groups.map((group) => (
        <div key={group} className="kind-group" data-group={group}>
          <h2>{group}</h2>
          {custom
            .filter((v) => v.group === group)
            .map((v) => (
              <KindButton key={v.name} store={store} view={v} />
            ))}
        </div>
      ))}
    </nav>
  );
});
