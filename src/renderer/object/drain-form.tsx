// Drain, as kubectl drain --ignore-daemonsets does it: the options kubectl asks for (emptyDir data,
// pods without a controller) chosen up front, kubectl's lines shown live while it evicts and waits,
// then what moved, what stayed and what blocked it.
import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState } from 'react';
import type { DrainReport } from '../../shared/rpc/object-contract.js';
import { i18n } from '../i18n.js';
import { objectRpc } from './object-rpc.js';

function summary(node: string, r: DrainReport): string {
  const { t } = i18n;
  if (r.drained) return t('drain.done', { node, evicted: r.evicted.length, skipped: r.skipped.length });
  if (r.cordoned && r.evicted.length === 0 && r.terminating.length === 0 && r.blocked.some((b) => b.reason.includes('(use --'))) return t('drain.refused', { node });
  return t('drain.incomplete', { node, evicted: r.evicted.length, blocked: r.blocked.length, terminating: r.terminating.length });
}

/** Why a pod stays, in the UI's language for the app's own reasons. */
function skipped(reason: string): string {
  if (reason.startsWith('DaemonSet pod')) return i18n.t('drain.skip.daemonSet');
  if (reason.startsWith('mirror pod')) return i18n.t('drain.skip.mirror');
  return reason;
}

/** What blocked a pod: kubectl's words in English, the same said in French. */
function blocked(reason: string): string {
  if (reason.includes('(use --delete-emptydir-data to override)')) return i18n.t('drain.block.emptyDir');
  if (reason.includes('(use --force to override)')) return i18n.t('drain.block.force');
  if (reason.includes("violate the pod's disruption budget")) return i18n.t('drain.block.pdb');
  return reason;
}

export const DrainForm = observer(function DrainForm({ clusterId, node, onClose, onDone }: { clusterId: string; node: string; onClose(): void; onDone(): void }) {
  const { t } = i18n;
  const [emptyDir, setEmptyDir] = useState(false);
  const [force, setForce] = useState(false);
  const [timeout, setTimeoutText] = useState('60');
  const [busy, setBusy] = useState(false);
  const [lines, setLines] = useState<string[]>([]);
  const [report, setReport] = useState<DrainReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  // The newest line in view, as in a terminal.
  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight;
  }, [lines]);

  async function drain(): Promise<void> {
    const progressId = `${node}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    setBusy(true);
    setLines([]);
    setReport(undefined);
    setError(undefined);
    const listener = objectRpc().on('node.drain.progress', (p) => {
      if (p.progressId === progressId && mounted.current) setLines((old) => [...old, p.line]);
    });
    try {
      const r = await objectRpc().call('node.drain', { clusterId, name: node, timeoutSeconds: Number(timeout), deleteEmptyDirData: emptyDir, force, progressId });
      if (mounted.current) setReport(r);
    } catch (e) {
      if (mounted.current) setError(t('action.failed', { action: t('action.drain'), message: e instanceof Error ? e.message : String(e) }));
    } finally {
      listener.dispose();
      if (mounted.current) setBusy(false);
      onDone();
    }
  }

  const details = report
    ? [...report.blocked.map((b) => t('action.drain.blocked', { pod: b.pod, reason: blocked(b.reason) })), ...report.terminating.map((pod) => t('drain.terminating', { pod })), ...report.skipped.map((s) => t('action.drain.skipped', { pod: s.pod, reason: skipped(s.reason) }))]
    : [];
  return (
    <div className="drain" data-form="drain">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void drain();
        }}
      >
        <p className="muted">{t('drain.explain')}</p>
        <label>
          <input type="checkbox" name="deleteEmptyDirData" checked={emptyDir} onChange={(e) => setEmptyDir(e.target.checked)} />
          {t('drain.emptyDir')}
        </label>
        <label>
          <input type="checkbox" name="force" checked={force} onChange={(e) => setForce(e.target.checked)} />
          {t('drain.force')}
        </label>
        <label>
          {t('drain.timeout')}
          <input name="timeout" type="number" min={1} max={3600} value={timeout} onChange={(e) => setTimeoutText(e.target.value)} />
        </label>
        <button type="submit" className="danger" disabled={busy || !/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600} data-action="confirm-drain">
          {busy ? t('drain.running', { node }) : t('action.drain')}
        </button>
        <button type="button" onClick={onClose} disabled={busy}>
          {t('action.cancel')}
        </button>
      </form>
      {error && (
        <div className="banner bad" role="status" data-result="drain">
          {error}
        </div>
      )}
      {report && (
        <div className={report.drained ? 'banner ok' : 'banner bad'} role="status" data-result="drain" data-drained={report.drained}>
          {summary(node, report)}
          {details.length > 0 && (
            <ul>
              {details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {lines.length > 0 && (
        <pre className="drain-log" data-drain-log aria-label={t('drain.log')} ref={logRef}>
          {lines.join('\n')}
        </pre>
      )}
    </div>
  );
});
