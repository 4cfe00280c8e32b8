// The UI's words in French and English. French is first-class (the course is in French): every key
// exists in both, which the type below enforces.
import { makeAutoObservable } from 'mobx';
import { tablesEn, tablesFr } from './kinds/table-messages.js';
import { objectEn, objectFr } from './object/object-messages.js';
import { frameEn, frameFr } from './palette/frame-messages.js';
import { shellEn, shellFr } from './shell/shell-messages.js';

const en = {
  ...tablesEn,
  ...objectEn,
  ...frameEn,
  ...shellEn,
  'app.title': 'Kubedesk',
  'clusters.title': 'Clusters',
  'clusters.none': 'No cluster',
  'state.connecting': 'connecting',
  'state.connected': 'connected',
  'state.unreachable': 'unreachable',
  'state.auth-failed': 'authentication failed',
  'state.stopped': 'stopped',
  'clusters.sandboxStopped': 'Select it to start it.',
  'clusters.sandboxStarting': 'Starting…',
  'cluster.startSandbox': 'Start the sandbox',
  'clusters.reason.unreachable': 'cannot reach {server}: {detail}',
  'clusters.reason.refused': 'the server refused the credentials (401 Unauthorized)',
  'clusters.reason.timeout': 'no answer within 10 s',
  'sandbox.msg.stopped': 'Start it here, or select it in the cluster list.',
  'sandbox.msg.resetting': 'Deleting the old cluster for a fresh one…',
  'sandbox.msg.quitting': 'Kubedesk is quitting.',
  'sandbox.msg.saving': 'Saving snapshot “{name}”…',
  'sandbox.msg.restoring': 'Restoring snapshot “{name}”…',
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
  'nav.registry': "etcd registry",
  'registry.title': "etcd /registry",
  'registry.search': "Search keys",
  'registry.noMatch': "No key matches.",
  'registry.revision': "Revision",
  'registry.revisionNumber': "Revision number",
  'registry.live': "live",
  'registry.backToLive': "Back to live",
  'registry.travelling': "Showing the registry as it was at revision {revision}.",
  'registry.events': "Live events",
  'registry.copy': "Copy",
  'registry.pick': "Pick a key in the tree to see its value.",
  'registry.absent': "{key} does not exist at this revision.",
  'registry.value': "Value",
  'registry.createRevision': "Create revision",
  'registry.modRevision': "Mod revision",
  'registry.version': "Version",
  'registry.lease': "Lease",
  'registry.format': "Stored as",
  'registry.openObject': "Open in resources",
  'registry.history': "History",
  'registry.diffFrom': "From",
  'registry.diffTo': "To",
  'registry.diff': "Diff",
  'registry.truncated': "Older revisions were compacted away.",
  'registry.edit': "Edit in etcd…",
  'registry.write': "Write (compare-and-set)",
  'registry.cancel': "Cancel",
  'registry.writeWarning': "Writing to etcd bypasses the API server: no validation, no admission, no defaults. The write happens only if the key is still at mod revision {revision}.",
  'registry.written': "Written.",
  'registry.conflict': "Not written: the key changed since you read it. Reload and try again.",
  'registry.encrypted': "Encrypted at rest ({provider}): the API server holds the key, etcd cannot show it.",
  'registry.fieldNumbers': "Kind unknown to Kubedesk: fields by number ({error}).",
  'registry.otherEtcd': 'Another etcd…',
  'registry.endpoints': 'Endpoints',
  'registry.clientCert': 'Client certificate',
  'registry.clientKey': 'Client key',
  'registry.connect': 'Connect',
  'registry.sandboxEtcd': 'Sandbox etcd',
  'registry.unchanged': '⋯ {count} unchanged lines',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  ...tablesFr,
  ...objectFr,
  ...frameFr,
  ...shellFr,
  'app.title': 'Kubedesk',
  'clusters.title': 'Clusters',
  'clusters.none': 'Aucun cluster',
  'state.connecting': 'connexion en cours',
  'state.connected': 'connecté',
  'state.unreachable': 'injoignable',
  'state.auth-failed': 'authentification refusée',
  'state.stopped': 'arrêté',
  'clusters.sandboxStopped': 'Sélectionnez-le pour le démarrer.',
  'clusters.sandboxStarting': 'Démarrage…',
  'cluster.startSandbox': 'Démarrer le bac à sable',
  'clusters.reason.unreachable': 'impossible de joindre {server} : {detail}',
  'clusters.reason.refused': 'le serveur a refusé les identifiants (401 Unauthorized)',
  'clusters.reason.timeout': 'aucune réponse en 10 s',
  'sandbox.msg.stopped': 'Démarrez-le ici, ou sélectionnez-le dans la liste des clusters.',
  'sandbox.msg.resetting': 'Suppression de l’ancien cluster pour un cluster neuf…',
  'sandbox.msg.quitting': 'Kubedesk se ferme.',
  'sandbox.msg.saving': 'Enregistrement de l’instantané « {name} »…',
  'sandbox.msg.restoring': 'Restauration de l’instantané « {name} »…',
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
  'nav.registry': "Registre etcd",
  'registry.title': "etcd /registry",
  'registry.search': "Chercher une clé",
  'registry.noMatch': "Aucune clé ne correspond.",
  'registry.revision': "Révision",
  'registry.revisionNumber': "Numéro de révision",
  'registry.live': "en direct",
  'registry.backToLive': "Revenir au direct",
  'registry.travelling': "Le registre tel qu’il était à la révision {revision}.",
  'registry.events': "Événements en direct",
  'registry.copy': "Copier",
  'registry.pick': "Choisissez une clé dans l’arbre pour voir sa valeur.",
  'registry.absent': "{key} n’existe pas à cette révision.",
  'registry.value': "Valeur",
  'registry.createRevision': "Révision de création",
  'registry.modRevision': "Révision de modification",
  'registry.version': "Version",
  'registry.lease': "Bail",
  'registry.format': "Stocké en",
  'registry.openObject': "Ouvrir dans les ressources",
  'registry.history': "Historique",
  'registry.diffFrom': "De",
  'registry.diffTo': "À",
  'registry.diff': "Différences",
  'registry.truncated': "Les révisions plus anciennes ont été compactées.",
  'registry.edit': "Modifier dans etcd…",
  'registry.write': "Écrire (compare-and-set)",
  'registry.cancel': "Annuler",
  'registry.writeWarning': "Écrire dans etcd contourne l’API server : ni validation, ni admission, ni valeurs par défaut. L’écriture n’a lieu que si la clé est encore à la révision {revision}.",
  'registry.written': "Écrit.",
  'registry.conflict': "Non écrit : la clé a changé depuis votre lecture. Rechargez et recommencez.",
  'registry.encrypted': "Chiffré au repos ({provider}) : la clé est chez l’API server, etcd ne peut pas l’afficher.",
  'registry.fieldNumbers': "Type inconnu de Kubedesk : champs par numéro ({error}).",
  'registry.otherEtcd': 'Un autre etcd…',
  'registry.endpoints': 'Points d’accès',
  'registry.clientCert': 'Certificat client',
  'registry.clientKey': 'Clé client',
  'registry.connect': 'Se connecter',
  'registry.sandboxEtcd': 'etcd du sandbox',
  'registry.unchanged': '⋯ {count} lignes inchangées',
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

const LOCALE_KEY = 'kubedesk.locale';

class I18n {
  locale: Locale;
  constructor(initial: Locale) {
    this.locale = initial;
    makeAutoObservable(this);
  }
  /** Switches the UI's language and remembers it for the next page load (read by initialLocale). */
  setLocale(locale: Locale): void {
    this.locale = locale;
    if (typeof localStorage !== 'undefined') localStorage.setItem(LOCALE_KEY, locale);
  }
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);
}

function initialLocale(): Locale {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(LOCALE_KEY) : null;
  if (stored === 'fr' || stored === 'en') return stored;
  const lang = typeof navigator !== 'undefined' ? navigator.language : 'fr';
  return lang.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export const i18n = new I18n(initialLocale());
