// RPC handlers of the settings: read them, change some; a refused change says which and why.
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
      try {
        return await get().update(params);
      } catch (error) {
        if (error instanceof SettingsError) throw new RpcParamsError(error.message);
        throw error;
      }
    },
  };
}
