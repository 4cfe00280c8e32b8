// What the command palette can jump to, and how typed text ranks it: a subsequence match scored
// for word starts and adjacent letters (as VS Code's and Lens's palettes do), so "kdw" finds
// "kubedesk-worker" and "depl" finds "Deployments".

export type PaletteGroup = 'cluster' | 'kind' | 'namespace' | 'object' | 'action';

export interface PaletteItem {
  id: string;
  group: PaletteGroup;
  label: string;
  /** Shown dimmed after the label (namespace, server, kind...). */
  detail?: string;
  /** Also matched, not shown (e.g. the English name of a translated action). */
  keywords?: string;
  /** A keyboard shortcut that does the same, shown at the right. */
  shortcut?: string;
  run(): void;
}

/** Higher is better; undefined when `query` is not a subsequence of `text`. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (q === '') return 0;
  const exact = t.indexOf(q);
  if (exact >= 0) return 1000 - exact + (exact === 0 || /[\s\-./:_]/.test(t[exact - 1]) ? 500 : 0) - t.length / 100;
  let score = 0;
  let ti = 0;
  let previous = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return undefined;
    const wordStart = found === 0 || /[\s\-./:_]/.test(t[found - 1]);
    score += found === previous + 1 ? 8 : wordStart ? 6 : 1;
    previous = found;
    ti = found + 1;
  }
  return score - t.length / 100;
}

const GROUP_ORDER: Record<PaletteGroup, number> = { action: 0, cluster: 1, kind: 2, namespace: 3, object: 4 };

/** The best `limit` items for `query`; with no query, actions, clusters and kinds in their order. */
export function rankItems(items: PaletteItem[], query: string, limit = 50): PaletteItem[] {
  const q = query.trim();
  if (q === '') return items.filter((i) => i.group !== 'object').slice(0, limit);
  const scored: { item: PaletteItem; score: number }[] = [];
  for (const item of items) {
    const main = fuzzyScore(q, item.label);
    const extra = fuzzyScore(q, `${item.detail ?? ''} ${item.keywords ?? ''}`);
    const score = main ?? (extra === undefined ? undefined : extra - 200);
    if (score !== undefined) scored.push({ item, score });
  }
  scored.sort((a, b) => b.score - a.score || GROUP_ORDER[a.item.group] - GROUP_ORDER[b.item.group] || a.item.label.localeCompare(b.item.label));
  return scored.slice(0, limit).map((s) => s.item);
}

/** "Mod+K" shown as the platform says it. */
export function shortcutLabel(shortcut: string, mac: boolean): string {
  return shortcut.replace('Mod', mac ? '⌘' : 'Ctrl').replace('Shift', mac ? '⇧' : 'Shift').replace(/\+/g, mac ? '' : '+');
}

/** Does this key event press `shortcut` ("Mod+K", "Mod+,", "Mod+Shift+S")? */
export function matchesShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, shortcut: string, mac: boolean): boolean {
  const parts = shortcut.split('+');
  const key = parts.at(-1)?.toLowerCase();
  const wantsShift = parts.includes('Shift');
  const mod = mac ? event.metaKey : event.ctrlKey;
  return mod && !event.altKey && event.shiftKey === wantsShift && event.key.toLowerCase() === key;
}
