// Confirms deleting the ticked rows, with the propagation policy to use, then shows what each
// delete answered: the API's reason for every object it refused.
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import type { KubeObject } from '../../shared/kube.js';
import type { DeleteOutcome, PropagationPolicy } from '../../shared/rpc/contract.js';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';

const SHOWN = 12;

export const BulkDeleteDialog = observer(function BulkDeleteDialog({ store, objects, onClose }: { store: AppStore; objects: KubeObject[]; onClose: () => void }) {
  const { t } = i18n;
  const [policy, setPolicy] = useState<PropagationPolicy>('Background');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<DeleteOutcome[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const name = (o: { namespace?: string; name?: string }) => (o.namespace ? `${o.namespace}/${o.name}` : (o.name ?? ''));
  const failed = outcomes?.filter((o) => !o.ok) ?? [];
  const run = async () => {
    setBusy(true);
    try {
      setOutcomes(await store.deleteMany(objects, policy));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="bulk-delete-title">
        <h3 id="bulk-delete-title">{t('bulk.title', { count: objects.length })}</h3>
        {!outcomes && (
          <>
            <ul className="bulk-list">
              {objects.slice(0, SHOWN).map((o) => (
                <li key={o.metadata.uid}>{name(o.metadata)}</li>
              ))}
              {objects.length > SHOWN && <li className="muted">{t('bulk.more', { count: objects.length - SHOWN })}</li>}
            </ul>
            <label className="bulk-policy">
              {t('bulk.propagation')}
              <select value={policy} onChange={(e) => setPolicy(e.target.value as PropagationPolicy)} aria-label={t('bulk.propagation')}>
                <option value="Background">{t('bulk.background')}</option>
                <option value="Foreground">{t('bulk.foreground')}</option>
                <option value="Orphan">{t('bulk.orphan')}</option>
              </select>
            </label>
            {failure && <p className="banner bad" role="alert">{failure}</p>}
            <div className="modal-actions">
              <button type="button" onClick={onClose} disabled={busy}>
                {t('bulk.cancel')}
              </button>
              <button type="button" className="danger-button" onClick={() => void run()} disabled={busy} data-action="confirm-delete">
                {t('bulk.confirm')}
              </button>
            </div>
          </>
        )}
        {outcomes && (
          <>
            <p role="status" className={failed.length ? 'banner warn' : 'banner'}>
              {t('bulk.done', { ok: outcomes.length - failed.length, failed: failed.length })}
            </p>
            {failed.length > 0 && (
              <ul className="bulk-errors">
                {failed.map((o) => (
                  <li key={name(o)} data-failed={name(o)}>
                    <strong>{name(o)}</strong>: {o.error}
                  </li>
                ))}
              </ul>
            )}
            <div className="modal-actions">
              <button type="button" onClick={onClose}>
                {t('bulk.close')}
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
});
