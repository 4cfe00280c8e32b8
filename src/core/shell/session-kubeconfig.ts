// The kubeconfig a terminal session runs with: only the selected context (its cluster and user as the
// user wrote them: proxy-url, exec plugins, certificate files), the namespace picked in the app, in a
// file only the user can read, removed when the session ends.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

interface Exported {
  clusters: { name: string }[];
  users: { name: string }[];
  contexts: { name: string; context: { cluster: string; user?: string; namespace?: string } }[];
}

/** The YAML-equivalent JSON (kubectl reads JSON kubeconfigs) for one context of `config`. */
export function sessionKubeconfigText(config: KubeConfig, namespace?: string): string {
  const exported = JSON.parse(config.exportConfig()) as Exported;
  const current = config.getCurrentContext();
  const ctx = exported.contexts.find((c) => c.name === current);
  if (!ctx) throw new Error(`the kubeconfig has no context "${current}": pick another cluster`);
  const context = { ...ctx.context, namespace: namespace ?? ctx.context.namespace };
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: exported.clusters.filter((c) => c.name === ctx.context.cluster),
      users: exported.users.filter((u) => u.name === ctx.context.user),
      contexts: [{ name: current, context }],
      'current-context': current,
    },
    null,
    2,
  );
}

/** Writes the session's kubeconfig (mode 0600 inside a 0700 directory) and answers its path. */
export function writeSessionKubeconfig(dir: string, sessionId: string, config: KubeConfig, namespace?: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${sessionId}.kubeconfig`);
  writeFileSync(path, sessionKubeconfigText(config, namespace), { mode: 0o600 });
  return path;
}

export function removeSessionKubeconfig(path: string): void {
  rmSync(path, { force: true });
}
