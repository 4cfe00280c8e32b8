// The app's settings as the UI reads and changes them. Stored by the core (settings.json in the data
// dir); the UI never writes files itself.

export type ThemeSetting = 'system' | 'light' | 'dark';
export type LanguageSetting = 'fr' | 'en';
export type ViewSetting = 'resources' | 'overview' | 'registry';

export interface WindowStateSetting {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Settings {
  language?: LanguageSetting;
  theme: ThemeSetting;
  /** Kubeconfig files or folders the user added, beside ~/.kube/config and $KUBECONFIG. */
  kubeconfigPaths: string[];
  lastClusterId?: string;
  lastKind?: string;
  lastNamespace?: string;
  /** The main view left: a kind's table, the overview or the etcd registry. */
  lastView?: ViewSetting;
  /** The desktop window (Electron only). */
  window?: WindowStateSetting;
}

/** What an update may change: every field optional; `null` clears an optional one. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] | null;
};

export interface SettingsRpcMethods {
  'settings.get': { params: Record<string, never>; result: Settings };
  'settings.update': { params: SettingsPatch; result: Settings };
}

export interface SettingsRpcEvents {
  'settings.changed': Settings;
}

export const SETTINGS_METHOD_NAMES = ['settings.get', 'settings.update'] as const satisfies readonly (keyof SettingsRpcMethods)[];
