// Serves custom resources once their CRD is Established, as apiextensions-apiserver does: the
// resource joins discovery and the OpenAPI documents; when the CRD goes, its objects go with it.
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ApiClient } from '../apiserver/client.js';
import { ApiError } from '../apiserver/errors.js';
import { customResourceDef } from '../registry/catalog.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { ResourceDef } from '../registry/types.js';
import type { Informer } from './informer.js';
import { WorkQueue } from './work-queue.js';

export interface CustomResourceSchemas {
  registerCustomResource(crd: KubeObject): void;
  unregisterCustomResource(name: string): void;
}

function established(crd: KubeObject): boolean {
  const conditions = ((crd.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

export class CrdController {
  private readonly queue: WorkQueue;
  private readonly served = new Map<string, { group: string; plural: string }>();
  private readonly disposeListener: () => void;

  constructor(
    private readonly client: ApiClient,
    private readonly crds: Informer,
    private readonly registry: ResourceRegistry,
    private readonly schemas: CustomResourceSchemas,
    clock: Clock,
    onError: (error: unknown) => void,
    /** Gives a custom resource its schema-aware behaviour (validation, defaulting, pruning). */
    private readonly decorate: (def: ResourceDef, crd: KubeObject) => ResourceDef = (def) => def,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), clock, (_k, e) => onError(e));
    const d = crds.onDidChange((e) => this.queue.add(e.object.metadata.name ?? ''));
    this.disposeListener = () => d.dispose();
    // Serve what exists at start-up before anyone asks, synchronously.
    for (const crd of crds.list()) this.serve(crd);
  }

  dispose(): void {
    this.queue.stop();
    this.disposeListener();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private serve(crd: KubeObject): void {
    if (!established(crd) || crd.metadata.deletionTimestamp) return;
    const def = this.decorate(customResourceDef(crd), crd);
    this.registry.add(def);
    this.schemas.registerCustomResource(crd);
    this.served.set(crd.metadata.name ?? '', { group: def.group, plural: def.plural });
  }

  private async sync(name: string): Promise<void> {
    const crd = this.crds.get('', name);
    if (crd && !crd.metadata.deletionTimestamp) {
      this.serve(crd);
      return;
    }
    const served = this.served.get(name);
    if (!served) return;
    // The CRD is gone or going: delete its objects while their resource is still served.
    const ref = { group: served.group, resource: served.plural };
    const list = await this.client.list(ref, '');
    for (const item of list.items) {
      try {
        await this.client.delete(ref, item.metadata.namespace ?? '', item.metadata.name ?? '');
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    if (crd) return; // still terminating: wait for its finalizers
    this.registry.remove(served.group, served.plural);
    this.schemas.unregisterCustomResource(name);
    this.served.delete(name);
  }
}
