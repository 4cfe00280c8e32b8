// The patch engines of the sandbox API server: pure functions over plain JSON values.
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { builtinPatchSchema } from './builtin-schema.js';
export {
  atomicMap,
  genericPatchSchema,
  mapList,
  objectMetaNode,
  setList,
  struct,
  treeSchema,
  type PatchMeta,
  type PatchSchema,
  type PatchStrategy,
  type SchemaNode,
  type TreeSchemaOptions,
} from './schema.js';
export { FieldSet, pathString, type PathElement } from './field-set.js';
export {
  ancientChangesManager,
  decodeManagedFields,
  encodeManagedFields,
  maxUpdateManagers,
  updateManagedFields,
  type UpdateManagedFieldsOptions,
} from './managed-fields.js';
export { beforeFirstApplyManager, serverSideApply, type ServerSideApplyOptions } from './server-side-apply.js';
export { lastAppliedAnnotation } from './last-applied.js';
export { patchSchemaFromOpenApi } from './openapi-schema.js';
