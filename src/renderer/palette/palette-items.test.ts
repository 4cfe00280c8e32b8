import { describe, expect, it } from 'vitest';
import { fuzzyScore, matchesShortcut, rankItems, shortcutLabel, type PaletteItem } from './palette-items.js';

const item = (group: PaletteItem['group'], label: string, detail?: string): PaletteItem => ({ id: `${group}:${label}`, group, label, detail, run: () => undefined });

describe('palette ranking', () => {
  it('matches subsequences and prefers word starts and whole substrings', () => {
    expect(fuzzyScore('kdw', 'kubedesk-worker')).toBeDefined();
    expect(fuzzyScore('xyz', 'kubedesk-worker')).toBeUndefined();
    expect(fuzzyScore('depl', 'Deployments')!).toBeGreaterThan(fuzzyScore('depl', 'my-dep-log')!);
    expect(fuzzyScore('web', 'web-1')!).toBeGreaterThan(fuzzyScore('web', 'a-website-x')!);
  });

  it('ranks the best first and shows no objects for an empty query', () => {
    const items = [item('object', 'web-7d9f-abc', 'default · pods'), item('kind', 'Pods'), item('cluster', 'prod-eu'), item('action', 'Open a terminal')];
    expect(rankItems(items, '').map((i) => i.label)).toEqual(['Pods', 'prod-eu', 'Open a terminal']);
    expect(rankItems(items, 'pods')[0].label).toBe('Pods');
    expect(rankItems(items, 'web').map((i) => i.label)).toEqual(['web-7d9f-abc']);
    // The detail matches too, below label matches.
    expect(rankItems(items, 'default').map((i) => i.label)).toEqual(['web-7d9f-abc']);
    expect(rankItems(Array.from({ length: 500 }, (_, i) => item('object', `pod-${i}`)), 'pod', 20)).toHaveLength(20);
  });

  it('reads shortcuts on each platform', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(matchesShortcut(key('k', { ctrlKey: true }), 'Mod+K', false)).toBe(true);
    expect(matchesShortcut(key('K', { metaKey: true }), 'Mod+K', true)).toBe(true);
    expect(matchesShortcut(key('k', { ctrlKey: true }), 'Mod+K', true)).toBe(false);
    expect(matchesShortcut(key('k', { ctrlKey: true, shiftKey: true }), 'Mod+K', false)).toBe(false);
    expect(shortcutLabel('Mod+Shift+S', false)).toBe('Ctrl+Shift+S');
    expect(shortcutLabel('Mod+K', true)).toBe('⌘K');
  });
});
