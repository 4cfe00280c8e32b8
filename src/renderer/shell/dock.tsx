// The dock at the bottom of the window: terminal tabs, the logs view, and the port-forwards list.
import { observer } from 'mobx-react-lite';
import { LogsView } from './logs-view.js';
import type { ShellStore } from './shell-store.js';
import { TerminalView } from './terminal-view.js';
import { i18n } from '../i18n.js';

const TAB_ICONS = { local: '$ ', pod: '⬡ ', attach: '⇄ ', node: '▣ ' } as const;

export const Dock = observer(function Dock({ shell, clusterId, namespace }: { shell: ShellStore; clusterId: string | undefined; namespace: string }) {
  const { t } = i18n;
  return (
    <section className={shell.dockOpen ? 'dock open' : 'dock'} aria-label={t('dock.label')}>
      <div className="dock-tabs" role="tablist">
        <button type="button" onClick={() => shell.toggleDock()} aria-label={t('dock.toggle')}>
          {shell.dockOpen ? '▾' : '▴'}
        </button>
        {shell.terminals.map((tab) => (
          <span key={tab.id} className={tab.id === shell.activeTerminal && !shell.logs ? 'dock-tab active' : 'dock-tab'} data-tab={tab.title}>
            <button type="button" role="tab" onClick={() => shell.selectTerminal(tab.id)}>
              {TAB_ICONS[tab.kind]}
              {tab.title}
              {tab.exitCode !== undefined && <span className="exit-status" data-exit={tab.exitCode}> {t('dock.exit', { code: tab.exitCode })}</span>}
            </button>
            <button type="button" className="close" aria-label={t('dock.close', { title: tab.title })} onClick={() => void shell.closeTerminal(tab.id)}>
              ×
            </button>
          </span>
        ))}
        {shell.logs && (
          <span className="dock-tab active">
            <button type="button" role="tab">
              ≡ {shell.logs.title}
            </button>
            <button type="button" className="close" aria-label={t('dock.closeLogs')} onClick={() => void shell.closeLogs()}>
              ×
            </button>
          </span>
        )}
        <button type="button" className="new-terminal" onClick={() => void shell.openTerminal(clusterId, namespace)} data-action="new-terminal">
          {t('dock.newTerminal')}
        </button>
        {shell.forwards.map((f) => (
          <span key={f.id} className="forward" data-forward={f.name}>
            <a href={f.url} target="_blank" rel="noreferrer">
              {f.name}:{f.remotePort} → {f.localPort}
            </a>
            <button type="button" className="close" aria-label={t('dock.stopForward', { name: f.name })} onClick={() => void shell.stopForward(f.id)}>
              ×
            </button>
          </span>
        ))}
        {shell.pending && <span className="muted dock-pending">{shell.pending}</span>}
        {shell.error && <span className="dock-error" role="alert">{shell.error}</span>}
      </div>
      {shell.dockOpen && (
        <div className="dock-body">
          {shell.terminals.map((tab) => (
            <TerminalView key={tab.id} store={shell} id={tab.id} visible={!shell.logs && tab.id === shell.activeTerminal} />
          ))}
          {shell.logs && <LogsView key={shell.logs.streamId} logs={shell.logs} onReopen={(changes) => void shell.reopenLogs(changes)} />}
        </div>
      )}
    </section>
  );
});
