// The YAML editor dialog: edit (review = diff against the live object + server dry run, then
// server-side apply, force on conflicts) or create (templates, dry run of every document, apply).
import { observer } from 'mobx-react-lite';
import { i18n } from '../i18n.js';
import { COURSE_TEMPLATES } from '../templates/course-templates.js';
import { editorHost } from './editor-host.js';
import type { EditorSession } from './editor-session.js';
import { DiffMonaco, YamlMonaco } from './monaco-view.js';
import '../object/object-panel.css';

const SchemaLine = observer(function SchemaLine({ session }: { session: EditorSession }) {
  const { t } = i18n;
  if (session.schemaState === 'loading') return <span className="muted">{t('editor.schema.loading')}</span>;
  if (session.schemaState === 'none') return <span className="muted">{t('editor.schema.none')}</span>;
  return <span className="muted">{t('editor.schema.ready', { key: session.schemas.map((s) => s.key).join(', ') })}</span>;
});

const Review = observer(function Review({ session }: { session: EditorSession }) {
  const { t } = i18n;
  return (
    <div className="editor-review">
      {session.dryRun && (
        <p className={session.dryRun.ok ? 'banner ok' : 'banner bad'} data-result="dry-run" role="status">
          {session.dryRun.ok ? t('editor.dryRun.ok') : t('editor.dryRun.failed', { message: session.dryRun.message })}
        </p>
      )}
      {session.conflicts.length > 0 && (
        <div className="banner warn" data-result="conflict" role="alert">
          <p>{t('editor.conflict')}</p>
          <ul>
            {session.conflicts.map((c) => (
              <li key={`${c.manager}${c.field}`}>{t('editor.conflict.item', { field: c.field, manager: c.manager })}</li>
            ))}
          </ul>
        </div>
      )}
      {session.mode === 'edit' && session.live !== undefined && (
        <>
          <div className="diff-legend">
            <span>{t('editor.diff.live')}</span> → <span>{t('editor.diff.yours')}</span>
            {session.live === session.text && <span className="muted"> · {t('editor.noChange')}</span>}
          </div>
          <DiffMonaco original={session.live} modified={session.text} />
        </>
      )}
      {session.mode === 'create' && (
        <ul className="doc-results">
          {session.docResults.map((r) => (
            <li key={r.index} className={r.ok ? 'ok' : 'bad'}>
              {t('editor.docResult', { index: r.index, result: r.text })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

export const EditorDialog = observer(function EditorDialog() {
  const { t } = i18n;
  const session = editorHost.session;
  if (!session) return null;
  const busy = session.phase === 'busy';
  const title = session.mode === 'edit' && session.ref ? t('editor.title.edit', { kind: session.ref.kind, name: session.ref.name }) : t('editor.title.create');
  return (
    <div className="editor-backdrop">
      <section className="editor-dialog" role="dialog" aria-label={title} data-mode={session.mode} data-phase={session.phase}>
        <header>
          <h3>{title}</h3>
          <SchemaLine session={session} />
          <button type="button" onClick={() => editorHost.close()} data-action="close-editor">
            {t('object.close')}
          </button>
        </header>
        {session.mode === 'create' && session.phase === 'editing' && (
          <label className="template-pick">
            {t('editor.template')}
            <select aria-label={t('editor.template')} defaultValue="" onChange={(e) => session.setText(COURSE_TEMPLATES.find((x) => x.id === e.target.value)?.yaml ?? '')}>
              <option value="">{t('editor.template.none')}</option>
              {COURSE_TEMPLATES.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className={session.phase === 'reviewing' ? 'editor-body hidden' : 'editor-body'}>
          <YamlMonaco session={session} />
        </div>
        {session.phase === 'reviewing' && <Review session={session} />}
        {session.phase === 'editing' && session.dryRun && !session.dryRun.ok && (
          <p className="banner bad" data-result="rejected" role="alert">
            {t('editor.rejected', { message: session.dryRun.message })}
          </p>
        )}
        {session.result && (
          <p className={session.result.ok ? 'banner ok' : 'banner bad'} data-result={session.result.ok ? 'applied' : 'apply-failed'} role="status">
            {session.result.ok ? (session.mode === 'edit' ? t('editor.applied') : t('editor.created', { count: session.docResults.length })) : t('editor.rejected', { message: session.result.message })}
          </p>
        )}
        <footer>
          {session.phase === 'editing' && (
            <button type="button" className="primary" disabled={busy} onClick={() => void session.review()} data-action="review">
              {t('editor.review')}
            </button>
          )}
          {session.phase === 'reviewing' && (
            <>
              <button type="button" onClick={() => session.backToEditing()} data-action="back">
                {t('editor.backToEdit')}
              </button>
              {session.conflicts.length > 0 ? (
                <button type="button" className="danger" onClick={() => void session.apply(true)} data-action="force-apply">
                  {t('editor.force')}
                </button>
              ) : (
                <button type="button" className="primary" onClick={() => void session.apply(false)} data-action="apply">
                  {session.mode === 'edit' ? t('editor.apply') : t('editor.create')}
                </button>
              )}
            </>
          )}
          {session.phase === 'done' && (
            <button type="button" className="primary" onClick={() => editorHost.close()} data-action="done">
              {t('object.close')}
            </button>
          )}
          {busy && <span className="muted">{t('object.loading')}</span>}
        </footer>
      </section>
    </div>
  );
});
