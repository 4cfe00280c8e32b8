// The app's core, shared by web mode and Electron: settings, clusters from kubeconfig files
// (watched) plus the sandbox (in a child process, with its controls), the watch service, and the RPC
// handlers over them.
import { join } from 'node:path';
import { homedir } from 'node:os';
import { DEFAULT_CONTEXT_NAME } from '../sandbox/apiserver/auth/kubeconfig.js';
import { AppService } from './app-service.js';
import { ClusterManager, sandboxStartsByItself } from './cluster-manager.js';
import { KubeConfig } from '@kubernetes/client-node';
import { defaultKubeconfigPaths } from './kubeconfig.js';
import { loadAllContexts } from './kubeconfig-sources.js';
import { KubeconfigWatcher } from './kubeconfig-watcher.js';
import { loginShellPath } from './login-path.js';
import { SANDBOX_DIRS, SandboxController } from './sandbox-controller.js';
import { SettingsStore } from './settings.js';
import { WatchService } from './watch-service.js';
import { ShellService } from '../shell/shell-service.js';
import { RegistryService } from './etcd-browser/registry-service.js';

export interface BackendOptions {
  dataDir: string;
  /** The default kubeconfig set (default: $KUBECONFIG's paths, then ~/.kube/config). */
  kubeconfigPaths?: string[];
  /** Problems worth telling the user about but not fatal (bad kubeconfig file, sandbox failure). */
  log?: (line: string) => void;
  /** The app's settings (default: <dataDir>/settings.json). */
  settings?: SettingsStore;
  /** Nodes of a sandbox created fresh (default 1). */
  sandboxNodes?: number;
  /** Put first on terminals' PATH (default: the project's .tools/bin, found from the sources). */
  toolDirs?: string[];
  /**
   * Watch batches carry objects known only by their JSON text (see src/core/watch/raw-json.ts):
   * for web mode, whose WebSocket sends them with stringifyWithJsonTexts. Electron's IPC needs objects.
   */
  watchJsonTextOnly?: boolean;
}

export interface Backend {
  app: AppService;
  clusters: ClusterManager;
  settings: SettingsStore;
  sandbox: SandboxController;
  /** Resolves once the sandbox serves (or failed: then the cluster shows why); at once when it did not start by itself. */
  sandboxStarted: Promise<void>;
  dispose(): Promise<void>;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Kubedesk');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Kubedesk');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'kubedesk');
}

export function startBackend(options: BackendOptions): Backend {
  const log = options.log ?? (() => undefined);
  const settings = options.settings ?? SettingsStore.load(join(options.dataDir, 'settings.json'));
  for (const problem of settings.problems) log(`settings: ${problem}`);
  const defaultPaths = options.kubeconfigPaths ?? defaultKubeconfigPaths();
  const told = new Set<string>();
  const load = () => {
    const loaded = loadAllContexts(defaultPaths, settings.get().kubeconfigPaths);
    // A file being edited stays broken for a while: say so once, not at every save.
    for (const problem of loaded.problems) if (!told.has(problem)) log(`kubeconfig: ${problem}`);
    told.clear();
    for (const problem of loaded.problems) told.add(problem);
    return loaded.contexts;
  };
  // Start reading the login shell's PATH now: exec credential plugins need it at the first connect.
  void loginShellPath(log);
  // Asked for while stopped (a click on it): start it. Only called once `sandbox` below exists.
  const initialContexts = load();
  const clusters = new ClusterManager(initialContexts, true, { onSandboxDemand: () => void sandbox.start().catch(() => undefined) });
  const watches = new WatchService((id) => clusters.configFor(id), { onError: (m) => log(m), jsonTextOnly: options.watchJsonTextOnly, collectWhenSettled: true });
  const sandboxDataDir = SANDBOX_DIRS.data(options.dataDir);
  const shell = new ShellService((id) => clusters.configFor(id), { stateDir: join(options.dataDir, 'sessions'), ...(options.toolDirs ? { toolDirs: options.toolDirs } : {}) });
  // One KubeConfig for the sandbox, reloaded in place at each start: watches opened before a
  // restart, reset or restore reconnect with the new certificates and port by themselves.
  const sandboxConfig = new KubeConfig();
  const sandbox = new SandboxController({
    dataDir: sandboxDataDir,
    snapshotDir: SANDBOX_DIRS.snapshots(options.dataDir),
    nodes: options.sandboxNodes,
    log,
    onRunning: (url, kubeconfigPath) => {
      sandboxConfig.loadFromFile(kubeconfigPath);
      sandboxConfig.setCurrentContext(DEFAULT_CONTEXT_NAME);
      clusters.sandboxReady(url, sandboxConfig);
    },
    // A stop the user asked for (or a snapshot, a reset) is not a failure: listed stopped, not unreachable.
    onDown: (reason) => (sandbox.current.state === 'failed' ? clusters.sandboxFailed(reason) : clusters.sandboxStopped(reason)),
  });
  sandbox.onChange((status) => {
    if (status.state === 'starting') clusters.sandboxStarting(status.message ?? 'the sandbox is starting');
    if (status.state === 'stopped') clusters.sandboxStopped(status.message);
  });
  const app = new AppService(clusters, watches, new RegistryService(sandboxDataDir), shell, { sandbox, settings });

  const reload = () => {
    const contexts = load();
    for (const id of clusters.setContexts(contexts)) {
      watches.dropCluster(id);
      void clusters.connect(id);
    }
    // The other clusters went away before the sandbox was ever asked for: it is the only one now
    // (not while a kubeconfig file cannot be read: it is likely being edited).
    if (sandboxStartsByItself(contexts) && told.size === 0 && !sandbox.hasStarted) void sandbox.start().catch(() => undefined);
    watcher.watchPaths([...defaultPaths, ...settings.get().kubeconfigPaths]);
  };
  const watcher = new KubeconfigWatcher(reload);
  watcher.watchPaths([...defaultPaths, ...settings.get().kubeconfigPaths]);
  let addedPaths = JSON.stringify(settings.get().kubeconfigPaths);
  const settingsListener = settings.onChange((next) => {
    if (JSON.stringify(next.kubeconfigPaths) === addedPaths) return;
    addedPaths = JSON.stringify(next.kubeconfigPaths);
    reload();
  });

  // Clusters that go away (or come back) show it without a click.
  const health = clusters.startHealthChecks();
  // With other clusters configured the sandbox waits to be selected (or started from its page).
  const sandboxStarted = sandboxStartsByItself(initialContexts)
    ? sandbox.start().then(
        () => undefined,
        () => undefined,
      )
    : Promise.resolve();
  for (const c of clusters.list()) if (c.source === 'kubeconfig') void clusters.connect(c.id);
  return {
    app,
    clusters,
    settings,
    sandbox,
    sandboxStarted,
    dispose: async () => {
      settingsListener.dispose();
      health.dispose();
      watcher.dispose();
      app.dispose();
      await sandbox.dispose();
      await settings.save().catch(() => undefined);
    },
  };
}
