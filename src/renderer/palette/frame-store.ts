// The app's frame around the views: which of its own pages is open (Sandbox, Settings), the command
// palette and what it lists, and the global shortcuts. Installed once by the renderer's entry.
import { makeAutoObservable, reaction } from 'mobx';
import type { RpcClient } from '../../shared/rpc/rpc-client.js';
import type { AppStore } from '../app-store.js';
import type { ShellStore } from '../shell/shell-store.js';
import { i18n, type MessageKey } from '../i18n.js';
import { watchId } from '../kinds/kind-view.js';
import { SandboxStore } from '../sandbox/sandbox-store.js';
import { SettingsUiStore } from '../settings/settings-store.js';
import { matchesShortcut, type PaletteItem } from './palette-items.js';

export type FramePage = 'sandbox' | 'settings';

/** Objects offered by the palette at most (the loaded caches can hold 50,000 pods). */
const MAX_OBJECTS = 20_000;

export const SHORTCUTS = {
  palette: 'Mod+K',
  settings: 'Mod+,',
  sandbox: 'Mod+Shift+S',
} as const;

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export class FrameStore {
  page: FramePage | undefined = undefined;
  paletteOpen = false;
  readonly sandbox: SandboxStore;
  readonly settings: SettingsUiStore;

  constructor(
    readonly rpc: RpcClient,
    readonly app: AppStore,
    readonly shell: ShellStore,
  ) {
    this.sandbox = new SandboxStore(rpc);
    this.settings = new SettingsUiStore(rpc, app);
    makeAutoObservable(this, { rpc: false, app: false, shell: false, sandbox: false, settings: false });
    // Choosing a kind, view or cluster elsewhere leaves the frame's own page.
    reaction(
      () => [app.view, app.kind, app.clusterId, app.selectedUid],
      () => this.closePage(),
    );
  }

  openPage(page: FramePage): void {
    this.page = page;
    this.paletteOpen = false;
    if (page === 'sandbox') this.sandbox.open();
  }

  closePage(): void {
    if (this.page === 'sandbox') this.sandbox.close();
    this.page = undefined;
  }

  openPalette(): void {
    this.paletteOpen = true;
  }

  closePalette(): void {
    this.paletteOpen = false;
  }

  /** Global keys: the palette, settings and sandbox pages from anywhere. */
  handleKey(event: KeyboardEvent): boolean {
    if (matchesShortcut(event, SHORTCUTS.palette, isMac)) {
      if (this.paletteOpen) this.closePalette();
      else this.openPalette();
      return true;
    }
    if (matchesShortcut(event, SHORTCUTS.settings, isMac)) {
      this.openPage('settings');
      return true;
    }
    if (matchesShortcut(event, SHORTCUTS.sandbox, isMac)) {
      this.openPage('sandbox');
      return true;
    }
    return false;
  }

  get items(): PaletteItem[] {
    const { t } = i18n;
    const app = this.app;
    const items: PaletteItem[] = [...this.actions()];
    for (const c of app.clusters) {
      items.push({ id: `cluster:${c.id}`, group: 'cluster', label: c.name, detail: `${t(`state.${c.state}` as MessageKey)} · ${c.server || c.source}`, run: () => void app.selectCluster(c.id) });
    }
    for (const v of app.views) {
      const title = typeof v.title === 'string' ? t(v.title) : v.title.text;
      items.push({ id: `kind:${v.name}`, group: 'kind', label: title, detail: v.name, run: () => app.setKind(v.name) });
    }
    // Namespaces filter the table shown (the sidebar's namespace menu, by keyboard).
    for (const ns of app.namespaceNames) {
      items.push({ id: `namespace:${ns}`, group: 'namespace', label: ns, detail: t('palette.namespaceDetail'), run: () => app.setNamespaces([ns]) });
    }
    let objects = 0;
    for (const v of app.views) {
      const collection = app.collection(watchId(v));
      if (!collection) continue;
      void collection.revision;
      const title = typeof v.title === 'string' ? t(v.title) : v.title.text;
      for (const [uid, o] of collection.objects) {
        if (objects++ >= MAX_OBJECTS) break;
        const ns = o.metadata.namespace ?? '';
        items.push({ id: `object:${uid}`, group: 'object', label: o.metadata.name ?? uid, detail: ns ? `${title} · ${ns}` : title, run: () => app.openObject(v.name, ns, uid) });
      }
    }
    return items;
  }

  private actions(): PaletteItem[] {
    const { t } = i18n;
    const app = this.app;
    const other = i18n.locale === 'fr' ? 'en' : 'fr';
    const action = (id: string, label: string, run: () => void, shortcut?: string, keywords?: string): PaletteItem => ({ id: `action:${id}`, group: 'action', label, run, shortcut, keywords });
    const list: PaletteItem[] = [
      action('settings', t('palette.action.settings'), () => this.openPage('settings'), SHORTCUTS.settings, 'settings preferences réglages'),
      action('sandbox-page', t('palette.action.sandboxPage'), () => this.openPage('sandbox'), SHORTCUTS.sandbox, 'sandbox bac à sable'),
      action('language', t('palette.action.language', { language: other === 'fr' ? 'français' : 'English' }), () => this.settings.setLanguage(other), undefined, 'language langue'),
      ...(['system', 'light', 'dark'] as const).map((theme) => action(`theme-${theme}`, t('palette.action.theme', { theme: t(`settings.theme.${theme}`) }), () => this.settings.setTheme(theme), undefined, 'theme thème')),
    ];
    const cluster = app.cluster;
    if (cluster?.state === 'connected') {
      list.push(action('terminal', t('palette.action.terminal'), () => void this.shell.openTerminal(cluster.id, app.namespace || undefined), undefined, 'terminal shell kubectl'));
      list.push(action('overview', t('palette.action.overview'), () => app.showOverview(), undefined, 'overview'));
      if (cluster.source === 'sandbox') list.push(action('registry', t('palette.action.registry'), () => app.showRegistry(), undefined, 'etcd registry'));
    }
    const s = this.sandbox;
    const state = s.status.state;
    if (state === 'stopped' || state === 'failed') list.push(action('sandbox-start', t('palette.action.sandboxStart'), () => void s.start(), undefined, 'sandbox start'));
    if (state === 'running') {
      list.push(action('sandbox-stop', t('palette.action.sandboxStop'), () => void s.stop(), undefined, 'sandbox stop'));
      list.push(action('sandbox-snapshot', t('palette.action.sandboxSnapshot'), () => void s.saveSnapshot(`snapshot-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`), undefined, 'sandbox snapshot'));
      list.push(action('sandbox-add-node', t('palette.action.sandboxAddNode'), () => void s.addNode(), undefined, 'sandbox node'));
    }
    if (state === 'running' || state === 'failed' || state === 'stopped') {
      list.push(action('sandbox-reset', t('palette.action.sandboxReset'), () => {
        if (window.confirm(t('sandbox.resetConfirm'))) void s.reset();
      }, undefined, 'sandbox reset'));
    }
    return list;
  }
}

let installed: FrameStore | undefined;

/** Called once by the renderer's entry, with the same RPC client and stores as the rest of the UI. */
export function installFrame(rpc: RpcClient, app: AppStore, shell: ShellStore): FrameStore {
  installed = new FrameStore(rpc, app, shell);
  window.addEventListener('keydown', (event) => {
    if (installed?.handleKey(event)) event.preventDefault();
  });
  void installed.settings.load();
  return installed;
}

export function currentFrame(): FrameStore | undefined {
  return installed;
}
