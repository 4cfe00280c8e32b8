import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from './window-state.js';

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
});
