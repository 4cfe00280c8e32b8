// The app's settings: one JSON file in the data dir, versioned, written atomically (temp file,
// fsync, rename) so a crash never leaves half a file. A damaged file is moved aside, not lost, and
// the app starts with defaults; a file from a newer Kubedesk is read for the fields we know.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import type { LanguageSetting, Settings, SettingsPatch, ThemeSetting, ViewSetting, WindowStateSetting } from '../../shared/rpc/settings-contract.js';
import { toDisposable, type Disposable } from '../../shared/disposable.js';

export const SETTINGS_VERSION = 1;
export const DEFAULT_SETTINGS: Settings = { theme: 'system', kubeconfigPaths: [] };

const THEMES: readonly ThemeSetting[] = ['system', 'light', 'dark'];
const LANGUAGES: readonly LanguageSetting[] = ['fr', 'en'];
const VIEWS: readonly ViewSetting[] = ['resources', 'overview', 'registry'];

export class SettingsError extends Error {
  readonly code = 'bad-params';
}

function windowState(value: unknown): WindowStateSetting | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const num = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.round(v) : undefined);
  const width = num(r.width, 400);
  const height = num(r.height, 300);
  if (!width || !height) return undefined;
  return { x: num(r.x, -10_000), y: num(r.y, -10_000), width, height, maximized: r.maximized === true };
}

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' && v.length < 4096 ? v : undefined);

/** Keeps what is valid from something read from disk; never throws. */
export function sanitizeSettings(raw: unknown): Settings {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const paths = Array.isArray(r.kubeconfigPaths) ? r.kubeconfigPaths.filter((p): p is string => typeof p === 'string' && isAbsolute(p)) : [];
  const settings: Settings = {
    theme: THEMES.includes(r.theme as ThemeSetting) ? (r.theme as ThemeSetting) : 'system',
    kubeconfigPaths: [...new Set(paths)],
  };
  if (LANGUAGES.includes(r.language as LanguageSetting)) settings.language = r.language as LanguageSetting;
  if (VIEWS.includes(r.lastView as ViewSetting)) settings.lastView = r.lastView as ViewSetting;
  for (const key of ['lastClusterId', 'lastKind', 'lastNamespace'] as const) {
    const value = r[key];
    // An empty lastNamespace means "all namespaces": a choice worth keeping.
    if (key === 'lastNamespace' && value === '') settings[key] = '';
    else if (optionalString(value) !== undefined) settings[key] = value as string;
  }
  const win = windowState(r.window);
  if (win) settings.window = win;
  return settings;
}

/** Applies a patch from the UI, refusing (with why) what is not valid rather than guessing. */
export function applySettingsPatch(current: Settings, patch: unknown): Settings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new SettingsError('settings.update: params must be an object of settings to change');
  const p = patch as Record<string, unknown>;
  const next: Settings = { ...current, kubeconfigPaths: [...current.kubeconfigPaths] };
  for (const [key, value] of Object.entries(p)) {
    switch (key) {
      case 'language':
        if (value === null) delete next.language;
        else if (LANGUAGES.includes(value as LanguageSetting)) next.language = value as LanguageSetting;
        else throw new SettingsError(`settings.update: language must be one of ${LANGUAGES.join(', ')}`);
        break;
      case 'theme':
        if (!THEMES.includes(value as ThemeSetting)) throw new SettingsError(`settings.update: theme must be one of ${THEMES.join(', ')}`);
        next.theme = value as ThemeSetting;
        break;
      case 'kubeconfigPaths':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && isAbsolute(v))) {
          throw new SettingsError('settings.update: kubeconfigPaths must be a list of absolute paths (files or folders)');
        }
        next.kubeconfigPaths = [...new Set(value as string[])];
        break;
      case 'lastClusterId':
      case 'lastKind':
      case 'lastNamespace':
        if (value === null) delete next[key];
        else if (typeof value === 'string' && value.length < 4096) next[key] = value;
        else throw new SettingsError(`settings.update: ${key} must be a string`);
        break;
      case 'lastView':
        if (value === null) delete next.lastView;
        else if (VIEWS.includes(value as ViewSetting)) next.lastView = value as ViewSetting;
        else throw new SettingsError(`settings.update: lastView must be one of ${VIEWS.join(', ')}`);
        break;
      case 'window': {
        if (value === null) {
          delete next.window;
          break;
        }
        const win = windowState(value);
        if (!win) throw new SettingsError('settings.update: window needs a width of at least 400 and a height of at least 300');
        next.window = win;
        break;
      }
      default:
        throw new SettingsError(`settings.update: unknown setting "${key}"`);
    }
  }
  return next;
}

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private writing: Promise<void> = Promise.resolve();
  /** Why the file could not be used as it was (shown once in the log). */
  readonly problems: string[] = [];

  private constructor(readonly path: string, initial: Settings) {
    this.current = initial;
  }

  /** Reads the file synchronously: the window and the first views need the settings before anything else. */
  static load(path: string): SettingsStore {
    const problems: string[] = [];
    let settings = { ...DEFAULT_SETTINGS, kubeconfigPaths: [] as string[] };
    if (existsSync(path)) {
      try {
        const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
        const version = (raw as { version?: unknown } | null)?.version;
        if (typeof version === 'number' && version > SETTINGS_VERSION) {
          problems.push(`${path} was written by a newer Kubedesk (settings version ${version}); the settings this version knows are used`);
        }
        settings = sanitizeSettings(raw);
      } catch (error) {
        const aside = `${path}.damaged-${Date.now()}`;
        try {
          renameSync(path, aside);
          problems.push(`${path} could not be read (${(error as Error).message}); it was moved to ${aside} and default settings are used`);
        } catch {
          problems.push(`${path} could not be read (${(error as Error).message}); default settings are used`);
        }
      }
    }
    const store = new SettingsStore(path, settings);
    store.problems.push(...problems);
    return store;
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Validates, applies, tells listeners, and resolves once the file is on disk. */
  async update(patch: SettingsPatch | unknown): Promise<Settings> {
    this.current = applySettingsPatch(this.current, patch);
    const snapshot = this.get();
    for (const listener of this.listeners) listener(snapshot);
    await this.save();
    return snapshot;
  }

  onChange(listener: (settings: Settings) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** Writes are serialized: the last update always ends on disk, never an older one. */
  save(): Promise<void> {
    const text = `${JSON.stringify({ version: SETTINGS_VERSION, ...this.current }, null, 2)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => writeAtomically(this.path, text));
    return this.writing;
  }
}

export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
