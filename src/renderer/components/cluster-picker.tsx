import { observer } from 'mobx-react-lite';
import type { ClusterInfo } from '../../shared/rpc/contract.js';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';
import { sandboxWords } from '../sandbox/sandbox-words.js';

/** The core's usual connection failures in the UI's language; anything else as the core said it. */
function connectionWords(reason: string): string {
  const { t } = i18n;
  const unreachable = /^cannot reach (\S+): (.*)$/s.exec(reason);
  if (unreachable) return t('clusters.reason.unreachable', { server: unreachable[1], detail: unreachable[2] });
  if (reason === 'the server refused the credentials (401 Unauthorized)') return t('clusters.reason.refused');
  if (reason === 'no answer within 10 s') return t('clusters.reason.timeout');
  return reason;
}

/** Why a cluster is not connected, in the UI's language where the words are the app's own (the sandbox's). */
export function clusterReason(c: ClusterInfo): { text: string; hint: boolean } | undefined {
  if (c.source === 'sandbox' && (c.state === 'stopped' || c.state === 'connecting')) return { text: sandboxWords(c.reason ?? 'the sandbox is starting', 'clusters.sandboxStopped') ?? '', hint: true };
  if (c.source === 'sandbox' && c.reason) return { text: sandboxWords(c.reason, 'clusters.sandboxStopped') ?? c.reason, hint: false };
  return c.reason && c.state !== 'connected' ? { text: connectionWords(c.reason), hint: c.state === 'connecting' } : undefined;
}

export const ClusterPicker = observer(function ClusterPicker({ store }: { store: AppStore }) {
  const { t } = i18n;
  return (
    <nav className="clusters" aria-label={t('clusters.title')}>
      <h2>{t('clusters.title')}</h2>
      {store.clusters.length === 0 && <p className="muted">{t('clusters.none')}</p>}
      <ul>
        {store.clusters.map((c) => {
          const reason = clusterReason(c);
          return (
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
                {reason && <span className={reason.hint ? 'cluster-reason hint' : 'cluster-reason'}>{reason.text}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
});
