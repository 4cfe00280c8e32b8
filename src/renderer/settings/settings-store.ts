// The settings as the UI sees them: loaded from the core, changed through it (the core writes the
// file and tells every window). Language and theme apply at once; the last cluster, kind and
// namespace are remembered as the user moves (AppStore.start opens there again).
import { makeAutoObservable, reaction, runInAction } from 'mobx';
import type { Settings, SettingsPatch, ThemeSetting } from '../../shared/rpc/settings-contract.js';
import type { RpcClient } from '../../shared/rpc/rpc-client.js';
import type { AppStore } from '../app-store.js';
import { i18n } from '../i18n.js';

export class SettingsUiStore {
  settings: Settings | undefined = undefined;
  error: string | undefined = undefined;
  saved = false;

  constructor(
    private readonly rpc: RpcClient,
    private readonly app: AppStore,
  ) {
    makeAutoObservable<SettingsUiStore, 'rpc' | 'app'>(this, { rpc: false, app: false });
    rpc.on('settings.changed', (s) => this.apply(s));
  }

  async load(): Promise<void> {
    const settings = await this.rpc.call('settings.get', {}).catch(() => undefined);
    if (!settings) return;
    this.apply(settings);
    // The language chosen anywhere (the top bar's menu too) is the one the next start uses.
    reaction(
      () => i18n.locale,
      (locale) => {
        if (this.settings && this.settings.language !== locale) void this.update({ language: locale }, false);
      },
    );
    // Where the user is, remembered for next time (debounced: clicking through kinds is one write).
    reaction(
      () => ({ lastClusterId: this.app.clusterId, lastKind: this.app.kind, lastNamespace: this.app.namespace, lastView: this.app.view }),
      (place) => {
        if (place.lastClusterId) void this.update(place, false);
      },
      { delay: 1000 },
    );
  }

  async update(patch: SettingsPatch, showSaved = true): Promise<boolean> {
    try {
      const next = await this.rpc.call('settings.update', patch);
      this.apply(next);
      runInAction(() => {
        this.error = undefined;
        this.saved = showSaved;
      });
      return true;
    } catch (error) {
      runInAction(() => (this.error = error instanceof Error ? error.message : String(error)));
      return false;
    }
  }

  setLanguage(locale: 'fr' | 'en'): void {
    i18n.setLocale(locale);
    void this.update({ language: locale });
  }

  setTheme(theme: ThemeSetting): void {
    void this.update({ theme });
  }

  addPath(path: string): Promise<boolean> {
    const paths = this.settings?.kubeconfigPaths ?? [];
    return this.update({ kubeconfigPaths: [...paths, path.trim()] });
  }

  removePath(path: string): Promise<boolean> {
    return this.update({ kubeconfigPaths: (this.settings?.kubeconfigPaths ?? []).filter((p) => p !== path) });
  }

  private apply(settings: Settings): void {
    this.settings = settings;
    if (settings.language && settings.language !== i18n.locale) {
      i18n.setLocale(settings.language);
    }
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = settings.theme;
  }
}
