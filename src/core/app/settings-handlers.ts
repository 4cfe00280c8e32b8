// RPC handlers of the settings: read them, change some; a refused change says which and why.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { SettingsRpcMethods } from '../../shared/rpc/settings-contract.js';
import { RpcParamsError, type RpcConnection } from '../../shared/rpc/rpc-server.js';
import { SettingsError, type SettingsStore } from './settings.js';

type Handlers = {
  [M in keyof SettingsRpcMethods]: (params: unknown, connection: RpcConnection) => Promise<SettingsRpcMethods[M]['result']> | SettingsRpcMethods[M]['result'];
};

export function settingsHandlers(settings: SettingsStore | undefined): Handlers {
  const get = (): SettingsStore => {
    if (!settings) throw new Error('this Kubedesk keeps no settings (no data directory)');
    return settings;
  };
  return {
    'settings.get': () => get().get(),
    'settings.update': async (params) => {
      // A path typed by hand: refuse one that is not there rather than list a folder of nothing.
      const paths = typeof params === 'object' && params !== null ? (params as { kubeconfigPaths?: unknown }).kubeconfigPaths : undefined;
      if (Array.isArray(paths)) {
        const known = new Set(get().get().kubeconfigPaths);
        for (const path of paths) {
          if (typeof path === 'string' && isAbsolute(path) && !known.has(path) && !existsSync(path)) {
            throw new RpcParamsError(`${path} does not exist: give the absolute path of a kubeconfig file, or of a folder that holds some`);
          }
        }
      }
      try {
        return await get().update(params);
      } catch (error) {
        if (error instanceof SettingsError) throw new RpcParamsError(error.message);
        throw error;
      }
    },
  };
}
