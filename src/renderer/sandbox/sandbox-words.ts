// The sandbox controller reports what it is doing in English (its logs and API speak English): the
// UI shows its known messages in the user's language, and anything else (an error) as it is.
import { i18n } from '../i18n.js';

/** `stopped`: what to say of a sandbox at rest (the cluster list asks to select it, its page to start it). */
export function sandboxWords(message: string | undefined, stopped: 'clusters.sandboxStopped' | 'sandbox.msg.stopped'): string | undefined {
  const { t } = i18n;
  if (!message) return undefined;
  if (/^the sandbox (has not been started|is stopped)/.test(message)) return t(stopped);
  if (message === 'the sandbox is starting') return t('clusters.sandboxStarting');
  if (message === 'deleting the old cluster' || message === 'the sandbox is being reset') return t('sandbox.msg.resetting');
  if (message === 'Kubedesk is quitting') return t('sandbox.msg.quitting');
  const snapshot = /^(saving|restoring) snapshot "(.*)"$/.exec(message);
  if (snapshot) return t(snapshot[1] === 'saving' ? 'sandbox.msg.saving' : 'sandbox.msg.restoring', { name: snapshot[2] });
  return message;
}
