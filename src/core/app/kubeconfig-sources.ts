// Every kubeconfig context the app lists: the default set ($KUBECONFIG's paths, then ~/.kube/config,
// merged with kubectl's rules) plus the files and folders the user added, each file on its own (two
// added files may both name a context "admin": they stay two clusters).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKubeconfigs, type KubeconfigContext } from './kubeconfig.js';

export interface SourcedContext extends KubeconfigContext {
  /** 'kubeconfig:<context>' for the default set, 'file:<path>#<context>' for an added file. */
  id: string;
  /** The added file it comes from (absent for the default set). */
  file?: string;
  /** The default set's current-context. */
  current?: boolean;
}

/** Files of an added folder: regular files, not hidden, not editor backups. */
export function filesOf(path: string): string[] {
  let info;
  try {
    info = statSync(path);
  } catch {
    return [];
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/(~|\.bak|\.swp|\.tmp)$/.test(e.name))
    .map((e) => join(path, e.name))
    .sort();
}

export function loadAllContexts(defaultPaths: string[], addedPaths: string[]): { contexts: SourcedContext[]; problems: string[] } {
  const merged = loadKubeconfigs(defaultPaths);
  const contexts: SourcedContext[] = merged.contexts.map((c) => ({ ...c, id: `kubeconfig:${c.name}`, ...(c.name === merged.currentContext ? { current: true } : {}) }));
  const problems = [...merged.problems];
  const defaults = new Set(defaultPaths.map((p) => resolve(p)));
  const seenFiles = new Set<string>();
  for (const added of addedPaths) {
    const files = filesOf(added);
    if (files.length === 0) problems.push(`${added} (added in the settings) is neither a readable file nor a folder with files`);
    for (const file of files) {
      // Already listed through $KUBECONFIG or ~/.kube/config, or through another added folder.
      if (defaults.has(resolve(file)) || seenFiles.has(file)) continue;
      seenFiles.add(file);
      const one = loadKubeconfigs([file]);
      problems.push(...one.problems);
      for (const c of one.contexts) contexts.push({ ...c, id: `file:${file}#${c.name}`, file });
    }
  }
  return { contexts, problems };
}
