// The Sandbox page: start, stop, reset; snapshots by name; nodes added, stopped, restarted and
// removed (to watch pods move); the image catalog the sandbox can run.
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import { SNAPSHOT_NAME } from '../../shared/rpc/sandbox-contract.js';
import { i18n, type MessageKey } from '../i18n.js';
import type { SandboxStatus } from '../../shared/rpc/sandbox-contract.js';
import type { SandboxStore } from './sandbox-store.js';
import { sandboxWords } from './sandbox-words.js';

/** The controller's own words in the UI's language; nothing more while it runs or starts (the state says it). */
export function sandboxMessage(status: SandboxStatus): string | undefined {
  if (status.state === 'running' || status.message === 'the sandbox is starting') return undefined;
  return sandboxWords(status.message, 'sandbox.msg.stopped');
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const SandboxPage = observer(function SandboxPage({ store }: { store: SandboxStore }) {
  const { t } = i18n;
  const { status, busy } = store;
  const running = status.state === 'running';
  const [name, setName] = useState('');
  const [nodes, setNodes] = useState(1);
  const notice = store.notice?.split(':');
  return (
    <div className="sandbox-page">
      <h2>{t('sandbox.title')}</h2>
      <p className={status.state === 'failed' ? 'banner bad' : 'banner'} role="status" data-sandbox-state={status.state}>
        {t('sandbox.status', { state: t(`sandbox.state.${status.state}` as MessageKey) })} {sandboxMessage(status)}
      </p>
      {status.kubeconfigPath && running && <p className="muted mono">{t('sandbox.kubeconfig', { path: status.kubeconfigPath })}</p>}
      <div className="toolbar">
        <button type="button" disabled={!!busy || running || status.state === 'starting'} onClick={() => void store.start()}>
          {t('sandbox.start')}
        </button>
        <button type="button" disabled={!!busy || !running} onClick={() => void store.stop()}>
          {t('sandbox.stop')}
        </button>
        <button type="button" disabled={!!busy} onClick={() => window.confirm(t('sandbox.resetConfirm')) && void store.reset(nodes)} data-action="reset">
          {t('sandbox.reset')}
        </button>
        <label className="field">
          {t('sandbox.resetNodes')}
          <input type="number" min={1} max={20} value={nodes} onChange={(e) => setNodes(Math.max(1, Math.min(20, Math.round(Number(e.target.value)) || 1)))} aria-label={t('sandbox.resetNodes')} />
        </label>
        {busy && <span className="muted">{t('sandbox.busy')}</span>}
      </div>
      {store.error && <p className="banner bad" role="alert">{store.error}</p>}
      {notice && <p className="banner good" role="status">{t(notice[0] === 'saved' ? 'sandbox.snapshotSaved' : 'sandbox.snapshotRestored', { name: notice.slice(1).join(':') })}</p>}

      <h3>{t('sandbox.snapshots')}</h3>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void store.saveSnapshot(name.trim()).then((ok) => ok && setName(''));
        }}
      >
        <input aria-label={t('sandbox.snapshotName')} placeholder={t('sandbox.snapshotName')} value={name} onChange={(e) => setName(e.target.value)} pattern={SNAPSHOT_NAME.source} required />
        <button type="submit" disabled={!!busy || !SNAPSHOT_NAME.test(name.trim())}>
          {t('sandbox.snapshotSave')}
        </button>
      </form>
      {store.snapshots.length === 0 ? (
        <p className="muted">{t('sandbox.snapshotsNone')}</p>
      ) : (
        <table className="frame-table" data-table="snapshots">
          <thead>
            <tr>
              <th>{t('sandbox.col.name')}</th>
              <th>{t('sandbox.col.date')}</th>
              <th>{t('sandbox.col.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {store.snapshots.map((s) => (
              <tr key={s.name} data-snapshot={s.name}>
                <td>{s.name}</td>
                <td>{new Date(s.createdAt).toLocaleString(i18n.locale)}</td>
                <td>{size(s.sizeBytes)}</td>
                <td className="actions">
                  <button type="button" disabled={!!busy} onClick={() => window.confirm(t('sandbox.snapshotRestoreConfirm', { name: s.name })) && void store.restoreSnapshot(s.name)}>
                    {t('sandbox.snapshotRestore')}
                  </button>
                  <button type="button" disabled={!!busy} onClick={() => window.confirm(t('sandbox.snapshotDeleteConfirm', { name: s.name })) && void store.deleteSnapshot(s.name)}>
                    {t('sandbox.snapshotDelete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('sandbox.nodes')}</h3>
      {!running ? (
        <p className="muted">{t('sandbox.notRunning')}</p>
      ) : (
        <>
          <div className="toolbar">
            <button type="button" disabled={!!busy} onClick={() => void store.addNode()} data-action="add-node">
              {t('sandbox.nodeAdd')}
            </button>
            <span className="muted">{t('sandbox.nodeStopHint')}</span>
          </div>
          <table className="frame-table" data-table="nodes">
            <thead>
              <tr>
                <th>{t('sandbox.col.name')}</th>
                <th>{t('sandbox.col.role')}</th>
                <th>{t('sandbox.col.ready')}</th>
                <th>{t('sandbox.col.kubelet')}</th>
                <th>{t('sandbox.col.pods')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {store.nodes.map((n) => (
                <tr key={n.name} data-node={n.name}>
                  <td>{n.name}</td>
                  <td>{n.role}</td>
                  <td className={n.ready === 'True' ? 'ok' : 'bad'} data-ready={n.ready}>
                    {n.ready === 'True' ? 'Ready' : 'NotReady'}
                    {n.unschedulable && `, ${t('sandbox.cordoned')}`}
                  </td>
                  <td data-kubelet={n.kubeletRunning ? 'running' : 'stopped'}>{t(n.kubeletRunning ? 'sandbox.kubeletRunning' : 'sandbox.kubeletStopped')}</td>
                  <td>{n.pods}</td>
                  <td className="actions">
                    {n.kubeletRunning ? (
                      <button type="button" disabled={!!busy} onClick={() => void store.stopNode(n.name)}>
                        {t('sandbox.nodeStop')}
                      </button>
                    ) : (
                      <button type="button" disabled={!!busy} onClick={() => void store.startNode(n.name)}>
                        {t('sandbox.nodeStart')}
                      </button>
                    )}
                    {n.role === 'worker' && (
                      <button type="button" disabled={!!busy} onClick={() => window.confirm(t('sandbox.nodeRemoveConfirm', { name: n.name })) && void store.removeNode(n.name)}>
                        {t('sandbox.nodeRemove')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h3>{t('sandbox.images')}</h3>
      <p className="muted">{t('sandbox.imagesHint')}</p>
      <table className="frame-table" data-table="images">
        <thead>
          <tr>
            <th>{t('sandbox.col.image')}</th>
            <th>{t('sandbox.col.version')}</th>
            <th>{t('sandbox.col.os')}</th>
            <th>{t('sandbox.col.size')}</th>
            <th>{t('sandbox.col.ports')}</th>
          </tr>
        </thead>
        <tbody>
          {store.images.map((img) => (
            <tr key={img.repository} data-image={img.repository}>
              <td title={img.aliases.join(', ')}>{img.repository.replace(/^docker\.io\/(library\/)?/, '')}</td>
              <td>{img.latest}</td>
              <td>{img.os}</td>
              <td>{img.sizeMB} MB</td>
              <td>{img.ports.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
