// Where the desktop window was and how big: saved on close, restored at start, ignored when the
// file is missing or damaged (a fresh default window is better than a crash).
import { readFileSync } from 'node:fs';
import { mkdir, writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };

export function loadWindowState(path: string): WindowState {
  try {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof raw !== 'object' || raw === null) return DEFAULT_WINDOW_STATE;
    const r = raw as Record<string, unknown>;
    const num = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.round(v) : undefined);
    const width = num(r.width, 400);
    const height = num(r.height, 300);
    if (!width || !height) return DEFAULT_WINDOW_STATE;
    return { x: num(r.x, -10_000), y: num(r.y, -10_000), width, height, maximized: r.maximized === true };
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export async function saveWindowState(path: string, state: WindowState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write then rename: a crash mid-write leaves the previous state, never half a file.
  await writeFile(`${path}.tmp`, JSON.stringify(state));
  await rename(`${path}.tmp`, path);
}
