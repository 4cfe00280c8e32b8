import { observer } from 'mobx-react-lite';
import { stringify } from 'yaml';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';

export const YamlView = observer(function YamlView({ store }: { store: AppStore }) {
  const { t } = i18n;
  const obj = store.selected;
  if (!obj) return null;
  // managedFields are noise for reading an object, as `kubectl get -o yaml` hides them by default.
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  const text = stringify({ ...obj, metadata }, { lineWidth: 0 });
  return (
    <aside className="yaml" aria-label={t('yaml.title')}>
      <header>
        <h3>
          {t('yaml.title')} · {obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}
          {obj.metadata.name}
        </h3>
        <button type="button" onClick={() => store.select(undefined)}>
          {t('yaml.close')}
        </button>
      </header>
      <pre>{text}</pre>
    </aside>
  );
});
