// The streaming subresources and the metrics API, as connect handlers for the HTTPS pipeline
// (HttpDeps.connect, keyed "<group>/<plural>/<subresource>").
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../client.js';
import type { ConnectHandler } from '../http-types.js';
import type { PodStreamBackend } from './backend.js';
import { remoteCommandHandler } from './exec.js';
import { logHandler } from './logs.js';
import { portForwardHandler } from './port-forward.js';
import { podProxyHandler, serviceProxyHandler } from './proxy.js';

export type { PodStreamBackend, PodLogSource, LogEntry, MetricsBackend } from './backend.js';
export { fleetBackends, type FleetLike } from './kubelet-adapter.js';
export { metricsResources, metricsConnectHandlers } from './metrics.js';

export function streamingConnectHandlers(backend: PodStreamBackend, client: ApiClient, clock: Clock): Map<string, ConnectHandler> {
  return new Map<string, ConnectHandler>([
    ['/pods/log', logHandler(backend, client, clock)],
    ['/pods/exec', remoteCommandHandler('exec', backend, client)],
    ['/pods/attach', remoteCommandHandler('attach', backend, client)],
    ['/pods/portforward', portForwardHandler(backend, client)],
    ['/pods/proxy', podProxyHandler(backend, client)],
    ['/services/proxy', serviceProxyHandler(backend, client)],
  ]);
}
