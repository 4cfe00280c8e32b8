// Kubeconfig files merged the way kubectl merges them: files in order, the first file that names a
// cluster, user or context wins, the first current-context set wins, and relative file references
// resolve against the file that holds them.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';

export interface KubeconfigContext {
  name: string;
  cluster: string;
  server: string;
  namespace?: string;
  /** A KubeConfig whose current context is this one: what the watch service connects with. */
  config: KubeConfig;
}

export interface MergedKubeconfig {
  contexts: KubeconfigContext[];
  currentContext?: string;
  /** Files that exist but could not be read or parsed, with why: shown to the user, never fatal. */
  problems: string[];
}

/**
 * $KUBECONFIG's paths (kubectl's precedence), then ~/.kube/config when $KUBECONFIG does not already
 * name it: the app lists the user's default contexts even when $KUBECONFIG points elsewhere.
 */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.length > 0).map((p) => resolve(p));
  const fallback = join(home, '.kube', 'config');
  return fromEnv.includes(fallback) ? fromEnv : [...fromEnv, fallback];
}

type Named = { name?: unknown; [key: string]: unknown };

const FILE_FIELDS: Record<'cluster' | 'user', string[]> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

function resolveFiles(section: unknown, fields: string[], base: string): void {
  if (typeof section !== 'object' || section === null) return;
  const s = section as Record<string, unknown>;
  for (const field of fields) {
    const value = s[field];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) s[field] = join(base, value);
  }
}

/** As kubectl: an exec command with a path separator but not absolute is relative to its kubeconfig file. */
function resolveExecCommand(user: unknown, base: string): void {
  const exec = typeof user === 'object' && user !== null ? (user as Record<string, unknown>).exec : undefined;
  if (typeof exec !== 'object' || exec === null) return;
  const e = exec as Record<string, unknown>;
  if (typeof e.command === 'string' && /[\\/]/.test(e.command) && !isAbsolute(e.command)) e.command = join(base, e.command);
}

export function loadKubeconfigs(paths: string[]): MergedKubeconfig {
  const merged = { clusters: new Map<string, Named>(), users: new Map<string, Named>(), contexts: new Map<string, Named>() };
  let currentContext: string | undefined;
  const problems: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot read ${path}: ${(error as Error).message}`);
      continue;
    }
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (error) {
      problems.push(`${path} is not valid YAML: ${(error as Error).message}`);
      continue;
    }
    if (typeof doc !== 'object' || doc === null) continue;
    const d = doc as Record<string, unknown>;
    const base = dirname(path);
    for (const [key, inner] of [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const) {
      const list = d[key];
      if (!Array.isArray(list)) continue;
      for (const entry of list as Named[]) {
        if (typeof entry?.name !== 'string' || merged[key].has(entry.name)) continue;
        if (inner !== 'context') resolveFiles(entry[inner], FILE_FIELDS[inner], base);
        if (inner === 'user') resolveExecCommand(entry.user, base);
        merged[key].set(entry.name, entry);
      }
    }
    if (currentContext === undefined && typeof d['current-context'] === 'string' && d['current-context'] !== '') currentContext = d['current-context'];
  }

  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...merged.clusters.values()],
    users: [...merged.users.values()],
    contexts: [...merged.contexts.values()],
  });
  const contexts: KubeconfigContext[] = [];
  for (const [name, entry] of merged.contexts) {
    const ctx = (entry.context ?? {}) as Record<string, unknown>;
    const clusterName = typeof ctx.cluster === 'string' ? ctx.cluster : '';
    const cluster = merged.clusters.get(clusterName)?.cluster as Record<string, unknown> | undefined;
    if (!cluster) {
      problems.push(`context "${name}" names cluster "${clusterName}", which no kubeconfig file defines`);
      continue;
    }
    const config = new KubeConfig();
    try {
      config.loadFromString(text);
      config.setCurrentContext(name);
    } catch (error) {
      problems.push(`context "${name}" cannot be loaded: ${(error as Error).message}`);
      continue;
    }
    contexts.push({
      name,
      cluster: clusterName,
      server: typeof cluster.server === 'string' ? cluster.server : '',
      namespace: typeof ctx.namespace === 'string' ? ctx.namespace : undefined,
      config,
    });
  }
  return { contexts, currentContext, problems };
}

/** One kubeconfig file, one context: how the app reaches its own sandbox. */
export function loadSingleContext(path: string, contextName: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  config.setCurrentContext(contextName);
  return config;
}
