// Server-side apply (PATCH with application/apply-patch+yaml), as kube-apiserver's field manager does
// it with structured-merge-diff: the applied configuration is merged into the live object, fields the
// applier stopped applying are removed unless someone else owns them, and changing a field another
// manager owns is a conflict unless forced.
import { parseApiVersion, type KubeObject, type StatusCause } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import { FieldSet, pathString, type PathElement } from './field-set.js';
import { deepEqual, isObject, type JsonObject } from './json-value.js';
import { allowedConflictsFromLastApplied, kubectlApplyManager, syncLastApplied } from './last-applied.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  managerKey,
  ownableFields,
  recordUpdate,
  setManagedFields,
  withoutManagedFields,
  type ManagerId,
} from './managed-fields.js';
import type { PatchSchema } from './schema.js';
import { InvalidTypedValue, TypedWalker } from './typed-value.js';

export interface ServerSideApplyOptions {
  manager: string;
  force: boolean;
  /** apiVersion of the request (the applied object must have it). */
  apiVersion: string;
  now: string;
  schema: PatchSchema;
  subresource?: string;
}

/** Manager name of the fields a live object had before its first apply, when it had no managedFields. */
export const beforeFirstApplyManager = 'before-first-apply';

/** Nulls in an applied configuration only say "not set here"; drop them. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

function printManager(id: ManagerId): string {
  let text = JSON.stringify(id.manager);
  if (id.subresource) text += ` with subresource ${JSON.stringify(id.subresource)}`;
  return id.operation === 'Apply' ? text : `${text} using ${id.apiVersion}`;
}

interface Conflict {
  key: string;
  id: ManagerId;
  path: PathElement[];
}

/** kube-apiserver's NewConflictError wording: one line for one conflict, a list per manager otherwise. */
function conflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.id)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].id)}: ${pathString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    for (const key of [...new Set(conflicts.map((c) => c.key))].sort()) {
      const mine = conflicts.filter((c) => c.key === key);
      lines.push(`conflicts with ${printManager(mine[0].id)}:`);
      for (const c of mine) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return ApiError.make(409, 'Conflict', message, { causes });
}

/** The applied configuration's field set; a list item without its keys or a duplicate fails as in kube-apiserver (500). */
function typedFieldSet(walker: TypedWalker, config: JsonObject): FieldSet {
  try {
    return walker.toFieldSet(config);
  } catch (error) {
    if (!(error instanceof InvalidTypedValue)) throw error;
    const { group, version } = parseApiVersion(typeof config.apiVersion === 'string' ? config.apiVersion : '');
    const kind = typeof config.kind === 'string' ? config.kind : '';
    // objectGVKNN: "<namespace>/<name>; <group>/<version>, Kind=<Kind>" of the applied configuration.
    const meta = isObject(config.metadata) ? config.metadata : {};
    const nn = `${typeof meta.namespace === 'string' ? meta.namespace : ''}/${typeof meta.name === 'string' ? meta.name : ''}`;
    throw ApiError.make(500, '', `failed to create typed patch object (${nn}; ${group}/${version}, Kind=${kind}): ${error.message}`);
  }
}

/**
 * Applies `applied` (the applier's full intent) over `live` (undefined: create). Returns the object to
 * store, with managedFields updated; `changed` is false when the object (managedFields aside) is unchanged.
 * Throws ApiError 400 for a malformed apply, 409 for conflicts without `force`.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ServerSideApplyOptions,
): { object: KubeObject; changed: boolean } {
  if (applied.apiVersion !== opts.apiVersion) {
    throw ApiError.badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${opts.apiVersion}`,
    );
  }
  if (isObject(applied.metadata) && applied.metadata.managedFields != null) {
    throw ApiError.badRequest('metadata.managedFields must be nil');
  }
  const walker = new TypedWalker(opts.schema);
  const sets = decodeManagedFields(live?.metadata.managedFields);
  const liveBase: JsonObject = live ? withoutManagedFields(live) : {};
  if (live && sets.size === 0) {
    const id: ManagerId = { manager: beforeFirstApplyManager, operation: 'Update', apiVersion: opts.apiVersion };
    recordUpdate(sets, opts.schema.zeroObject(), liveBase, id, { schema: opts.schema, now: opts.now });
  }

  const config = withoutNulls(applied) as JsonObject;
  const appliedSet = ownableFields(typedFieldSet(walker, config), opts.schema, opts.subresource);
  const merged = walker.merge(liveBase, config);
  const applier: ManagerId = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion };
  if (opts.subresource) applier.subresource = opts.subresource;
  const applierKey = managerKey(applier);
  const previous = sets.get(applierKey);
  sets.set(applierKey, { ...applier, time: previous?.time, set: appliedSet });

  if (previous) {
    let owned = new FieldSet();
    for (const entry of sets.values()) owned = owned.union(entry.set);
    walker.prune(merged, previous.set, owned);
  }

  const diff = walker.compare(liveBase, merged);
  const touched = ownableFields(diff.added.union(diff.modified), opts.schema, opts.subresource);
  const removed = ownableFields(diff.removed, opts.schema, opts.subresource);
  const conflicts: Conflict[] = [];
  const lost = new Map<string, FieldSet>();
  for (const [key, entry] of sets) {
    if (key === applierKey) continue;
    const overlap = entry.set.intersection(touched);
    if (overlap.empty()) continue;
    lost.set(key, overlap);
    for (const path of overlap.members()) conflicts.push({ key, id: entry, path });
  }
  if (conflicts.length > 0 && !opts.force) {
    // kubectl's server-side apply may take over what its client-side apply set (same values as live).
    const allowed = opts.manager === kubectlApplyManager ? allowedConflictsFromLastApplied(liveBase, walker) : undefined;
    const remaining = allowed ? conflicts.filter((c) => !allowed.has(c.path)) : conflicts;
    if (remaining.length > 0) throw conflictError(remaining);
  }

  for (const [key, entry] of sets) {
    if (key === applierKey) continue;
    entry.set = entry.set.difference(lost.get(key)).difference(removed);
    if (entry.set.empty()) sets.delete(key);
  }
  const mine = sets.get(applierKey);
  if (mine && !deepEqual(liveBase, merged)) mine.time = opts.now;
  if (mine?.set.empty()) sets.delete(applierKey);
  capUpdateManagers(sets);

  const object = merged as KubeObject;
  if (!isObject(object.metadata)) object.metadata = {};
  if (live && opts.manager === kubectlApplyManager) syncLastApplied(object, applied);
  const changed = !deepEqual(liveBase, object);
  setManagedFields(object, sets);
  return { object, changed };
}
