// The Settings page: language, theme, kubeconfig files and folders added beside the defaults, and
// the keyboard shortcuts.
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import type { ThemeSetting } from '../../shared/rpc/settings-contract.js';
import { i18n } from '../i18n.js';
import { LanguageSelect } from '../components/language-select.js';
import type { FrameStore } from '../palette/frame-store.js';
import { isMac, SHORTCUTS } from '../palette/frame-store.js';
import { shortcutLabel } from '../palette/palette-items.js';

export const SettingsPage = observer(function SettingsPage({ frame }: { frame: FrameStore }) {
  const { t } = i18n;
  const store = frame.settings;
  const settings = store.settings;
  const [path, setPath] = useState('');
  const contextsOf = (p: string) => frame.app.clusters.filter((c) => c.file !== undefined && (c.file === p || c.file.startsWith(`${p.replace(/\/$/, '')}/`))).length;
  return (
    <div className="settings-page">
      <h2>{t('settings.title')}</h2>
      <label className="field">
        {t('settings.language')}
        <LanguageSelect onChange={(locale) => store.setLanguage(locale)} setting="language" />
      </label>
      <label className="field">
        {t('settings.theme')}
        <select value={settings?.theme ?? 'system'} onChange={(e) => store.setTheme(e.target.value as ThemeSetting)} data-setting="theme">
          {(['system', 'light', 'dark'] as const).map((theme) => (
            <option key={theme} value={theme}>
              {t(`settings.theme.${theme}`)}
            </option>
          ))}
        </select>
      </label>

      <h3>{t('settings.kubeconfigs')}</h3>
      <p className="muted">{t('settings.kubeconfigsHint')}</p>
      {(settings?.kubeconfigPaths.length ?? 0) === 0 && <p className="muted">{t('settings.noPaths')}</p>}
      <ul className="paths">
        {settings?.kubeconfigPaths.map((p) => (
          <li key={p} data-path={p}>
            <span className="mono">{p}</span> <span className="muted">{t(contextsOf(p) === 1 ? 'settings.contexts.one' : 'settings.contexts.other', { count: contextsOf(p) })}</span>
            <button type="button" onClick={() => void store.removePath(p)}>
              {t('settings.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void store.addPath(path).then((ok) => ok && setPath(''));
        }}
      >
        <input className="mono wide" aria-label={t('settings.kubeconfigPath')} placeholder={t('settings.kubeconfigPath')} value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" disabled={path.trim() === ''}>
          {t('settings.add')}
        </button>
      </form>
      {store.error && <p className="banner bad" role="alert">{store.error}</p>}

      <h3>{t('settings.shortcuts')}</h3>
      <dl className="shortcuts">
        <dt><kbd>{shortcutLabel(SHORTCUTS.palette, isMac)}</kbd></dt>
        <dd>{t('shortcut.palette')}</dd>
        <dt><kbd>{shortcutLabel(SHORTCUTS.settings, isMac)}</kbd></dt>
        <dd>{t('shortcut.settings')}</dd>
        <dt><kbd>{shortcutLabel(SHORTCUTS.sandbox, isMac)}</kbd></dt>
        <dd>{t('shortcut.sandbox')}</dd>
      </dl>
    </div>
  );
});
