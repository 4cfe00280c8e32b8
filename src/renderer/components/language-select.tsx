import { observer } from 'mobx-react-lite';
import { i18n, LOCALES, type Locale } from '../i18n.js';

/** The language menu of the top bar and of the settings page. */
export const LanguageSelect = observer(function LanguageSelect({ onChange, setting }: { onChange: (locale: Locale) => void; setting?: string }) {
  return (
    <select value={i18n.locale} onChange={(e) => onChange(e.target.value as Locale)} data-setting={setting}>
      {LOCALES.map((l) => (
        <option key={l} value={l}>
          {l === 'fr' ? 'Français' : 'English'}
        </option>
      ))}
    </select>
  );
});
