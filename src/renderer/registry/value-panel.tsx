import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import type { RegistryValue } from '../../shared/rpc/registry-contract.js';
import { i18n } from '../i18n.js';
import { CommandLine } from './command-line.js';
import { foldUnchanged, lineDiff } from './line-diff.js';
import type { RegistryStore } from './registry-store.js';
import { renderValue, valueBody } from './render-value.js';

function formatLabel(v: RegistryValue): string {
  switch (v.value.format) {
    case 'protobuf':
    case 'protobuf-fields':
      return `protobuf · ${v.value.apiVersion} ${v.value.kind}`;
    default:
      return v.value.format;
  }
}

/** pods and deployments have a resource view: link the key to it when the object has a uid. */
function objectLink(v: RegistryValue): { uid: string } | undefined {
  if (!/^\/registry\/(pods|deployments)\/[^/]+\/[^/]+$/.test(v.key) && !/^\/registry\/namespaces\/[^/]+$/.test(v.key)) return undefined;
  const body = valueBody(v.value);
  const uid = (body as { metadata?: { uid?: unknown } } | undefined)?.metadata?.uid;
  return typeof uid === 'string' ? { uid } : undefined;
}

const History = observer(function History({ store }: { store: RegistryStore }) {
  const { t } = i18n;
  const history = store.history;
  if (!history) return null;
  const from = history.entries.find((e) => e.modRevision === store.diffFrom);
  const to = history.entries.find((e) => e.modRevision === store.diffTo);
  return (
    <section className="history" aria-label={t('registry.history')}>
      <h3>{t('registry.history')}</h3>
      <CommandLine command={history.command} />
      <table>
        <thead>
          <tr>
            <th>{t('registry.modRevision')}</th>
            <th>{t('registry.version')}</th>
            <th>{t('registry.diffFrom')}</th>
            <th>{t('registry.diffTo')}</th>
          </tr>
        </thead>
        <tbody>
          {history.entries.map((e) => (
            <tr key={e.modRevision} data-revision={e.modRevision}>
              <td>
                <button type="button" className="link" onClick={() => void store.travel(e.modRevision)}>
                  {e.modRevision}
                </button>
              </td>
              <td>{e.version}</td>
              <td><input type="radio" name="diff-from" aria-label={`${t('registry.diffFrom')} ${e.modRevision}`} checked={store.diffFrom === e.modRevision} onChange={() => store.setDiff(e.modRevision, store.diffTo)} /></td>
              <td><input type="radio" name="diff-to" aria-label={`${t('registry.diffTo')} ${e.modRevision}`} checked={store.diffTo === e.modRevision} onChange={() => store.setDiff(store.diffFrom, e.modRevision)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.truncated && <p className="muted">{t('registry.truncated')}</p>}
      {from && to && (
        <pre className="diff" aria-label={t('registry.diff')}>
          {foldUnchanged(lineDiff(renderValue(from.value, store.format), renderValue(to.value, store.format))).map((l, i) =>
            l.op === '…' ? (
              <div key={i} className="fold">
                {t('registry.unchanged', { count: l.hidden })}
              </div>
            ) : (
              <div key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}>
                {l.op} {l.text}
              </div>
            ),
          )}
        </pre>
      )}
    </section>
  );
});

const WriteBox = observer(function WriteBox({ store, value }: { store: RegistryStore; value: RegistryValue }) {
  const { t } = i18n;
  const [text, setText] = useState<string | undefined>(undefined);
  if (text === undefined) {
    return (
      <button type="button" className="danger" disabled={store.revision !== undefined || value.value.format !== 'json'} onClick={() => setText(JSON.stringify(valueBody(value.value)))}>
        {t('registry.edit')}
      </button>
    );
  }
  return (
    <div className="write-box">
      <p className="banner bad" role="alert">{t('registry.writeWarning', { revision: value.modRevision })}</p>
      <textarea value={text} onChange={(e) => setText(e.target.value)} aria-label={t('registry.edit')} rows={8} />
      <button type="button" className="danger" onClick={() => void store.write(text).then(() => setText(undefined))}>
        {t('registry.write')}
      </button>
      <button type="button" onClick={() => setText(undefined)}>
        {t('registry.cancel')}
      </button>
    </div>
  );
});

export const ValuePanel = observer(function ValuePanel({ store, onOpenObject }: { store: RegistryStore; onOpenObject: (key: string, uid: string) => void }) {
  const { t } = i18n;
  const value = store.value;
  if (!store.selectedKey) return <aside className="registry-value muted">{t('registry.pick')}</aside>;
  if (value === null) return <aside className="registry-value muted">{t('registry.absent', { key: store.selectedKey })}</aside>;
  if (!value) return <aside className="registry-value muted">{t('table.loading')}</aside>;
  const link = objectLink(value);
  return (
    <aside className="registry-value" aria-label={t('registry.value')}>
      <h3 className="value-key">{value.key}</h3>
      <dl className="meta">
        <dt>{t('registry.createRevision')}</dt>
        <dd data-meta="create">{value.createRevision}</dd>
        <dt>{t('registry.modRevision')}</dt>
        <dd data-meta="mod">{value.modRevision}</dd>
        <dt>{t('registry.version')}</dt>
        <dd data-meta="version">{value.version}</dd>
        <dt>{t('registry.lease')}</dt>
        <dd>{value.lease || '—'}</dd>
        <dt>{t('registry.format')}</dt>
        <dd>{formatLabel(value)}</dd>
      </dl>
      <CommandLine command={value.command} />
      <div className="value-actions">
        {(['yaml', 'json'] as const).map((f) => (
          <button key={f} type="button" className={store.format === f ? 'active' : ''} onClick={() => store.setFormat(f)}>
            {f.toUpperCase()}
          </button>
        ))}
        {link && (
          <button type="button" className="link" onClick={() => onOpenObject(value.key, link.uid)}>
            {t('registry.openObject')}
          </button>
        )}
        <WriteBox key={`${value.key}@${value.modRevision}`} store={store} value={value} />
      </div>
      {store.writeStatus && <p className="banner" role="status">{store.writeStatus.startsWith('ok') ? t('registry.written') : t('registry.conflict')}</p>}
      {value.value.format === 'encrypted' ? (
        <p className="banner">{t('registry.encrypted', { provider: value.value.provider })}</p>
      ) : (
        <pre className="value-body">{renderValue(value.value, store.format)}</pre>
      )}
      {value.value.format === 'protobuf-fields' && <p className="muted">{t('registry.fieldNumbers', { error: value.value.error })}</p>}
      <History store={store} />
    </aside>
  );
});
