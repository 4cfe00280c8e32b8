// The toolbar's "Create" (from YAML or a course template) and the editor dialog it opens; the
// dialog also serves the panel's "Edit YAML".
import { observer } from 'mobx-react-lite';
import type { AppStore } from '../app-store.js';
import { EditorDialog } from '../editor/editor-dialog.js';
import { editorHost } from '../editor/editor-host.js';
import { i18n } from '../i18n.js';

export const CreateButton = observer(function CreateButton({ store }: { store: AppStore }) {
  const cluster = store.cluster;
  return (
    <>
      <button type="button" className="primary" data-action="create" disabled={cluster?.state !== 'connected'} onClick={() => cluster && editorHost.create(cluster.id, store.namespace || undefined)}>
        {i18n.t('action.create')}
      </button>
      <EditorDialog />
    </>
  );
});
