import { describe, expect, it } from 'vitest';
import { countKey, MESSAGES, translate } from './i18n.js';

describe('i18n', () => {
  it('has every English key in French, none left empty', () => {
    expect(Object.keys(MESSAGES.fr).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const [key, text] of Object.entries(MESSAGES.fr)) expect(text, key).not.toBe('');
  });
  it('fills parameters and plurals per language', () => {
    expect(translate('fr', countKey('fr', 0), { count: 0 })).toBe('0 objet');
    expect(translate('en', countKey('en', 0), { count: 0 })).toBe('0 objects');
    expect(translate('en', countKey('en', 1), { count: 1 })).toBe('1 object');
    expect(translate('fr', 'watch.error', { error: 'boom' })).toBe('Mises à jour en direct interrompues : boom');
  });
});
