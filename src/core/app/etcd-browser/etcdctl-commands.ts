// The etcdctl command that shows what a view shows, so the course's commands stay one click away.

export interface EtcdctlTarget {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** Quotes for a POSIX shell only when needed, so simple commands read as the course prints them. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function etcdctlBase(target: EtcdctlTarget): string {
  const flags = ['ETCDCTL_API=3', 'etcdctl'];
  if (target.caFile) flags.push('--cacert', shellQuote(target.caFile));
  if (target.certFile) flags.push('--cert', shellQuote(target.certFile));
  if (target.keyFile) flags.push('--key', shellQuote(target.keyFile));
  flags.push('--endpoints', shellQuote(target.endpoints.join(',')));
  return flags.join(' ');
}

const rev = (revision: number | undefined): string => (revision ? ` --rev=${revision}` : '');

export const etcdctl = {
  list: (base: string, prefix: string, revision?: number) => `${base} get ${shellQuote(prefix)} --prefix --keys-only${rev(revision)}`,
  get: (base: string, key: string, revision?: number) => `${base} get ${shellQuote(key)} -w json${rev(revision)}`,
  search: (base: string, query: string, revision?: number) => `${base} get /registry/ --prefix --keys-only${rev(revision)} | grep -F ${shellQuote(query)}`,
  history: (base: string, key: string, createRevision: number) => `${base} watch ${shellQuote(key)} --rev=${createRevision}`,
  watch: (base: string, prefix: string) => `${base} watch ${shellQuote(prefix)} --prefix`,
  put: (base: string, key: string, modRevision: number) =>
    `${base} txn <<'EOF'\nmod("${key}") = "${modRevision}"\n\nput ${key} '<value>'\n\n\nEOF`,
};
