import { observer } from 'mobx-react-lite';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';

export const ClusterPicker = observer(function ClusterPicker({ store }: { store: AppStore }) {
  const { t } = i18n;
  return (
    <nav className="clusters" aria-label={t('clusters.title')}>
      <h2>{t('clusters.title')}</h2>
      {store.clusters.length === 0 && <p className="muted">{t('clusters.none')}</p>}
      <ul>
        {store.clusters.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={c.id === store.clusterId ? 'cluster active' : 'cluster'}
              onClick={() => void store.selectCluster(c.id)}
              title={[c.reason ?? c.server, c.file].filter(Boolean).join('\n')}
              data-cluster-id={c.id}
            >
              <span className={`dot state-${c.state}`} aria-hidden="true" />
              <span className="cluster-name">{c.name}</span>
              <span className="cluster-state">{t(`state.${c.state}`)}</span>
              {c.reason && c.state !== 'connected' && <span className="cluster-reason">{c.reason}</span>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
});
