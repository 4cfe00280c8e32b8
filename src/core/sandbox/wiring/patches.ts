// Binds the Patches port to the patch engines, with the patch schema of each resource: built-in
// kinds from their hand-written table, custom resources from their CRD's OpenAPI schema.
import type { KubeObject } from '../../../shared/kube.js';
import type { Patches } from '../apiserver/services.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, builtinPatchSchema, serverSideApply, updateManagedFields, type PatchSchema } from '../apiserver/patch/index.js';
import { patchSchemaFromOpenApi } from '../apiserver/patch/openapi-schema.js';
import type { FieldManagement } from '../registry/store/generic-store.js';
import type { ResourceDef } from '../registry/types.js';
import { rfc3339 } from '../registry/store/object-util.js';

export interface SchemaSource {
  /** A custom resource's openAPIV3Schema (storage version), undefined for built-in kinds. */
  customSchema(def: ResourceDef): unknown;
}

export class PatchSchemas {
  private readonly cache = new WeakMap<ResourceDef, PatchSchema>();

  constructor(private readonly source: SchemaSource) {}

  for(def: ResourceDef): PatchSchema {
    let schema = this.cache.get(def);
    if (!schema) {
      const custom = this.source.customSchema(def);
      schema = custom !== undefined
        ? patchSchemaFromOpenApi(custom, { statusSubresource: (def.subresources ?? []).includes('status') })
        : builtinPatchSchema(def.kind, def.group);
      this.cache.set(def, schema);
    }
    return schema;
  }
}

export function patchesWith(schemas: PatchSchemas): Patches {
  return {
    json: (doc, patch) => applyJsonPatch(doc, patch) as KubeObject,
    merge: (doc, patch) => applyMergePatch(doc, patch) as KubeObject,
    strategic: (def, doc, patch) => applyStrategicMergePatch(doc, patch, schemas.for(def)) as KubeObject,
    apply: (def, live, applied, options) =>
      serverSideApply(live, applied, { manager: options.manager, force: options.force, apiVersion: options.apiVersion, now: rfc3339(options.now), schema: schemas.for(def) }).object,
  };
}

export function fieldManagementWith(schemas: PatchSchemas, defOf: (obj: KubeObject) => ResourceDef | undefined): FieldManagement {
  return {
    update(old, updated, manager, apiVersion, now, subresource) {
      const def = defOf(updated);
      if (!def) return;
      updateManagedFields(old, updated, { manager, operation: 'Update', apiVersion, now: rfc3339(now), subresource: subresource || undefined, schema: schemas.for(def) });
    },
  };
}
