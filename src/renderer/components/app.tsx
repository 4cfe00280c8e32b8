import { observer } from 'mobx-react-lite';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';
import { LanguageSelect } from './language-select.js';
import { clusterReason, ClusterPicker } from './cluster-picker.js';
import { ResourceTable } from './resource-table.js';
import { YamlView } from './yaml-view.js';
import { RegistryView } from '../registry/registry-view.js';
import { SidebarNav } from './sidebar-nav.js';
import { TableToolbar } from './table-toolbar.js';
import { Overview } from './overview.js';
import type { ShellStore } from '../shell/shell-store.js';
import { Dock } from '../shell/dock.js';
import { PodActions } from '../shell/pod-actions.js';
import { FrameBar, FramePage } from '../palette/frame-bar.js';
import { Palette } from '../palette/palette.js';
import { CreateButton } from '../object/create-button.js';

export const App = observer(function App({ store, shell }: { store: AppStore; shell: ShellStore }) {
  const { t } = i18n;
  const view = store.currentView;
  const cluster = store.cluster;
  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <span className="current-cluster">{cluster?.name}</span>
        <FrameBar />
        <label className="lang">
          {t('language.label')}
          <LanguageSelect onChange={(locale) => i18n.setLocale(locale)} />
        </label>
      </header>
      {store.connectionLost && <p className="banner bad" role="alert">{t('conn.lost', { reason: store.connectionLost })}</p>}
      <div className="body">
        <aside className="sidebar">
          <ClusterPicker store={store} />
          {cluster?.source === 'sandbox' && (
            <nav className="kinds tools">
              <button type="button" className={store.view === 'registry' ? 'kind active' : 'kind'} onClick={() => store.showRegistry()} data-view="registry">
                {t('nav.registry')}
              </button>
            </nav>
          )}
          <SidebarNav store={store} />
        </aside>
        <main className="content">
          <FramePage />
          {!cluster && <p className="muted">{t('cluster.pick')}</p>}
          {cluster && cluster.state !== 'connected' && (
            <p className={cluster.state === 'connecting' || cluster.state === 'stopped' ? 'banner' : 'banner bad'} role="status">
              {t('cluster.notConnected', { name: cluster.name, state: t(`state.${cluster.state}`) })} {clusterReason(cluster)?.text}{' '}
              {cluster.state === 'stopped' && (
                <button type="button" className="primary" data-action="start-sandbox" onClick={() => void store.selectCluster(cluster.id)}>
                  {t('cluster.startSandbox')}
                </button>
              )}
            </p>
          )}
          {cluster?.state === 'connected' && store.view === 'registry' && (
            <RegistryView
              store={store.registry}
              onOpenObject={(key, uid) => {
                const [, , resource, namespace] = key.split('/');
                if (store.views.some((v) => v.name === resource)) store.openObject(resource, resource === 'namespaces' ? '' : namespace, uid);
              }}
            />
          )}
          {cluster?.state === 'connected' && store.view === 'overview' && <Overview store={store} />}
          {cluster?.state === 'connected' && store.view === 'resources' && (
            <>
              <TableToolbar store={store} view={view}>
                {store.selected && cluster && <PodActions shell={shell} clusterId={cluster.id} kind={store.kind} object={store.selected} />}
                <CreateButton store={store} />
              </TableToolbar>
              <div className="split">
                <ResourceTable store={store} view={view} />
                <YamlView store={store} />
              </div>
            </>
          )}
        </main>
      </div>
      <Dock shell={shell} clusterId={cluster?.state === 'connected' ? cluster.id : undefined} namespace={store.namespace} />
      <Palette />
    </div>
  );
});
