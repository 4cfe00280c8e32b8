import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n.js';
import { sandboxWords } from './sandbox-words.js';

afterEach(() => i18n.setLocale('en'));

describe('the sandbox controller in the user’s words', () => {
  it('says what the sandbox is doing in French and English', () => {
    i18n.setLocale('fr');
    expect(sandboxWords('saving snapshot "avant-exercice"', 'sandbox.msg.stopped')).toBe('Enregistrement de l’instantané « avant-exercice »…');
    expect(sandboxWords('the sandbox is stopped; start it from the Sandbox page', 'clusters.sandboxStopped')).toBe('Sélectionnez-le pour le démarrer.');
    expect(sandboxWords('the sandbox is stopped: select it (or press Start on the Sandbox page) to start it', 'sandbox.msg.stopped')).toBe('Démarrez-le ici, ou sélectionnez-le dans la liste des clusters.');
    i18n.setLocale('en');
    expect(sandboxWords('deleting the old cluster', 'sandbox.msg.stopped')).toBe('Deleting the old cluster for a fresh one…');
    expect(sandboxWords('restoring snapshot "x"', 'sandbox.msg.stopped')).toBe('Restoring snapshot “x”…');
  });

  it('shows an error as it is', () => {
    expect(sandboxWords('the sandbox process stopped unexpectedly (exit code 1)', 'clusters.sandboxStopped')).toBe('the sandbox process stopped unexpectedly (exit code 1)');
    expect(sandboxWords(undefined, 'clusters.sandboxStopped')).toBeUndefined();
  });
});
