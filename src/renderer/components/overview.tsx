// The cluster at a glance: nodes, capacity against requests and (with metrics.k8s.io) use, pod
// phases, workloads that are not at their wanted size, and the latest warnings. Figures refresh
// once a second from the live collections; metrics are polled as kubectl top does.
import { observer } from 'mobx-react-lite';
import { useEffect, useMemo, useState } from 'react';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';
import { humanDuration, str } from '../kinds/format.js';
import { eventTime } from '../kinds/events.js';
import { formatBytes, formatCores } from '../kinds/quantity.js';
import { overviewFigures, sumNodeMetrics } from './overview-data.js';

const METRICS_EVERY_MS = 15_000;

function Meter({ label, used, requested, total, format }: { label: string; used?: number; requested: number; total: number; format: (n: number) => string }) {
  const { t } = i18n;
  const pct = (n: number) => (total > 0 ? Math.min(100, (n / total) * 100) : 0);
  return (
    <div className="meter" data-meter={label}>
      <div className="meter-title">
        {label} <span className="muted">{t('overview.allocatable', { total: format(total) })}</span>
      </div>
      <div className="meter-bar" aria-hidden="true">
        <div className="meter-requested" style={{ width: `${pct(requested)}%` }} />
        {used !== undefined && <div className="meter-used" style={{ width: `${pct(used)}%` }} />}
      </div>
      <div className="meter-legend">
        <span>{t('overview.requested', { value: format(requested), pct: pct(requested).toFixed(0) })}</span>
        {used !== undefined ? <span>{t('overview.used', { value: format(used), pct: pct(used).toFixed(0) })}</span> : null}
      </div>
    </div>
  );
}

export const Overview = observer(function Overview({ store }: { store: AppStore }) {
  const { t } = i18n;
  const hasMetrics = store.discovery?.types.some((x) => x.id === 'nodes.metrics.k8s.io') ?? false;
  const [usage, setUsage] = useState<{ cpu: number; memory: number } | undefined>();
  const [metricsError, setMetricsError] = useState<string | undefined>();
  useEffect(() => {
    if (!hasMetrics) return;
    let stopped = false;
    const poll = () =>
      store.list('nodes.metrics.k8s.io').then(
        (items) => !stopped && (setUsage(sumNodeMetrics(items)), setMetricsError(undefined)),
        (error: unknown) => !stopped && setMetricsError(error instanceof Error ? error.message : String(error)),
      );
    void poll();
    const timer = setInterval(() => void poll(), METRICS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [hasMetrics, store]);
  // Once a second, not once per batch: 50,000 pods are summed in one pass.
  const tick = Math.floor(store.now / 1000);
  const f = useMemo(() => overviewFigures(store), [store, tick]);
  const forbidden = ['nodes', 'pods', 'events'].filter((id) => store.collection(id)?.forbidden);
  return (
    <section className="overview" aria-label={t('nav.overview')}>
      <div className="toolbar">
        <h2>{t('nav.overview')}</h2>
      </div>
      {forbidden.length > 0 && <p className="banner bad" role="status">{t('overview.forbidden', { kinds: forbidden.join(', ') })}</p>}
      <div className="cards">
        <div className="card" data-card="nodes">
          <h3>{t('kind.nodes')}</h3>
          <p className="big">
            <span className={f.nodes.ready === f.nodes.total ? 'tone-ok' : 'tone-bad'}>{f.nodes.ready}</span>/{f.nodes.total} {t('overview.ready')}
          </p>
          {f.nodes.notReady.map((n) => (
            <button key={n.metadata.uid} type="button" className="link tone-bad" onClick={() => store.openObject('nodes', '', n.metadata.uid ?? '')}>
              {n.metadata.name}
            </button>
          ))}
        </div>
        <div className="card" data-card="pods">
          <h3>{t('kind.pods')}</h3>
          <p className="big">{f.pods.total}</p>
          <ul className="phases">
            {Object.entries(f.pods.phases)
              .sort()
              .map(([phase, n]) => (
                <li key={phase} className={phase === 'Running' || phase === 'Succeeded' ? 'tone-ok' : phase === 'Pending' ? 'tone-warn' : 'tone-bad'}>
                  {phase}: {n}
                </li>
              ))}
          </ul>
        </div>
        <div className="card wide" data-card="capacity">
          <h3>{t('overview.capacity')}</h3>
          <Meter label="CPU" total={f.cpu.allocatable} requested={f.cpu.requested} used={usage?.cpu} format={formatCores} />
          <Meter label={t('overview.memory')} total={f.memory.allocatable} requested={f.memory.requested} used={usage?.memory} format={formatBytes} />
          {!hasMetrics && <p className="muted small">{t('overview.noMetrics')}</p>}
          {metricsError && <p className="muted small">{metricsError}</p>}
        </div>
        <div className="card" data-card="workloads">
          <h3>{t('overview.workloads')}</h3>
          {f.workloads.map((w) => (
            <div key={w.kind} className="workload-line">
              <span>{t(`kind.${w.kind}` as 'kind.deployments')}</span>{' '}
              <span className={w.unhealthy.length ? 'tone-warn' : 'tone-ok'}>{t('overview.healthy', { ok: w.total - w.unhealthy.length, total: w.total })}</span>
              {w.unhealthy.slice(0, 5).map((u) => (
                <button key={u.obj.metadata.uid} type="button" className="link" onClick={() => store.openObject(w.kind, u.obj.metadata.namespace ?? '', u.obj.metadata.uid ?? '')}>
                  {u.obj.metadata.namespace}/{u.obj.metadata.name} {u.ready}/{u.wanted}
                </button>
              ))}
            </div>
          ))}
        </div>
      </div>
      <div className="card warnings" data-card="warnings">
        <h3>{t('overview.warnings')}</h3>
        {f.warnings.length === 0 && <p className="muted">{t('overview.noWarnings')}</p>}
        <table className="resources">
          <tbody>
            {f.warnings.map((e) => (
              <tr key={e.metadata.uid} onClick={() => store.openObject('events', e.metadata.namespace ?? '', e.metadata.uid ?? '')}>
                <td className="muted">{humanDuration(store.now - eventTime(e))}</td>
                <td className="tone-bad">{str(e, 'reason')}</td>
                <td>
                  {str(e, 'involvedObject.kind').toLowerCase()}/{str(e, 'involvedObject.name')}
                </td>
                <td className="message">{str(e, 'message')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
});
