// The frame's entries in the top bar (Sandbox, Settings, palette) and its pages over the content.
import { observer } from 'mobx-react-lite';
import { i18n } from '../i18n.js';
import { currentFrame, isMac, SHORTCUTS } from './frame-store.js';
import { shortcutLabel } from './palette-items.js';
import { SandboxPage } from '../sandbox/sandbox-page.js';
import { SettingsPage } from '../settings/settings-page.js';

export const FrameBar = observer(function FrameBar() {
  const frame = currentFrame();
  if (!frame) return null;
  const { t } = i18n;
  const state = frame.sandbox.status.state;
  return (
    <nav className="frame-bar" aria-label={t('frame.palette')}>
      <button type="button" className="frame-palette" onClick={() => frame.openPalette()} title={t('frame.palette')} data-frame="palette">
        <span aria-hidden="true">⌕</span> {t('frame.palette')} <kbd>{shortcutLabel(SHORTCUTS.palette, isMac)}</kbd>
      </button>
      <button type="button" className={frame.page === 'sandbox' ? 'active' : ''} aria-pressed={frame.page === 'sandbox'} onClick={() => (frame.page === 'sandbox' ? frame.closePage() : frame.openPage('sandbox'))} data-frame="sandbox">
        <span className={`dot sandbox-${state}`} aria-hidden="true" /> {t('frame.sandbox')}
      </button>
      <button type="button" className={frame.page === 'settings' ? 'active' : ''} aria-pressed={frame.page === 'settings'} onClick={() => (frame.page === 'settings' ? frame.closePage() : frame.openPage('settings'))} data-frame="settings">
        {t('frame.settings')}
      </button>
    </nav>
  );
});

/** Over the main content while one of the frame's pages is open. */
export const FramePage = observer(function FramePage() {
  const frame = currentFrame();
  if (!frame?.page) return null;
  return (
    <section className="frame-page" data-page={frame.page}>
      <button type="button" className="frame-page-close" onClick={() => frame.closePage()} aria-label={i18n.t('frame.close')}>
        ×
      </button>
      {frame.page === 'sandbox' ? <SandboxPage store={frame.sandbox} /> : <SettingsPage frame={frame} />}
    </section>
  );
});
