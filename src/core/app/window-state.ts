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

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The saved state, moved back onto a screen: a window saved on a monitor that is gone (a laptop
 * undocked) would open out of sight. Keeps the position when at least 100×50 px of the title bar
 * area are on some display's work area; otherwise lets the OS place it, shrunk to fit.
 */
export function placeOnScreen(state: WindowState, workAreas: Area[]): WindowState {
  const largest = [...workAreas].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  const width = largest ? Math.min(state.width, largest.width) : state.width;
  const height = largest ? Math.min(state.height, largest.height) : state.height;
  if (state.x === undefined || state.y === undefined) return { ...state, width, height };
  const { x, y } = state;
  const visible = workAreas.some((a) => {
    const overlapX = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    const overlapY = Math.min(y + 50, a.y + a.height) - Math.max(y, a.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { ...state, width, height } : { width, height, maximized: state.maximized };
}
