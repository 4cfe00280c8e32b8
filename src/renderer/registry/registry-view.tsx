import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState } from 'react';
import { i18n } from '../i18n.js';
import { CommandLine } from './command-line.js';
import type { RegistryStore } from './registry-store.js';
import { ValuePanel } from './value-panel.js';

/** Fixed row height (styles.css) so only rows in view are rendered, even with thousands of keys. */
export const TREE_ROW_HEIGHT = 24;
const OVERSCAN = 20;

export const Tree = observer(function Tree({ store }: { store: RegistryStore }) {
  const rows = store.rows;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / TREE_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / TREE_ROW_HEIGHT) + OVERSCAN);
  return (
    <div className="registry-tree" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="tree">
      <div style={{ height: rows.length * TREE_ROW_HEIGHT, position: 'relative' }}>
        {rows.slice(first, last).map((row, i) => (
          <div
            key={row.child.key}
            role="treeitem"
            aria-expanded={row.child.leaf ? undefined : row.expanded}
            className={row.child.key === store.selectedKey ? 'tree-row selected' : 'tree-row'}
            data-key={row.child.key}
            style={{ top: (first + i) * TREE_ROW_HEIGHT, paddingLeft: 8 + row.depth * 16 }}
            onClick={() => void (row.child.leaf ? store.select(row.child.key) : store.toggle(row.child.key))}
          >
            <span className="twisty">{row.child.leaf ? '' : row.expanded ? '▾' : '▸'}</span>
            <span className="seg">{row.child.name}</span>
            {!row.child.leaf && <span className="badge">{row.child.count}</span>}
          </div>
        ))}
      </div>
    </div>
  );
});

const RevisionSlider = observer(function RevisionSlider({ store }: { store: RegistryStore }) {
  const { t } = i18n;
  const min = store.compactRevision + 1;
  const max = Math.max(min, store.headRevision);
  const shown = store.revision ?? max;
  return (
    <div className="revision-slider">
      <label>
        {t('registry.revision')}
        <input type="range" min={min} max={max} value={shown} aria-label={t('registry.revision')} onChange={(e) => void store.travel(Number(e.target.value))} />
      </label>
      <input type="number" className="rev-input" min={min} max={max} value={shown} aria-label={t('registry.revisionNumber')} onChange={(e) => void store.travel(Number(e.target.value))} />
      {store.revision === undefined ? (
        <span className="live-badge">{t('registry.live')}</span>
      ) : (
        <button type="button" onClick={() => void store.travel(undefined)}>
          {t('registry.backToLive')}
        </button>
      )}
    </div>
  );
});

const LivePane = observer(function LivePane({ store }: { store: RegistryStore }) {
  const { t } = i18n;
  return (
    <section className="live-pane" aria-label={t('registry.events')}>
      <h3>{t('registry.events')}</h3>
      <CommandLine command={store.watchCommand} />
      <ul>
        {store.events.map((e) => (
          <li key={e.id} className={`ev ev-${e.type}`} data-event-key={e.key}>
            <span className="ev-rev">{e.revision}</span> <span className="ev-type">{e.type === 'put' ? 'PUT' : 'DELETE'}</span>{' '}
            <button type="button" className="link" onClick={() => void store.select(e.key)}>
              {e.key}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
});

/** Any etcd: endpoints and the files etcdctl would take (minikube: /var/lib/minikube/certs/etcd/). */
function ConnectForm({ store }: { store: RegistryStore }) {
  const { t } = i18n;
  const [fields, setFields] = useState({ endpoints: '', caFile: '', certFile: '', keyFile: '' });
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) => setFields({ ...fields, [name]: e.target.value });
  return (
    <details className="connect-etcd">
      <summary>{t('registry.otherEtcd')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const endpoints = fields.endpoints.split(',').map((s) => s.trim()).filter(Boolean);
          void store.connect({ kind: 'etcd', endpoints, caFile: fields.caFile || undefined, certFile: fields.certFile || undefined, keyFile: fields.keyFile || undefined });
        }}
      >
        <input placeholder="https://127.0.0.1:2379" aria-label={t('registry.endpoints')} value={fields.endpoints} onChange={set('endpoints')} />
        <input placeholder="ca.crt" aria-label="CA" value={fields.caFile} onChange={set('caFile')} />
        <input placeholder="client.crt" aria-label={t('registry.clientCert')} value={fields.certFile} onChange={set('certFile')} />
        <input placeholder="client.key" aria-label={t('registry.clientKey')} value={fields.keyFile} onChange={set('keyFile')} />
        <button type="submit">{t('registry.connect')}</button>
        <button type="button" onClick={() => void store.connect({ kind: 'sandbox' })}>
          {t('registry.sandboxEtcd')}
        </button>
      </form>
    </details>
  );
}

export const RegistryView = observer(function RegistryView({ store, onOpenObject }: { store: RegistryStore; onOpenObject: (key: string, uid: string) => void }) {
  const { t } = i18n;
  useEffect(() => void store.open(), [store]);
  const listing = store.listings.get('/registry/');
  return (
    <div className="registry">
      <div className="toolbar">
        <h2>{t('registry.title')}</h2>
        <form
          className="registry-search"
          onSubmit={(e) => {
            e.preventDefault();
            void store.search();
          }}
        >
          <input type="search" value={store.searchQuery} placeholder={t('registry.search')} aria-label={t('registry.search')} onChange={(e) => store.setSearch(e.target.value)} />
        </form>
        <RevisionSlider store={store} />
      </div>
      <div className="registry-target">
        <span className="muted">{store.session?.endpoints.join(', ')}</span>
        <ConnectForm store={store} />
      </div>
      {store.error && <p className="banner bad" role="alert">{store.error}</p>}
      {store.revision !== undefined && <p className="banner" role="status">{t('registry.travelling', { revision: store.revision })}</p>}
      <div className="registry-split">
        <div className="registry-left">
          {listing && <CommandLine command={listing.command} />}
          {store.searchResults && (
            <ul className="search-results">
              {store.searchResults.keys.map((k) => (
                <li key={k}>
                  <button type="button" className="link" onClick={() => void store.select(k)}>
                    {k}
                  </button>
                </li>
              ))}
              {store.searchResults.keys.length === 0 && <li className="muted">{t('registry.noMatch')}</li>}
            </ul>
          )}
          <Tree store={store} />
        </div>
        <ValuePanel store={store} onOpenObject={onOpenObject} />
        <LivePane store={store} />
      </div>
    </div>
  );
});
