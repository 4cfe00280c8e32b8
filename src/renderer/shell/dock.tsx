// The dock at the bottom of the window: terminal tabs, the logs view, and the port-forwards list.
import { observer } from 'mobx-react-lite';
import { LogsView } from './logs-view.js';
import type { ShellStore } from './shell-store.js';
import { TerminalView } from './terminal-view.js';

const TAB_ICONS = { local: '$ ', pod: '⬡ ', attach: '⇄ ', node: '▣ ' } as const;

export const Dock = observer(function Dock({ shell, clusterId, namespace }: { shell: ShellStore; clusterId: string | undefined; namespace: string }) {
  return (
    <section className={shell.dockOpen ? 'dock open' : 'dock'} aria-label="Terminal dock">
      <div className="dock-tabs" role="tablist">
        <button type="button" onClick={() => shell.toggleDock()} aria-label="Toggle dock">
          {shell.dockOpen ? '▾' : '▴'}
        </button>
        {shell.terminals.map((t) => (
          <span key={t.id} className={t.id === shell.activeTerminal && !shell.logs ? 'dock-tab active' : 'dock-tab'} data-tab={t.title}>
            <button type="button" role="tab" onClick={() => shell.selectTerminal(t.id)}>
              {TAB_ICONS[t.kind]}
              {t.title}
              {t.exitCode !== undefined && <span className="exit-status" data-exit={t.exitCode}> (exit {t.exitCode})</span>}
            </button>
            <button type="button" className="close" aria-label={`Close ${t.title}`} onClick={() => void shell.closeTerminal(t.id)}>
              ×
            </button>
          </span>
        ))}
        {shell.logs && (
          <span className="dock-tab active">
            <button type="button" role="tab">
              ≡ {shell.logs.title}
            </button>
            <button type="button" className="close" aria-label="Close logs" onClick={() => void shell.closeLogs()}>
              ×
            </button>
          </span>
        )}
        <button type="button" className="new-terminal" onClick={() => void shell.openTerminal(clusterId, namespace)} data-action="new-terminal">
          + Terminal
        </button>
        {shell.forwards.map((f) => (
          <span key={f.id} className="forward" data-forward={f.name}>
            <a href={f.url} target="_blank" rel="noreferrer">
              {f.name}:{f.remotePort} → {f.localPort}
            </a>
            <button type="button" className="close" aria-label={`Stop forward ${f.name}`} onClick={() => void shell.stopForward(f.id)}>
              ×
            </button>
          </span>
        ))}
        {shell.pending && <span className="muted dock-pending">{shell.pending}</span>}
        {shell.error && <span className="dock-error" role="alert">{shell.error}</span>}
      </div>
      {shell.dockOpen && (
        <div className="dock-body">
          {shell.terminals.map((t) => (
            <TerminalView key={t.id} store={shell} id={t.id} visible={!shell.logs && t.id === shell.activeTerminal} />
          ))}
          {shell.logs && <LogsView key={shell.logs.streamId} logs={shell.logs} onReopen={(changes) => void shell.reopenLogs(changes)} />}
        </div>
      )}
    </section>
  );
});
