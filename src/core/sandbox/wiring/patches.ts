// Binds the Patches port to the patch engines, with the patch schema of each resource: built-in
// kinds from their hand-written table, custom resources from their CRD's OpenAPI schema.
import type { KubeObject } from '../../../shared/kube.js';
import type { Patches } from '../apiserver/services.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, builtinPatchSchema, serverSideApply, updateManagedFields, type PatchSchema } from '../apiserver/patch/index.js';
import { patchSchemaFromOpenApi } from '../apiserver/patch/openapi-schema.js';
import type { FieldManagement } from '../registry/store/generic-store.js';
import type { ResourceDef } from '../registry/types.js';
import { rfc3339 } from '../registry/store/object-util.js';
import type { JsonObject } from '../apiserver/patch/json-value.js';
import { cloneJson } from '../store/json-clone.js';
import { deepFreeze } from '../store/frozen.js';

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
  const creates = new CreateFieldsCache();
  return {
    update(old, updated, manager, apiVersion, now, subresource) {
      const def = defOf(updated);
      if (!def) return;
      const options = { manager, operation: 'Update' as const, apiVersion, now: rfc3339(now), subresource: subresource || undefined, schema: schemas.for(def) };
      const requested = updated.metadata.managedFields;
      if (old !== undefined || subresource || (Array.isArray(requested) && requested.length > 0)) updateManagedFields(old, updated, options);
      else creates.record(updated, options);
    },
  };
}

/** Shapes remembered per schema before the cache starts over (a cluster has a few hundred at most). */
const MAX_SHAPES = 4096;
/** Shapes seen once per schema, before their fields are remembered on a second sight. */
const MAX_SEEN_ONCE = 1024;

/**
 * The managedFields of a create, remembered by the object's shape. A create's fields are what the
 * object has beyond its kind's zero value, so they depend on its keys, on whether each scalar is a
 * zero value ("", 0, false, null) and on its lists (whose items are keyed by their values), not on
 * the other scalars: every Event, and every Pod of one template, has the same. Computing them walked
 * both objects into sets of paths, then sorted them back into FieldsV1, for each of the ~5 Events
 * and the Pod that a rollout creates per pod.
 *
 * A shape's fields are kept only from its second create: a pod's service account volume has a name
 * of its own (kube-api-access-xxxxx, in its volumes and volumeMounts lists), so each pod is a shape
 * never seen again, and keeping a frozen copy of its fields and its key for each one held ~80 heap
 * objects per pod (a third of the heap objects of a 3,000-pod rollout) for the GC to copy and mark.
 */
class CreateFieldsCache {
  private readonly bySchema = new WeakMap<PatchSchema, { fields: Map<string, JsonObject | null>; seenOnce: Set<string> }>();

  record(updated: KubeObject, options: Parameters<typeof updateManagedFields>[2]): void {
    const key = shapeKey(updated);
    if (key === undefined) {
      updateManagedFields(undefined, updated, options);
      return;
    }
    let shapes = this.bySchema.get(options.schema);
    if (!shapes) this.bySchema.set(options.schema, (shapes = { fields: new Map(), seenOnce: new Set() }));
    const known = shapes.fields.get(key);
    if (known === undefined) {
      updateManagedFields(undefined, updated, options);
      // The key is kept: flattened (charCodeAt makes V8 join its pieces), else each kept key is a
      // tree of ~50 string pieces.
      key.charCodeAt(0);
      if (!shapes.seenOnce.has(key)) {
        if (shapes.seenOnce.size >= MAX_SEEN_ONCE) shapes.seenOnce.clear();
        shapes.seenOnce.add(key);
        return;
      }
      shapes.seenOnce.delete(key);
      const entries = updated.metadata.managedFields;
      if (shapes.fields.size >= MAX_SHAPES) shapes.fields.clear();
      shapes.fields.set(key, entries && entries.length === 1 && entries[0].fieldsV1 ? deepFreeze(cloneJson(entries[0].fieldsV1 as JsonObject)) : null);
      return;
    }
    // What updateManagedFields writes for a create: one Update entry, or none when nothing is owned.
    if (known === null) delete updated.metadata.managedFields;
    else updated.metadata.managedFields = [{ manager: options.manager, operation: 'Update', apiVersion: options.apiVersion, time: options.now, fieldsType: 'FieldsV1', fieldsV1: cloneJson(known) }];
  }
}

/** The object's shape as CreateFieldsCache keys it; undefined when it holds something JSON does not (then no caching). */
export function shapeKey(obj: KubeObject): string | undefined {
  return shapeOf(obj, 0, false);
}

/** One string built by concatenation (V8 joins the pieces once, when the key is hashed). */
function shapeOf(value: unknown, depth: number, exact: boolean): string | undefined {
  if (depth > 64) return undefined;
  switch (typeof value) {
    case 'string':
      return exact ? JSON.stringify(value) : value === '' ? 'e' : 's';
    case 'number':
      return exact ? `#${value}` : value === 0 ? '0' : '1';
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'n';
  let out: string;
  if (Array.isArray(value)) {
    // List items are keyed by their values (map and set lists): lists are kept whole.
    out = '[';
    for (let i = 0; i < value.length; i++) {
      const item = shapeOf(value[i], depth + 1, true);
      if (item === undefined) return undefined;
      out += item + ',';
    }
    return out + ']';
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  out = '{';
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    // managedFields are not content: the create's own are what is being computed.
    if (depth === 1 && key === 'managedFields') continue;
    const item = shapeOf((value as Record<string, unknown>)[key], depth + 1, exact);
    if (item === undefined) return undefined;
    // The length first: no key can run into what follows it, whatever characters it holds.
    out += key.length + ':' + key + '=' + item + ',';
  }
  return out + '}';
}
