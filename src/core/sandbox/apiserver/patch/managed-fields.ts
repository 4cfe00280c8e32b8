// metadata.managedFields bookkeeping as kube-apiserver's field manager does it: every write records,
// under its manager, the fields it changed (operation "Update"), taking them away from other managers;
// server-side apply (server-side-apply.ts) records what the applier applied (operation "Apply").
import type { KubeObject, ManagedFieldsEntry } from '../../../../shared/kube.js';
import { FieldSet, fieldElement } from './field-set.js';
import { clone, isObject, type JsonObject } from './json-value.js';
import type { PatchSchema } from './schema.js';
import { changedFields } from './changed-fields.js';

export interface ManagerId {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
}

export interface ManagerFields extends ManagerId {
  time?: string;
  set: FieldSet;
}

/** Managers by identity (kube-apiserver's BuildManagerIdentifier: an applier is one manager across versions). */
export type ManagedSets = Map<string, ManagerFields>;

export function managerKey(id: ManagerId): string {
  const key: Record<string, string> = { manager: id.manager, operation: id.operation };
  if (id.operation !== 'Apply') key.apiVersion = id.apiVersion;
  if (id.subresource) key.subresource = id.subresource;
  return JSON.stringify(key);
}

/** Fields nobody owns (kube-apiserver's stripMetaManager): identity and bookkeeping, not content. */
const stripped = FieldSet.of([
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'namespace'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'selfLink'],
  ['metadata', 'uid'],
  ['metadata', 'clusterName'],
  ['metadata', 'generation'],
  ['metadata', 'managedFields'],
  ['metadata', 'resourceVersion'],
].map((path) => path.map(fieldElement)));

/** Reset fields per schema and subresource: built once, they are asked for on every write. */
const resetSets = new WeakMap<PatchSchema, Map<string, FieldSet>>();

function resetSet(schema: PatchSchema, subresource: string): FieldSet {
  let bySubresource = resetSets.get(schema);
  if (!bySubresource) resetSets.set(schema, (bySubresource = new Map()));
  let reset = bySubresource.get(subresource);
  if (!reset) {
    reset = FieldSet.of(schema.resetFields(subresource || undefined).map((path) => path.map(fieldElement)));
    bySubresource.set(subresource, reset);
  }
  return reset;
}

/** Drops the fields no manager may own in this write: the stripped ones and those the strategy resets. */
export function ownableFields(set: FieldSet, schema: PatchSchema, subresource: string | undefined): FieldSet {
  return set.without(resetSet(schema, subresource ?? ''), stripped);
}

export function decodeManagedFields(entries: unknown): ManagedSets {
  const sets: ManagedSets = new Map();
  if (!Array.isArray(entries)) return sets;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const id: ManagerId = {
      manager: typeof entry.manager === 'string' ? entry.manager : '',
      operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
    };
    if (typeof entry.subresource === 'string' && entry.subresource !== '') id.subresource = entry.subresource;
    const set = FieldSet.fromFieldsV1(entry.fieldsV1);
    const key = managerKey(id);
    const previous = sets.get(key);
    const time = typeof entry.time === 'string' ? entry.time : undefined;
    sets.set(key, { ...id, time: previous?.time ?? time, set: previous ? previous.set.union(set) : set });
  }
  return sets;
}

function seconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Entries in kube-apiserver's order: Apply before Update, then oldest first, then by manager. */
export function encodeManagedFields(sets: ManagedSets): ManagedFieldsEntry[] {
  const entries = [...sets.values()].filter((m) => !m.set.empty());
  entries.sort(
    (p, q) =>
      (p.operation < q.operation ? -1 : p.operation > q.operation ? 1 : 0) ||
      seconds(p.time) - seconds(q.time) ||
      (p.manager < q.manager ? -1 : p.manager > q.manager ? 1 : 0) ||
      (p.apiVersion < q.apiVersion ? -1 : p.apiVersion > q.apiVersion ? 1 : 0) ||
      ((p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0),
  );
  return entries.map((m) => {
    const entry: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) entry.time = m.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) entry.subresource = m.subresource;
    return entry;
  });
}

/** Most Update entries kube-apiserver keeps; older ones merge into "ancient-changes" per apiVersion. */
export const maxUpdateManagers = 10;
export const ancientChangesManager = 'ancient-changes';

/** kube-apiserver's capManagersManager: folds the oldest Update entries into one bucket per apiVersion. */
export function capUpdateManagers(sets: ManagedSets): void {
  const updaters = [...sets.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= maxUpdateManagers) return;
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [key, entry] of updaters) {
    if (length <= maxUpdateManagers) break;
    const bucketId: ManagerId = { manager: ancientChangesManager, operation: 'Update', apiVersion: entry.apiVersion };
    const bucketKey = managerKey(bucketId);
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, key);
      continue;
    }
    let bucket = sets.get(bucketKey);
    if (!bucket) {
      const firstEntry = sets.get(first) as ManagerFields;
      sets.delete(first);
      bucket = { ...bucketId, time: firstEntry.time, set: firstEntry.set };
    }
    sets.set(bucketKey, { ...bucketId, time: entry.time, set: entry.set.union(bucket.set) });
    sets.delete(key);
    length--;
  }
}

export function setManagedFields(obj: KubeObject, sets: ManagedSets): void {
  const entries = encodeManagedFields(sets);
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** A copy of `obj` without managedFields, the form the field manager compares. */
export function withoutManagedFields(obj: KubeObject | JsonObject): JsonObject {
  const source = obj as JsonObject;
  // managedFields can outweigh the rest of the object: leave them out before copying, not after.
  if (!isObject(source.metadata) || !('managedFields' in source.metadata)) return clone(source);
  const metadata: JsonObject = { ...source.metadata };
  delete metadata.managedFields;
  return clone({ ...source, metadata });
}

/** `obj` without managedFields, sharing the rest: enough for the read-only comparison below. */
function withoutManagedFieldsView(obj: KubeObject | JsonObject): JsonObject {
  const source = obj as JsonObject;
  if (!isObject(source.metadata) || !('managedFields' in source.metadata)) return source;
  const metadata: JsonObject = { ...source.metadata };
  delete metadata.managedFields;
  return { ...source, metadata };
}

/**
 * Fills what `value` lacks from the kind's zero value: kube-apiserver compares Go structs, whose
 * non-pointer struct fields always exist, so an absent `status` or `spec.strategy` is no change.
 * Writes to neither argument: only the objects that gain a field are copied (shallowly), the rest is
 * shared, which is safe because the comparison only reads. That spares a deep copy of both sides of
 * every write.
 */
function withZero(zero: unknown, value: JsonObject): JsonObject {
  if (!isObject(zero)) return value;
  let out: JsonObject | undefined;
  for (const key of Object.keys(zero)) {
    const zeroValue = zero[key];
    const current = value[key];
    let filled: unknown;
    if (current === undefined) filled = zeroValue;
    else if (isObject(current) && isObject(zeroValue)) {
      filled = withZero(zeroValue, current);
      if (filled === current) continue;
    } else continue;
    out ??= { ...value };
    out[key] = filled;
  }
  return out ?? value;
}

export interface UpdateContext {
  schema: PatchSchema;
  now: string;
}

/**
 * Records the change from `before` to `after` under `id` (an Update): the changed fields leave every
 * other manager and join `id`'s set, whose time becomes `now`. Nothing changed: nothing recorded.
 */
export function recordUpdate(sets: ManagedSets, before: JsonObject, after: JsonObject, id: ManagerId, ctx: UpdateContext): void {
  const zero = ctx.schema.zeroObject();
  const diff = changedFields(ctx.schema, withZero(zero, before), withZero(zero, after));
  const changed = ownableFields(diff.changed, ctx.schema, id.subresource);
  // A create (or a first write) has no other manager to take fields from.
  if (sets.size > 0) {
    const removed = ownableFields(diff.removed, ctx.schema, id.subresource);
    for (const [key, entry] of sets) {
      entry.set = entry.set.difference(changed).difference(removed);
      if (entry.set.empty()) sets.delete(key);
    }
  }
  if (changed.empty()) return;
  const key = managerKey(id);
  const previous = sets.get(key);
  sets.set(key, { ...id, time: ctx.now, set: previous ? previous.set.union(changed) : changed });
}

export interface UpdateManagedFieldsOptions {
  manager: string;
  operation: 'Update';
  apiVersion: string;
  now: string;
  subresource?: string;
  schema: PatchSchema;
}

/**
 * For create/update/patch (not apply): records in `updated.metadata.managedFields` the fields this write
 * changed, under the manager's Update entry. Call it with the object as it will be stored (defaulted).
 * Managed fields sent in the request win over the live ones (that is how clients reset them, e.g. with
 * `[{}]`), except on subresources.
 */
export function updateManagedFields(old: KubeObject | undefined, updated: KubeObject, opts: UpdateManagedFieldsOptions): void {
  const requested = updated.metadata.managedFields;
  const fromRequest = !opts.subresource && Array.isArray(requested) && requested.length > 0;
  const sets = decodeManagedFields(fromRequest ? requested : old?.metadata.managedFields);
  // Views, not copies: the comparison only reads them, and `updated` changes only after it.
  const before = old ? withoutManagedFieldsView(old) : opts.schema.zeroObject();
  const id: ManagerId = { manager: opts.manager, operation: opts.operation, apiVersion: opts.apiVersion };
  if (opts.subresource) id.subresource = opts.subresource;
  recordUpdate(sets, before, withoutManagedFieldsView(updated), id, { schema: opts.schema, now: opts.now });
  capUpdateManagers(sets);
  setManagedFields(updated, sets);
}
