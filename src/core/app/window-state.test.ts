import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, placeOnScreen, saveWindowState } from './window-state.js';

describe('window state', () => {
  it('round-trips, and falls back to the default on a missing or damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubedesk-win-'));
    const path = join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(path)).toEqual(DEFAULT_WINDOW_STATE);
    await saveWindowState(path, { x: 10, y: 20, width: 900, height: 700, maximized: true });
    expect(loadWindowState(path)).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    await writeFile(path, '{"width": 5, "height": "big"}');
    expect(loadWindowState(path)).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(path, 'not json');
    expect(loadWindowState(path)).toEqual(DEFAULT_WINDOW_STATE);
    await rm(dir, { recursive: true, force: true });
  });

  it('moves a window saved on a vanished monitor back where it can be seen', () => {
    const laptop = [{ x: 0, y: 0, width: 1440, height: 870 }];
    const docked = { x: 2000, y: 100, width: 1800, height: 1000, maximized: false };
    expect(placeOnScreen(docked, laptop)).toEqual({ width: 1440, height: 870, maximized: false });
    expect(placeOnScreen(docked, [...laptop, { x: 1440, y: 0, width: 2560, height: 1400 }])).toEqual(docked);
    // Only its far edge is visible: not enough to grab it.
    expect(placeOnScreen({ x: 1400, y: 10, width: 800, height: 600, maximized: false }, laptop)).toEqual({ width: 800, height: 600, maximized: false });
    expect(placeOnScreen({ x: 100, y: 100, width: 800, height: 600, maximized: true }, laptop)).toEqual({ x: 100, y: 100, width: 800, height: 600, maximized: true });
  });
});
