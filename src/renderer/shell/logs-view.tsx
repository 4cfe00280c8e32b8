// The logs of one or many pods: only the rows in view are rendered (a million lines stay smooth),
// search highlights, a regex filter, level colours, wrap, pause/resume, download.
import { observer } from 'mobx-react-lite';
import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { LogFilter, levelOf, toPattern } from './log-buffer.js';
import { LOG_ROW_HEIGHT, logLayout } from './log-layout.js';
import type { LogsState } from './shell-store.js';
import type { LogTargetParams } from '../../shared/rpc/terminal-contract.js';
import { i18n } from '../i18n.js';

const OVERSCAN = 12;
const POD_COLOURS = ['#2f7de1', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5c940d'];

function highlight(text: string, search: RegExp | undefined): ReactNode {
  if (!search) return text;
  const parts: ReactNode[] = [];
  const re = new RegExp(search.source, search.flags.includes('g') ? search.flags : `${search.flags}g`);
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    parts.push(text.slice(last, m.index), <mark key={m.index}>{m[0]}</mark>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** Width of one character of the log font, measured once per view (the rows are monospace). */
function useCharWidth(probe: RefObject<HTMLSpanElement | null>): number {
  const [width, setWidth] = useState(7.2);
  useEffect(() => {
    const w = probe.current?.getBoundingClientRect().width;
    if (w) setWidth(w / 100);
  }, [probe]);
  return width;
}

export const LogsView = observer(function LogsView({ logs, onReopen }: { logs: LogsState; onReopen?: (changes: Partial<LogTargetParams>) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState({ height: 300, width: 800 });
  const [stick, setStick] = useState(true);
  const charWidth = useCharWidth(probe);
  const { t } = i18n;
  const version = logs.version;
  const pattern = useMemo(() => toPattern(logs.filter), [logs.filter]);
  const search = useMemo(() => toPattern(logs.search), [logs.search]);
  // The filter keeps its matches and scans only lines appended since (the buffer mutates in place:
  // `version` says when it changed).
  const filter = useMemo(() => (pattern ? new LogFilter(logs.buffer, pattern) : undefined), [pattern, logs]);
  const columns = logs.wrap ? Math.floor((viewport.width - 12) / charWidth) : undefined;
  const layout = useMemo(() => {
    filter?.update();
    return logLayout(logs.buffer, filter, columns, logs.timestamps);
  }, [filter, version, columns, logs.timestamps, logs]);
  const count = layout.count;

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport({ height: element.clientHeight, width: element.clientWidth }));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (stick && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [stick, layout]);

  // Following: the rows are those at the bottom at once, rather than after the scroll event the
  // effect above causes (one render per batch instead of two).
  const top = stick ? Math.max(0, layout.total - viewport.height) : scrollTop;
  const first = Math.max(0, layout.rowAt(top) - OVERSCAN);
  const last = Math.min(count, layout.rowAt(top + viewport.height) + 1 + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let row = first; row < last; row++) {
    const i = layout.index(row);
    if (i < 0 || i >= logs.buffer.size) continue;
    const text = logs.buffer.text(i);
    const { pod, container, colour } = logs.buffer.sourceOf(i);
    const level = levelOf(text);
    rows.push(
      <div key={row} className={`log-row${level ? ` level-${level}` : ''}`} style={{ top: layout.top(row), height: layout.height(row) }} data-pod={pod}>
        {logs.timestamps && <span className="log-time">{logs.buffer.timestamp(i)} </span>}
        <span className="log-pod" style={{ color: POD_COLOURS[colour % POD_COLOURS.length] }}>
          {pod}/{container}{' '}
        </span>
        <span className="log-text">{highlight(text, search)}</span>
      </div>,
    );
  }

  const download = () => {
    const blob = new Blob(logs.buffer.toBlobParts(true), { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${logs.title.replace(/[^\w.-]+/g, '_')}.log`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <section className="logs-view" data-logs={logs.title}>
      <div className="logs-toolbar">
        <strong>{logs.title}</strong>
        <input placeholder={t('logs.searchPlaceholder')} aria-label={t('logs.search')} value={logs.search} onChange={(e) => logs.set('search', e.target.value)} />
        <input placeholder={t('logs.filterPlaceholder')} aria-label={t('logs.filter')} value={logs.filter} onChange={(e) => logs.set('filter', e.target.value)} />
        <label>
          <input type="checkbox" checked={logs.wrap} onChange={() => logs.toggle('wrap')} /> {t('logs.wrap')}
        </label>
        <label>
          <input type="checkbox" checked={logs.timestamps} onChange={() => logs.toggle('timestamps')} /> {t('logs.timestamps')}
        </label>
        {onReopen && (
          <>
            <select
              aria-label={t('logs.since')}
              value={logs.target.sinceSeconds ?? 0}
              onChange={(e) => {
                const seconds = Number(e.target.value);
                onReopen({ sinceSeconds: seconds || undefined, tailLines: seconds ? undefined : 200 });
              }}
            >
              <option value={0}>{t('logs.tail')}</option>
              <option value={300}>{t('logs.since5m')}</option>
              <option value={3600}>{t('logs.since1h')}</option>
              <option value={86400}>{t('logs.since24h')}</option>
            </select>
            <label>
              <input type="checkbox" checked={logs.target.previous ?? false} onChange={(e) => onReopen({ previous: e.target.checked })} /> {t('logs.previous')}
            </label>
          </>
        )}
        <button type="button" onClick={() => logs.setPaused(!logs.paused)} data-action="pause">
          {logs.paused ? t('logs.resume', { count: logs.heldCount }) : t('logs.pause')}
        </button>
        <button type="button" onClick={download}>
          {t('logs.download')}
        </button>
        <span className="muted log-count" data-count={count} data-received={logs.buffer.size + logs.buffer.dropped}>
          {t('logs.count', { count })}{logs.buffer.dropped > 0 ? ` ${t('logs.dropped', { count: logs.buffer.dropped })}` : ''}
        </span>
        <span className="muted log-status">{logs.status}</span>
      </div>
      <div
        className={`log-scroll${logs.wrap ? ' wrap' : ''}`}
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - LOG_ROW_HEIGHT * 2;
          setStick(atBottom);
          if (!atBottom) setScrollTop(el.scrollTop);
        }}
      >
        <span className="log-probe" ref={probe} aria-hidden="true">
          {'0'.repeat(100)}
        </span>
        <div className="log-canvas" style={{ height: layout.total }}>
          {rows}
        </div>
      </div>
    </section>
  );
});
