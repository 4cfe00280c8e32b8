import { i18n } from '../i18n.js';

/** The etcdctl command that shows the same thing as the view next to it, ready to copy. */
export function CommandLine({ command }: { command: string }) {
  if (!command) return null;
  return (
    <div className="etcdctl">
      <code>{command}</code>
      <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(command).catch(() => undefined)}>
        {i18n.t('registry.copy')}
      </button>
    </div>
  );
}
