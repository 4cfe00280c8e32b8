// The UI's words in French and English. French is first-class (the course is in French): every key
// exists in both, which the type below enforces.
import { makeAutoObservable } from 'mobx';

const en = {
  'app.title': 'Kubedesk',
  'clusters.title': 'Clusters',
  'clusters.none': 'No cluster',
  'state.connecting': 'connecting',
  'state.connected': 'connected',
  'state.unreachable': 'unreachable',
  'state.auth-failed': 'authentication failed',
  'kind.pods': 'Pods',
  'kind.deployments': 'Deployments',
  'namespace.label': 'Namespace',
  'namespace.all': 'All namespaces',
  'table.empty': 'Nothing here yet.',
  'table.loading': 'Loading…',
  'table.count.one': '{count} object',
  'table.count.other': '{count} objects',
  'yaml.title': 'YAML',
  'yaml.close': 'Close',
  'yaml.hint': 'Select a row to see its YAML.',
  'conn.lost': 'Connection to the Kubedesk core lost: {reason}. Reload the page once it runs again.',
  'watch.error': 'Live updates interrupted: {error}',
  'cluster.pick': 'Pick a cluster on the left.',
  'cluster.notConnected': '{name} is {state}.',
  'language.label': 'Language',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  'app.title': 'Kubedesk',
  'clusters.title': 'Clusters',
  'clusters.none': 'Aucun cluster',
  'state.connecting': 'connexion…',
  'state.connected': 'connecté',
  'state.unreachable': 'injoignable',
  'state.auth-failed': 'authentification refusée',
  'kind.pods': 'Pods',
  'kind.deployments': 'Déploiements',
  'namespace.label': 'Namespace',
  'namespace.all': 'Tous les namespaces',
  'table.empty': 'Rien pour l’instant.',
  'table.loading': 'Chargement…',
  'table.count.one': '{count} objet',
  'table.count.other': '{count} objets',
  'yaml.title': 'YAML',
  'yaml.close': 'Fermer',
  'yaml.hint': 'Choisissez une ligne pour voir son YAML.',
  'conn.lost': 'Connexion au cœur de Kubedesk perdue : {reason}. Rechargez la page quand il tourne de nouveau.',
  'watch.error': 'Mises à jour en direct interrompues : {error}',
  'cluster.pick': 'Choisissez un cluster à gauche.',
  'cluster.notConnected': '{name} : {state}.',
  'language.label': 'Langue',
};

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, fr };
export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "1 object", "2 objects"; French puts 0 and 1 in the singular, which Intl knows. */
export function countKey(locale: Locale, count: number): 'table.count.one' | 'table.count.other' {
  return new Intl.PluralRules(locale).select(count) === 'one' ? 'table.count.one' : 'table.count.other';
}

class I18n {
  locale: Locale;
  constructor(initial: Locale) {
    this.locale = initial;
    makeAutoObservable(this);
  }
  setLocale(locale: Locale): void {
    this.locale = locale;
  }
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);
}

function initialLocale(): Locale {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('kubedesk.locale') : null;
  if (stored === 'fr' || stored === 'en') return stored;
  const lang = typeof navigator !== 'undefined' ? navigator.language : 'fr';
  return lang.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export const i18n = new I18n(initialLocale());
