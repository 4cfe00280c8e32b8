// Entry point: startScheduler(deps) runs the default scheduler until disposed.
import type { Disposable } from '../../../shared/disposable.js';
import { bindingHandler } from '../apiserver/handlers/virtual.js';
import { LocalApiClient } from '../apiserver/local-client.js';
import type { ResourceApi } from '../apiserver/resource-api.js';
import { BINDING_USER } from '../registry/kinds/pods.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { UserInfo } from '../registry/types.js';
import { Scheduler, type Binder, type SchedulerDeps } from './scheduler.js';

export { Scheduler, SCHEDULER_NAME, type Binder, type SchedulerDeps } from './scheduler.js';

export const SCHEDULER_USER: UserInfo = { username: BINDING_USER, groups: ['system:authenticated'] };

/**
 * Binds through the API server's own pods/binding handler (the in-process client cannot create
 * subresources), writing as system:kube-scheduler: the pod strategy lets that user set spec.nodeName.
 */
export function apiBinder(api: ResourceApi, registry: ResourceRegistry): Binder {
  const handler = bindingHandler(new LocalApiClient(api, registry, SCHEDULER_USER, 'kube-scheduler'));
  const def = registry.byGroupResource('', 'pods');
  if (!def) throw new Error('the registry has no pods resource: build the scheduler from the control plane registry');
  return async (pod, nodeName) => {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    await handler(SCHEDULER_USER, { def, version: 'v1', namespace }, name, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, uid: pod.metadata.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    }, false);
  };
}

export type StartSchedulerDeps = Omit<SchedulerDeps, 'bind'> & { bind?: Binder; registry: ResourceRegistry; api: ResourceApi };

export interface RunningScheduler extends Disposable {
  readonly scheduler: Scheduler;
  /** Settles once the informers have synced and pending pods are queued. */
  readonly ready: Promise<void>;
}

export function startScheduler(deps: StartSchedulerDeps): RunningScheduler {
  const scheduler = new Scheduler({ ...deps, bind: deps.bind ?? apiBinder(deps.api, deps.registry) });
  const ready = scheduler.start();
  ready.catch((error: unknown) => deps.onError?.(error));
  return { scheduler, ready, dispose: () => scheduler.dispose() };
}
