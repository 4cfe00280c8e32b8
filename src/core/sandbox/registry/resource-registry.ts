// The set of resources the API server serves: built-in ones and, as their CRDs become Established,
// custom ones. Lookups by group/version/plural (URLs), by short name and by kind.
import type { ResourceDef } from './types.js';

export interface ResourceRegistryChange {
  added: ResourceDef[];
  removed: ResourceDef[];
}

export class ResourceRegistry {
  private readonly byKey = new Map<string, ResourceDef>();
  private listeners = new Set<(change: ResourceRegistryChange) => void>();

  constructor(defs: ResourceDef[]) {
    for (const def of defs) this.byKey.set(keyOf(def.group, def.plural), def);
  }

  all(): ResourceDef[] {
    return [...this.byKey.values()];
  }

  /** The resource for a URL's group/version/plural, or undefined when that version is not served. */
  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    const def = this.byKey.get(keyOf(group, plural));
    return def && def.versions.includes(version) ? def : undefined;
  }

  byGroupResource(group: string, plural: string): ResourceDef | undefined {
    return this.byKey.get(keyOf(group, plural));
  }

  byKind(group: string, kind: string): ResourceDef | undefined {
    for (const def of this.byKey.values()) if (def.group === group && def.kind === kind) return def;
    return undefined;
  }

  /** Groups in discovery order (core first, then the order resources were registered). */
  groups(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const def of this.byKey.values()) {
      const versions = groups.get(def.group) ?? [];
      for (const v of def.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(def.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions: sortVersions(versions) }));
  }

  add(def: ResourceDef): void {
    const key = keyOf(def.group, def.plural);
    const previous = this.byKey.get(key);
    this.byKey.set(key, def);
    this.emit({ added: [def], removed: previous ? [previous] : [] });
  }

  remove(group: string, plural: string): void {
    const key = keyOf(group, plural);
    const previous = this.byKey.get(key);
    if (!previous) return;
    this.byKey.delete(key);
    this.emit({ added: [], removed: [previous] });
  }

  onDidChange(listener: (change: ResourceRegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ResourceRegistryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function keyOf(group: string, plural: string): string {
  return `${group}/${plural}`;
}

/** Kubernetes' version priority: GA > beta > alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [sa, ma, na] = rank(a);
    const [sb, mb, nb] = rank(b);
    return sb - sa || mb - ma || nb - na;
  });
}
