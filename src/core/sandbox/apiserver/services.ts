// The pieces the REST layer needs, as narrow ports wired by the composition root (sandbox.ts). They
// keep resource-api.ts independent of how selectors, tables, patches and schemas are implemented.
import type { KubeObject } from '../../../shared/kube.js';
import type { Clock } from '../../clock/clock.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { GenericStore } from '../registry/store/generic-store.js';
import type { ResourceDef, UserInfo } from '../registry/types.js';
import type { TypedSchema } from './typed/type-walk.js';

export interface Selection {
  /** Throws ApiError 400 for a bad selector or an unsupported field. */
  predicate(def: ResourceDef, labelSelector: string, fieldSelector: string): ((obj: KubeObject) => boolean) | undefined;
}

export interface Tables {
  toTable(
    def: ResourceDef,
    objects: KubeObject[],
    options: { includeObject: 'None' | 'Metadata' | 'Object'; resourceVersion?: string; continue?: string; remainingItemCount?: number },
  ): Record<string, unknown>;
}

export interface Patches {
  json(doc: KubeObject, patch: unknown): KubeObject;
  merge(doc: KubeObject, patch: unknown): KubeObject;
  strategic(def: ResourceDef, doc: KubeObject, patch: unknown): KubeObject;
  /** Server-side apply: merged object with the manager's Apply entry; throws ApiError 409 on conflicts. */
  apply(def: ResourceDef, live: KubeObject | undefined, applied: KubeObject, options: { manager: string; force: boolean; apiVersion: string; now: Date }): KubeObject;
}

export interface Schemas {
  /** Paths of fields the schema of `def` does not know, as `spec.containers[0].foo`. */
  unknownFields(def: ResourceDef, version: string, obj: KubeObject): string[];
  /** The kind's OpenAPI schema, for the type checks of patches and server-side applies; undefined when unknown. */
  typedSchema?(def: ResourceDef, version: string): TypedSchema | undefined;
}

export interface ApiServices {
  registry: ResourceRegistry;
  storeFor(def: ResourceDef): GenericStore;
  clock: Clock;
  selection: Selection;
  tables: Tables;
  patches: Patches;
  schemas: Schemas;
}

/** The identity in-process components use: a member of system:masters, as kube-controller-manager's admin credentials. */
export const SYSTEM_USER: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] };
