// Actions on the object in the panel: edit YAML, delete (with a propagation choice), scale,
// restart a rollout, cordon/uncordon/drain a node (drain-form.tsx). Each says what happened in a line below.
import { observer } from 'mobx-react-lite';
import { useState, type ReactNode } from 'react';
import type { KubeObject } from '../../shared/kube.js';
import type { DeletePropagation, KubeObjectRef, WriteOutcome } from '../../shared/rpc/object-contract.js';
import { editorHost } from '../editor/editor-host.js';
import { i18n } from '../i18n.js';
import { DrainForm } from './drain-form.js';
import { objectRpc } from './object-rpc.js';

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];
const RESTARTABLE = ['Deployment', 'StatefulSet', 'DaemonSet'];

type Form = 'none' | 'delete' | 'scale' | 'drain';

/** The confirmation row under the buttons: its own submit button in `children`, then Cancel. */
const InlineForm = observer(function InlineForm({ name, onSubmit, onCancel, children }: { name: Exclude<Form, 'drain'>; onSubmit(): void; onCancel(): void; children: ReactNode }) {
  return (
    <form
      className="inline-form"
      data-form={name}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <button type="button" onClick={onCancel}>
        {i18n.t('action.cancel')}
      </button>
    </form>
  );
});

export const ObjectActionsBar = observer(function ObjectActionsBar({ clusterId, refTo, obj, onDone }: { clusterId: string; refTo: KubeObjectRef; obj: KubeObject; onDone(): void }) {
  const { t } = i18n;
  const [form, setForm] = useState<Form>('none');
  const [propagation, setPropagation] = useState<DeletePropagation>('Background');
  const [replicas, setReplicas] = useState(String((obj.spec as { replicas?: number } | undefined)?.replicas ?? 1));
  const [result, setResult] = useState<{ ok: boolean; text: string; details?: string[] } | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(action: string, call: () => Promise<WriteOutcome>): Promise<void> {
    setBusy(true);
    try {
      const outcome = await call();
      setResult(outcome.ok ? { ok: true, text: t('action.done', { action }) } : { ok: false, text: t('action.failed', { action, message: outcome.message }) });
      if (outcome.ok) setForm('none');
    } catch (error) {
      setResult({ ok: false, text: t('action.failed', { action, message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
      onDone();
    }
  }

  const rpc = objectRpc();
  const unschedulable = (obj.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  return (
    <div className="object-actions">
      <div className="buttons">
        <button type="button" data-action="edit" onClick={() => editorHost.edit(clusterId, refTo, obj)}>
          {t('action.edit')}
        </button>
        {SCALABLE.includes(refTo.kind) && (
          <button type="button" data-action="scale" onClick={() => setForm(form === 'scale' ? 'none' : 'scale')}>
            {t('action.scale')}
          </button>
        )}
        {RESTARTABLE.includes(refTo.kind) && (
          <button type="button" data-action="restart" disabled={busy} onClick={() => void run(t('action.restart'), () => rpc.call('object.restart', { clusterId, ref: refTo }))}>
            {t('action.restart')}
          </button>
        )}
        {refTo.kind === 'Node' && (
          <>
            <button type="button" data-action={unschedulable ? 'uncordon' : 'cordon'} disabled={busy} onClick={() => void run(t(unschedulable ? 'action.uncordon' : 'action.cordon'), () => rpc.call('node.cordon', { clusterId, name: refTo.name, unschedulable: !unschedulable }))}>
              {t(unschedulable ? 'action.uncordon' : 'action.cordon')}
            </button>
            <button
              type="button"
              data-action="drain"
              disabled={busy}
              onClick={() => {
                setResult(undefined);
                setForm(form === 'drain' ? 'none' : 'drain');
              }}
            >
              {t('action.drain')}
            </button>
          </>
        )}
        <button type="button" className="danger" data-action="delete" onClick={() => setForm(form === 'delete' ? 'none' : 'delete')}>
          {t('action.delete')}
        </button>
      </div>
      {form === 'delete' && (
        <InlineForm name="delete" onSubmit={() => void run(t('action.delete'), () => rpc.call('object.delete', { clusterId, ref: refTo, propagation }))} onCancel={() => setForm('none')}>
          <span>{t('action.delete.confirm', { kind: refTo.kind, name: refTo.name })}</span>
          <label>
            {t('action.delete.propagation')}
            <select name="propagation" value={propagation} onChange={(e) => setPropagation(e.target.value as DeletePropagation)}>
              <option value="Background">{t('action.delete.background')}</option>
              <option value="Foreground">{t('action.delete.foreground')}</option>
              <option value="Orphan">{t('action.delete.orphan')}</option>
            </select>
          </label>
          <button type="submit" className="danger" disabled={busy} data-action="confirm-delete">
            {t('action.confirm')}
          </button>
        </InlineForm>
      )}
      {form === 'drain' && <DrainForm clusterId={clusterId} node={refTo.name} onClose={() => setForm('none')} onDone={onDone} />}
      {form === 'scale' && (
        <InlineForm name="scale" onSubmit={() => void run(t('action.scale'), () => rpc.call('object.scale', { clusterId, ref: refTo, replicas: Number(replicas) }))} onCancel={() => setForm('none')}>
          <label>
            {t('action.scale.replicas')}
            <input name="replicas" type="number" min={0} value={replicas} onChange={(e) => setReplicas(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || !/^\d+$/.test(replicas)} data-action="confirm-scale">
            {t('action.confirm')}
          </button>
        </InlineForm>
      )}
      {result && (
        <div className={result.ok ? 'banner ok' : 'banner bad'} role="status" data-result="action">
          {result.text}
          {result.details && result.details.length > 0 && (
            <ul>
              {result.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
});
