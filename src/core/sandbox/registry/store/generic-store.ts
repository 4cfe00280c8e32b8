// One generic registry store for every resource, configured by its ResourceDef and Strategy, as
// k8s.io/apiserver's registry/generic/registry.Store: it owns names, uids, timestamps, generation,
// resourceVersion preconditions, admission calls, validation, managedFields, dry-run, finalizers and
// graceful deletion. Kind-specific behaviour lives only in strategies.
import { randomUUID } from 'node:crypto';
import type { KubeObject, StatusCause } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { AdmissionAttributes, AdmissionOperation } from '../../apiserver/admission/types.js';
import { ApiError, fromStorageError } from '../../apiserver/errors.js';
import type { ObjectStorage, StorageWatch, StorageWatchEvent } from '../../store/storage.js';
import type { ResourceDef, StrategyContext, UserInfo } from '../types.js';
import { deepClone, deepEqual, isObject, rfc3339, specOf } from './object-util.js';

export interface Admission {
  admit(attributes: AdmissionAttributes): Promise<void>;
  validate(attributes: AdmissionAttributes): Promise<void>;
}

export interface MetaValidation {
  create(obj: KubeObject, def: ResourceDef): StatusCause[];
  update(obj: KubeObject, old: KubeObject, def: ResourceDef): StatusCause[];
  generateNameSuffix(): string;
}

export interface FieldManagement {
  /** Record a non-apply write's fields under `manager`. */
  update(old: KubeObject | undefined, updated: KubeObject, manager: string, apiVersion: string, now: Date, subresource: string): void;
}

export interface StoreDeps {
  storage: ObjectStorage;
  /** Registry-level allocation (Service IPs and node ports) after admission, before validation. */
  allocate?: (def: ResourceDef, obj: KubeObject, old: KubeObject | undefined) => Promise<void>;
  clock: Clock;
  admission: Admission;
  meta: MetaValidation;
  fields: FieldManagement;
}

export interface RequestContext {
  user: UserInfo;
  namespace: string;
  dryRun: boolean;
  /** fieldManager of the write ("" → derived by the caller). */
  fieldManager: string;
  /** apiVersion the client used (for managedFields). */
  apiVersion: string;
  /** Warnings for the client (Warning headers): admission plugins and strategies add to it. */
  warnings?: string[];
}

export interface UpdateOptions {
  subresource?: string;
  /** PUT and server-side apply may create the object (allowCreateOnUpdate). */
  allowCreate?: boolean;
  /** Apply already computed managedFields: keep them as they are. */
  managedFieldsSet?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

export class GenericStore {
  constructor(
    readonly def: ResourceDef,
    readonly deps: StoreDeps,
  ) {}

  get qr(): { group: string; resource: string } {
    return { group: this.def.group, resource: this.def.plural };
  }

  keyFor(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.def.storagePrefix}/${namespace}/${name}` : `${this.def.storagePrefix}/${name}`;
  }

  prefixFor(namespace: string): string {
    return this.def.namespaced && namespace ? `${this.def.storagePrefix}/${namespace}/` : `${this.def.storagePrefix}/`;
  }

  strategyContext(ctx: RequestContext): StrategyContext {
    return { namespace: ctx.namespace, user: ctx.user, now: this.deps.clock.now(), dryRun: ctx.dryRun };
  }

  attributes(operation: AdmissionOperation, ctx: RequestContext, name: string, subresource: string, object?: KubeObject, oldObject?: KubeObject): AdmissionAttributes {
    return { operation, resource: this.def, subresource, namespace: this.def.namespaced ? ctx.namespace : '', name, object, oldObject, user: ctx.user, dryRun: ctx.dryRun, warnings: ctx.warnings };
  }

  async get(namespace: string, name: string, resourceVersion?: string): Promise<KubeObject> {
    try {
      const obj = await this.deps.storage.get(this.keyFor(namespace, name), { resourceVersion });
      return this.decorate(obj!);
    } catch (error) {
      throw fromStorageError(error, this.qr, name);
    }
  }

  /** Fills apiVersion/kind, which the store keeps but older writers may have left out. */
  decorate(obj: KubeObject): KubeObject {
    if (!obj.kind) obj.kind = this.def.kind;
    if (!obj.apiVersion) obj.apiVersion = this.def.group ? `${this.def.group}/${this.def.versions[0]}` : this.def.versions[0];
    return obj;
  }

  /** `options.owned`: the caller gives `input` up (a freshly decoded request body), so it is not copied. */
  async create(ctx: RequestContext, input: KubeObject, options: { managedFieldsSet?: boolean; owned?: boolean } = {}): Promise<KubeObject> {
    const obj = options.owned ? input : deepClone(input);
    const meta = obj.metadata ?? (obj.metadata = {});
    if (this.def.namespaced) meta.namespace = ctx.namespace;
    else delete meta.namespace;
    if (meta.resourceVersion) {
      throw ApiError.internal('resourceVersion should not be set on objects to be created');
    }
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.deps.meta.generateNameSuffix();
    const now = this.deps.clock.now();
    const sctx = this.strategyContext(ctx);
    this.def.strategy.applyDefaults?.(obj);
    await this.deps.admission.admit(this.attributes('CREATE', ctx, meta.name ?? '', '', obj));
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.def.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    this.def.strategy.prepareForCreate?.(obj, sctx);
    await this.deps.allocate?.(this.def, obj, undefined);
    const causes = [...this.deps.meta.create(obj, this.def), ...(this.def.strategy.validate?.(obj, sctx) ?? [])];
    if (causes.length > 0) throw ApiError.invalid(this.def.kind, this.def.group, meta.name ?? '', causes);
    await this.deps.admission.validate(this.attributes('CREATE', ctx, meta.name ?? '', '', obj));
    ctx.warnings?.push(...(this.def.strategy.warnings?.(obj) ?? []));
    this.def.strategy.canonicalize?.(obj);
    if (!options.managedFieldsSet) this.deps.fields.update(undefined, obj, ctx.fieldManager, ctx.apiVersion, now, '');
    this.decorate(obj);
    if (ctx.dryRun) return obj;
    try {
      // `obj` is this request's own copy: the storage may hand it back instead of copying it.
      return this.decorate(await this.deps.storage.create(this.keyFor(ctx.namespace, meta.name!), obj, { owned: true }));
    } catch (error) {
      throw fromStorageError(error, this.qr, meta.name!);
    }
  }

  /**
   * Read-modify-write shared by PUT, PATCH and apply: `transform` maps the current object (undefined
   * when absent) to the desired one; the store re-runs it if the object changed concurrently. The
   * current object may be the watch cache's frozen one: `transform` must copy it to change it.
   */
  async update(
    ctx: RequestContext,
    name: string,
    transform: (current: KubeObject | undefined) => Promise<KubeObject> | KubeObject,
    options: UpdateOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const subresource = options.subresource ?? '';
    const key = this.keyFor(ctx.namespace, name);
    let created = false;
    let result: KubeObject | undefined;
    let stored: KubeObject | undefined;
    let dryRunResult: KubeObject | undefined;
    const sctx = this.strategyContext(ctx);
    try {
      stored = await this.deps.storage.guaranteedUpdate(
        key,
        async (current) => {
          if (!current) {
            if (!options.allowCreate) throw ApiError.notFound(this.qr, name);
            const desired = await transform(undefined);
            desired.metadata = { ...desired.metadata, name };
            created = true;
            dryRunResult = await this.create(ctx, desired, { managedFieldsSet: options.managedFieldsSet });
            // Returning the created object aborts the update path: create already stored it.
            throw new CreatedInstead();
          }
          // A watch cache's frozen object may start the update: it is only read, never written to.
          const old = this.decorate(Object.isFrozen(current) && (!current.kind || !current.apiVersion) ? deepClone(current) : current);
          // `transform` only reads `old`; what it returns may be the caller's own object: it is
          // copied below before anything changes it (the status path copies just the status).
          const desired = await transform(old);
          const desiredMeta = desired.metadata ?? {};
          if (desiredMeta.name !== undefined && desiredMeta.name !== name) {
            throw ApiError.badRequest(`the name of the object (${desiredMeta.name}) does not match the name on the URL (${name})`);
          }
          if (desiredMeta.resourceVersion && desiredMeta.resourceVersion !== old.metadata.resourceVersion) {
            throw ApiError.conflict(this.qr, name, 'the object has been modified; please apply your changes to the latest version and try again');
          }
          if (subresource === 'status') {
            const merged = deepClone(old);
            // Every prepareForStatusUpdate copies the status it takes over.
            if (this.def.strategy.prepareForStatusUpdate) this.def.strategy.prepareForStatusUpdate(desired, merged);
            else merged.status = deepClone(desired.status);
            if (desiredMeta.managedFields !== undefined) merged.metadata.managedFields = deepClone(desiredMeta.managedFields);
            return this.finishUpdate(ctx, sctx, merged, old, subresource, options, (r) => (result = r), (r) => (dryRunResult = r));
          }
          const obj = deepClone(desired);
          const meta = obj.metadata ?? (obj.metadata = {});
          meta.name = name;
          if (this.def.namespaced) meta.namespace = ctx.namespace;
          // Fields the client may not change, whatever it sent.
          for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'resourceVersion'] as const) {
            // Absent stays absent: an explicit undefined would read as a field someone set.
            if (old.metadata[field] === undefined) delete meta[field];
            else (meta as Record<string, unknown>)[field] = old.metadata[field];
          }
          if (!options.managedFieldsSet && meta.managedFields === undefined) meta.managedFields = old.metadata.managedFields;
          if (subresource === 'finalize') {
            // namespaces/finalize changes spec.finalizers and nothing else.
            const merged = deepClone(old);
            const spec = { ...((merged.spec as object | undefined) ?? {}) } as Record<string, unknown>;
            spec.finalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
            merged.spec = spec;
            return this.finishUpdate(ctx, sctx, merged, old, subresource, options, (r) => (result = r), (r) => (dryRunResult = r));
          }
          this.def.strategy.applyDefaults?.(obj);
          return this.finishUpdate(ctx, sctx, obj, old, subresource, options, (r) => (result = r), (r) => (dryRunResult = r));
        },
        // What the callback returns is built for this request alone (finishUpdate's object).
        { ignoreNotFound: options.allowCreate === true, owned: true },
      );
    } catch (error) {
      if (error instanceof CreatedInstead) return { object: dryRunResult!, created: true };
      // The unchanged object may be the watch cache's shared one: the caller gets its own.
      if (error instanceof NoChange) return { object: Object.isFrozen(error.object) ? deepClone(error.object) : error.object, created: false };
      if (error instanceof DryRunDone) return { object: dryRunResult!, created };
      if (error instanceof DeleteNow) {
        try {
          const deleted = await this.deps.storage.delete(key, { preconditions: { uid: error.object.metadata.uid } });
          return { object: this.decorate(deleted), created: false };
        } catch (deleteError) {
          throw fromStorageError(deleteError, this.qr, name);
        }
      }
      throw fromStorageError(error, this.qr, name);
    }
    // What storage wrote, with its new resourceVersion: a client reusing the answer must not 409.
    return { object: this.decorate(stored ?? result!), created };
  }

  private async finishUpdate(
    ctx: RequestContext,
    sctx: StrategyContext,
    obj: KubeObject,
    old: KubeObject,
    subresource: string,
    options: UpdateOptions,
    setResult: (obj: KubeObject) => void,
    setDryRun: (obj: KubeObject) => void,
  ): Promise<KubeObject> {
    const strategy = this.def.strategy;
    if (subresource === '') strategy.prepareForUpdate?.(obj, old, sctx);
    if (subresource === '' || subresource === 'status') {
      await this.deps.admission.admit(this.attributes('UPDATE', ctx, obj.metadata.name!, subresource, obj, old));
    }
    if (subresource === '') await this.deps.allocate?.(this.def, obj, old);
    if (strategy.tracksGeneration && !deepEqual(specOf(obj), specOf(old))) {
      obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    } else {
      obj.metadata.generation = old.metadata.generation;
    }
    const kindCauses = subresource === 'status' && strategy.validateStatusUpdate ? strategy.validateStatusUpdate(obj, old, sctx) : strategy.validateUpdate?.(obj, old, sctx);
    const causes = [...this.deps.meta.update(obj, old, this.def), ...(kindCauses ?? [])];
    if (causes.length > 0) throw ApiError.invalid(this.def.kind, this.def.group, obj.metadata.name ?? '', causes);
    await this.deps.admission.validate(this.attributes('UPDATE', ctx, obj.metadata.name!, subresource, obj, old));
    strategy.canonicalize?.(obj);
    if (!options.managedFieldsSet) this.deps.fields.update(old, obj, ctx.fieldManager, ctx.apiVersion, this.deps.clock.now(), subresource);
    this.decorate(obj);
    // An update that changes nothing is not written: resourceVersion stays, watchers see nothing.
    if (sameButVolatile(obj, old)) throw new NoChange(old);
    // The last finalizer removed from an object being deleted: the update completes the deletion.
    if (shouldDeleteDuringUpdate(obj) && !ctx.dryRun) {
      setResult(obj);
      throw new DeleteNow(obj);
    }
    if (ctx.dryRun) {
      setDryRun(obj);
      throw new DryRunDone();
    }
    setResult(obj);
    return obj;
  }
}

class CreatedInstead extends Error {}
class DryRunDone extends Error {}
class NoChange extends Error {
  constructor(readonly object: KubeObject) {
    super('no change');
  }
}
export class DeleteNow extends Error {
  constructor(readonly object: KubeObject) {
    super('delete now');
  }
}

/** As kube-apiserver: an object marked for deletion with no grace left and no finalizer goes now. */
function shouldDeleteDuringUpdate(obj: KubeObject): boolean {
  const meta = obj.metadata;
  if (!meta.deletionTimestamp || (meta.finalizers ?? []).length > 0) return false;
  if (obj.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return false;
  return (meta.deletionGracePeriodSeconds ?? 0) === 0;
}

/**
 * Equal but for resourceVersion and the times of managedFields entries (they change on every
 * write; what they say about ownership is compared). Compared in place: every update asks.
 */
function sameButVolatile(a: KubeObject, b: KubeObject): boolean {
  if (!sameMembers(a, b, 'metadata') || !sameMembers(a.metadata, b.metadata, 'resourceVersion', 'managedFields')) return false;
  const af: unknown = a.metadata.managedFields;
  const bf: unknown = b.metadata.managedFields;
  if (!Array.isArray(af) || !Array.isArray(bf)) return deepEqual(af, bf);
  if (af.length !== bf.length) return false;
  for (let i = 0; i < af.length; i++) {
    const ae: unknown = af[i];
    const be: unknown = bf[i];
    if (!isObject(ae) || !isObject(be) ? !deepEqual(ae, be) : !sameMembers(ae, be, 'time')) return false;
  }
  return true;
}

/** deepEqual of two objects' members but the `skipped` ones (undefined members count as absent). */
function sameMembers(a: object, b: object, ...skipped: string[]): boolean {
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const key in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, key) || ao[key] === undefined || skipped.includes(key)) continue;
    defined++;
    if (!deepEqual(ao[key], bo[key])) return false;
  }
  for (const key in bo) if (Object.prototype.hasOwnProperty.call(bo, key) && bo[key] !== undefined && !skipped.includes(key)) defined--;
  return defined === 0;
}

export type { StorageWatch, StorageWatchEvent };
