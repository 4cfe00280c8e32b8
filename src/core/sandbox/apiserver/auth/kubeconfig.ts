// Writes the sandbox's entry into a kubeconfig, merging with whatever is already in the file (other
// clusters, users and contexts survive) and making the sandbox the current context.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Pki } from './pki.js';

export const DEFAULT_CONTEXT_NAME = 'kubedesk-sandbox';

export interface KubeconfigOptions {
  /** e.g. "https://127.0.0.1:6443". */
  server: string;
  pki: Pick<Pki, 'caCert' | 'adminCert' | 'adminKey'>;
  contextName?: string;
  clusterName?: string;
  userName?: string;
  namespace?: string;
  /** Credentials other than the admin certificate (e.g. from pki.issueClientCertificate). */
  clientCert?: { cert: string; key: string };
  /** A bearer token instead of a client certificate (e.g. a ServiceAccount token). */
  token?: string;
  /** Make the new context current (default true). */
  setCurrent?: boolean;
}

interface Named {
  name: string;
  [field: string]: unknown;
}

function b64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namedList(value: unknown): Named[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Named => isRecord(v) && typeof v.name === 'string');
}

function upsert(list: Named[], entry: Named): Named[] {
  const index = list.findIndex((e) => e.name === entry.name);
  if (index < 0) return [...list, entry];
  const copy = [...list];
  copy[index] = entry;
  return copy;
}

/** Build the merged kubeconfig document (pure, for tests and previews). */
export function mergeKubeconfig(existing: unknown, options: KubeconfigOptions): Record<string, unknown> {
  const base: Record<string, unknown> = isRecord(existing) ? { ...existing } : {};
  const contextName = options.contextName ?? DEFAULT_CONTEXT_NAME;
  const clusterName = options.clusterName ?? contextName;
  const userName = options.userName ?? contextName;
  const credentials = options.clientCert ?? { cert: options.pki.adminCert, key: options.pki.adminKey };
  const context: Record<string, unknown> = { cluster: clusterName, user: userName };
  if (options.namespace) context.namespace = options.namespace;

  const merged: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: isRecord(base.preferences) ? base.preferences : {},
    ...base,
    clusters: upsert(namedList(base.clusters), {
      name: clusterName,
      cluster: { 'certificate-authority-data': b64(options.pki.caCert), server: options.server },
    }),
    users: upsert(namedList(base.users), {
      name: userName,
      user:
        options.token !== undefined
          ? { token: options.token }
          : { 'client-certificate-data': b64(credentials.cert), 'client-key-data': b64(credentials.key) },
    }),
    contexts: upsert(namedList(base.contexts), { name: contextName, context }),
  };
  if (options.setCurrent !== false || typeof merged['current-context'] !== 'string' || merged['current-context'] === '') {
    merged['current-context'] = contextName;
  }
  return merged;
}

/**
 * Write (or merge into) the kubeconfig at `path`, mode 0600 since it embeds a private key.
 * A file that is not valid YAML is not overwritten: the error says so, so that the user's own
 * configuration is never lost.
 */
export async function writeKubeconfig(linkOrPath: string, options: KubeconfigOptions): Promise<void> {
  // Write through a symlinked kubeconfig (dotfile setups) instead of replacing the link.
  const path = await realpath(linkOrPath).catch(() => linkOrPath);
  let existing: unknown;
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read kubeconfig ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (text !== undefined && text.trim() !== '') {
    try {
      existing = parse(text);
    } catch (error) {
      throw new Error(`Kubeconfig ${path} is not valid YAML (${(error as Error).message}); fix or move it, then retry.`, { cause: error });
    }
  }
  const doc = mergeKubeconfig(existing, options);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, stringify(doc, { lineWidth: 0 }), { mode: 0o600 });
  await rename(tmp, path);
}
