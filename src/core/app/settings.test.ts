import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_VERSION, SettingsStore } from './settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-settings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('settings', () => {
  it('starts from defaults, persists updates atomically with a version, and reads them back', async () => {
    const path = join(dir, 'settings.json');
    const store = SettingsStore.load(path);
    expect(store.get()).toEqual({ theme: 'system', kubeconfigPaths: [] });
    const heard: unknown[] = [];
    store.onChange((s) => heard.push(s.language));
    await store.update({ language: 'fr', theme: 'dark', kubeconfigPaths: ['/clusters/a', '/clusters/a', '/clusters/b'], lastClusterId: 'sandbox', lastKind: 'pods', lastNamespace: '', lastView: 'overview' });
    await store.update({ window: { x: 10, y: 20, width: 1000, height: 700, maximized: true } });
    expect(heard).toEqual(['fr', 'fr']);
    const onDisk = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ version: SETTINGS_VERSION, language: 'fr', theme: 'dark', kubeconfigPaths: ['/clusters/a', '/clusters/b'], lastNamespace: '', lastView: 'overview' });
    // No temporary file left behind.
    expect(await readdir(dir)).toEqual(['settings.json']);
    const again = SettingsStore.load(path);
    expect(again.get()).toEqual(store.get());
    expect(again.get().window).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    await again.update({ language: null });
    expect(SettingsStore.load(path).get().language).toBeUndefined();
  });

  it('refuses invalid changes with the reason and keeps the previous settings', async () => {
    const store = SettingsStore.load(join(dir, 'settings.json'));
    await expect(store.update({ theme: 'pink' })).rejects.toThrow('theme must be one of system, light, dark');
    await expect(store.update({ kubeconfigPaths: ['relative/path'] })).rejects.toThrow('absolute paths');
    await expect(store.update({ colour: 'blue' })).rejects.toThrow('unknown setting "colour"');
    await expect(store.update({ window: { width: 10, height: 10 } })).rejects.toThrow('width of at least 400');
    await expect(store.update({ lastView: 'settings' })).rejects.toThrow('lastView must be one of resources, overview, registry');
    expect(store.get()).toEqual({ theme: 'system', kubeconfigPaths: [] });
  });

  it('moves a damaged file aside and uses defaults; reads what it knows from a newer version', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(path, '{"version": 1, "theme": "da');
    const store = SettingsStore.load(path);
    expect(store.get().theme).toBe('system');
    expect(store.problems[0]).toMatch(/could not be read .* moved to .*settings\.json\.damaged-\d+/);
    expect((await readdir(dir)).some((f) => f.startsWith('settings.json.damaged-'))).toBe(true);

    await writeFile(path, JSON.stringify({ version: 99, theme: 'light', futureThing: { a: 1 }, kubeconfigPaths: ['/x', 3] }));
    const newer = SettingsStore.load(path);
    expect(newer.get()).toEqual({ theme: 'light', kubeconfigPaths: ['/x'] });
    expect(newer.problems[0]).toContain('written by a newer Kubedesk (settings version 99)');
  });

  it('ends with the last update on disk when updates overlap', async () => {
    const path = join(dir, 'settings.json');
    const store = SettingsStore.load(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update({ lastKind: `kind-${i}` })));
    expect(JSON.parse(await readFile(path, 'utf8')).lastKind).toBe('kind-19');
  });
});
