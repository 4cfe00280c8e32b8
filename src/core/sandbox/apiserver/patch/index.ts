// The patch engines of the sandbox API server: pure functions over plain JSON values.
//
// How a handler uses them, in kube-apiserver's order:
// - PATCH json/merge/strategic: patched = applyXPatch(live, body[, schema]); decode, default; then
//   updateManagedFields(live, patched, {manager, operation: 'Update', apiVersion, now, subresource, schema}).
// - PATCH apply (server-side apply): {object} = serverSideApply(live | undefined, body, {manager, force, ...});
//   then default, admit, validate and store `object` (its managedFields are already set).
// - POST/PUT: updateManagedFields(old | undefined, obj, ...) after defaulting, before storing.
// The schema: builtinPatchSchema(kind, group) for built-ins, patchSchemaFromOpenApi(crdSchema, ...) for
// custom resources (kube-apiserver answers 415 to a strategic merge patch of a custom resource).
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
