// The app's core, shared by web mode and Electron: clusters from kubeconfig plus the sandbox
// (in a child process), the watch service, and the RPC handlers over them.
import { join } from 'node:path';
import { homedir } from 'node:os';
import { DEFAULT_CONTEXT_NAME } from '../sandbox/apiserver/auth/kubeconfig.js';
import { AppService } from './app-service.js';
import { ClusterManager } from './cluster-manager.js';
import { defaultKubeconfigPaths, loadKubeconfigs, loadSingleContext } from './kubeconfig.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import { WatchService } from './watch-service.js';
import { ShellService } from '../shell/shell-service.js';
import { RegistryService } from './etcd-browser/registry-service.js';

export interface BackendOptions {
  dataDir: string;
  kubeconfigPaths?: string[];
  /** Problems worth telling the user about but not fatal (bad kubeconfig file, sandbox failure). */
  log?: (line: string) => void;
}

export interface Backend {
  app: AppService;
  clusters: ClusterManager;
  /** Resolves once the sandbox serves (or failed: then the cluster shows why). */
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
  const merged = loadKubeconfigs(options.kubeconfigPaths ?? defaultKubeconfigPaths());
  for (const problem of merged.problems) log(`kubeconfig: ${problem}`);
  const clusters = new ClusterManager(merged.contexts, true);
  const watches = new WatchService((id) => clusters.configFor(id), { onError: (m) => log(m) });
  const sandboxDataDir = join(options.dataDir, 'sandbox');
  const shell = new ShellService((id) => clusters.configFor(id), { stateDir: join(options.dataDir, 'sessions') });
  const app = new AppService(clusters, watches, new RegistryService(sandboxDataDir), shell);
  let sandbox: SandboxProcess | undefined;
  let disposed = false;
  const sandboxStarted = startSandboxProcess({ dataDir: sandboxDataDir }).then(
    (started) => {
      sandbox = started;
      if (disposed) return void started.stop();
      started.onExit((code) => {
        if (disposed) return;
        watches.dropCluster('sandbox');
        clusters.sandboxFailed(`the sandbox process stopped (exit code ${code}); restart Kubedesk to start it again`);
      });
      clusters.sandboxReady(started.url, loadSingleContext(started.kubeconfigPath, DEFAULT_CONTEXT_NAME));
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`sandbox: ${message}`);
      clusters.sandboxFailed(message);
    },
  );
  for (const c of clusters.list()) if (c.source === 'kubeconfig') void clusters.connect(c.id);
  return {
    app,
    clusters,
    sandboxStarted,
    dispose: async () => {
      disposed = true;
      app.dispose();
      await sandbox?.stop();
    },
  };
}
