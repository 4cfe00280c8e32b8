// The REST semantics of every resource, independent of HTTP: the HTTPS server and the in-process
// client both call this, so a controller's write goes through exactly what kubectl's does.
import type { KubeList, KubeObject } from '../../../shared/kube.js';
import { apiVersionOf, parseApiVersion } from '../../../shared/kube.js';
import { deleteObject } from '../registry/store/deletion.js';
import type { RequestContext } from '../registry/store/generic-store.js';
import { isObject } from '../registry/store/object-util.js';
import type { ResourceDef, UserInfo } from '../registry/types.js';
import { fromStorageVersion, toStorageVersion } from '../registry/conversion.js';
import type { GenericStore } from '../registry/store/generic-store.js';
import type { ClientWatch, ClientWatchEvent, DeleteOptions, ListQuery, PatchType, WatchQuery, WriteOptions } from './client.js';
import { ApiError, fromStorageError } from './errors.js';
import type { ApiServices } from './services.js';
import { cloneJson } from '../store/json-clone.js';
import { goV } from './typed/go-values.js';
import type { TypedSchema, UndeclaredFields } from './typed/type-walk.js';
import { checkApplied, checkJsonPatchResult, checkStrategicPatch, decodeBody, dropFields, patchInvalid, undeclaredFields } from './typed/write-checks.js';

export interface Target {
  def: ResourceDef;
  /** The version the client addressed. */
  version: string;
  namespace: string;
}

export interface WriteResult {
  object: KubeObject;
  /** HTTP code: 200, 201 (created) or 202 (deletion pending). */
  code: number;
  warnings: string[];
}

export class ResourceApi {
  constructor(private readonly services: ApiServices) {}

  private context(user: UserInfo, target: Target, options: WriteOptions, defaultManager: string): RequestContext {
    return {
      warnings: [],
      user,
      namespace: target.def.namespaced ? target.namespace : '',
      dryRun: options.dryRun ?? false,
      fieldManager: options.fieldManager || defaultManager,
      apiVersion: apiVersionOf(target.def.group, target.version),
    };
  }

  /** Objects leave the API in the version the client asked for. */
  private output(target: Target, stored: KubeObject): KubeObject {
    const obj = fromStorageVersion(target.def, target.version, stored);
    const apiVersion = apiVersionOf(target.def.group, target.version);
    const kind = target.def.kind;
    if (obj.apiVersion === apiVersion && obj.kind === kind) return obj;
    // Watch events carry the watch cache's frozen objects, shared by every watcher: never write to them.
    if (Object.isFrozen(obj)) return { ...obj, apiVersion, kind };
    obj.apiVersion = apiVersion;
    obj.kind = kind;
    return obj;
  }

  /** events.k8s.io Events are stored as core Events, in the same place. */
  private storeOf(def: ResourceDef): GenericStore {
    const storageDef = def.group === 'events.k8s.io' && def.plural === 'events' ? this.services.registry.byGroupResource('', 'events') ?? def : def;
    return this.services.storeFor(storageDef);
  }

  async get(target: Target, name: string, resourceVersion?: string): Promise<KubeObject> {
    const store = this.storeOf(target.def);
    return this.output(target, await store.get(target.namespace, name, resourceVersion || undefined));
  }

  async list(target: Target, query: ListQuery = {}): Promise<KubeList> {
    const store = this.storeOf(target.def);
    const predicate = this.services.selection.predicate(target.def, query.labelSelector ?? '', query.fieldSelector ?? '');
    try {
      const result = await store.deps.storage.list({
        prefix: store.prefixFor(target.namespace),
        resourceVersion: query.resourceVersion,
        resourceVersionMatch: query.resourceVersionMatch,
        limit: query.limit,
        continue: query.continue,
        predicate,
      });
      return {
        apiVersion: apiVersionOf(target.def.group, target.version),
        kind: target.def.listKind,
        metadata: {
          resourceVersion: result.resourceVersion,
          ...(result.continue ? { continue: result.continue } : {}),
          ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
        },
        items: result.items.map((item) => this.output(target, item)),
      };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof Error && error.name === 'StorageError' && (error as { code?: string }).code === 'Expired') {
        throw ApiError.gone(query.continue ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.' : `Expired: too old resource version: ${query.resourceVersion}`);
      }
      throw fromStorageError(error, { group: target.def.group, resource: target.def.plural }, '');
    }
  }

  watch(target: Target, query: WatchQuery, onEvent: (event: ClientWatchEvent) => void): ClientWatch {
    const store = this.storeOf(target.def);
    const predicate = this.services.selection.predicate(target.def, query.labelSelector ?? '', query.fieldSelector ?? '');
    let resolveDone!: () => void;
    let rejectDone!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    done.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = store.deps.storage.watch(
      {
        key: store.prefixFor(target.namespace),
        recursive: true,
        resourceVersion: query.resourceVersion,
        sendInitialEvents: query.sendInitialEvents,
        predicate,
        bookmarkIntervalMs: query.allowWatchBookmarks ? 60_000 : undefined,
      },
      (event) => {
        if (event.type === 'BOOKMARK') {
          if (!query.allowWatchBookmarks && !query.sendInitialEvents) return;
          event.object.apiVersion = apiVersionOf(target.def.group, target.version);
          event.object.kind = target.def.kind;
          onEvent({ type: 'BOOKMARK', object: event.object });
          return;
        }
        if (event.type === 'ERROR') {
          onEvent({ type: 'ERROR', object: event.object });
          return;
        }
        onEvent({ type: event.type, object: this.output(target, event.object) });
      },
    );
    const stop = () => {
      if (timer) clearTimeout(timer);
      watch.dispose();
      resolveDone();
    };
    watch.ready.then(
      () => {
        if (query.timeoutSeconds && query.timeoutSeconds > 0) timer = setTimeout(stop, query.timeoutSeconds * 1000);
      },
      (error: unknown) => {
        if (timer) clearTimeout(timer);
        rejectDone(error instanceof Error && (error as { code?: string }).code === 'Expired' ? ApiError.gone(`too old resource version: ${query.resourceVersion}`) : fromStorageError(error, { group: target.def.group, resource: target.def.plural }, ''));
      },
    );
    const ready = watch.ready.catch((error: unknown) => {
      throw error instanceof Error && (error as { code?: string }).code === 'Expired' ? ApiError.gone(`too old resource version: ${query.resourceVersion}`) : error;
    });
    return { ready, done, dispose: stop };
  }

  /** `bodyOwned`: `body` was decoded for this request alone (HTTP), so the store may work on it without a copy. */
  async create(user: UserInfo, target: Target, body: unknown, options: WriteOptions = {}, defaultManager = 'unknown', bodyOwned = false): Promise<WriteResult> {
    const obj = this.checkBody(target, body, options);
    const meta = obj.metadata;
    if (target.def.namespaced) {
      if (meta.namespace && target.namespace && meta.namespace !== target.namespace) {
        throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (!target.namespace) throw ApiError.badRequest('the server could not find the requested resource');
    }
    const unknown = this.checkDecoding(target, obj, options);
    const warnings = this.fieldWarnings(target, obj, options, true, undefined, unknown?.names);
    const decoded = this.dropUndeclared(obj, unknown, bodyOwned);
    const store = this.storeOf(target.def);
    const ctx = this.context(user, target, options, defaultManager);
    const created = await store.create(ctx, toStorageVersion(target.def, target.version, decoded), { owned: bodyOwned });
    return { object: this.output(target, created), code: 201, warnings: [...warnings, ...(ctx.warnings ?? [])] };
  }

  async update(user: UserInfo, target: Target, name: string, body: unknown, options: WriteOptions = {}, defaultManager = 'unknown'): Promise<WriteResult> {
    const obj = this.checkBody(target, body, options);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw ApiError.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (target.def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== target.namespace) {
      throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const unknown = this.checkDecoding(target, obj, options);
    const warnings = this.fieldWarnings(target, obj, options, true, undefined, unknown?.names);
    const decoded = this.dropUndeclared(obj, unknown, false);
    const store = this.storeOf(target.def);
    const subresource = options.subresource ?? '';
    const ctx = this.context(user, target, options, defaultManager);
    const { object, created } = await store.update(ctx, name, () => toStorageVersion(target.def, target.version, decoded), {
      subresource,
      allowCreate: subresource === '' && ALLOW_CREATE_ON_UPDATE.has(`${target.def.group}/${target.def.plural}`),
    });
    return { object: this.output(target, object), code: created ? 201 : 200, warnings: [...warnings, ...(ctx.warnings ?? [])] };
  }

  async patch(
    user: UserInfo,
    target: Target,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions & { force?: boolean } = {},
    defaultManager = 'unknown',
  ): Promise<WriteResult> {
    const { patches, clock } = this.services;
    const def = target.def;
    if (type === 'strategic' && def.group !== '' && !isBuiltinGroup(def.group)) {
      throw ApiError.unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
    }
    if (type === 'apply' && !options.fieldManager) {
      throw ApiError.badRequest('PATCH, application/apply-patch+yaml requires a non-empty fieldManager query parameter');
    }
    const store = this.storeOf(def);
    const ctx = this.context(user, target, options, defaultManager);
    const typed = this.typedSchema(target, options);
    const warnings: string[] = [];
    const { object, created } = await store.update(
      ctx,
      name,
      (current) => {
        let next: KubeObject;
        if (type === 'apply') {
          const applied = this.checkBody(target, patch, options);
          // structured-merge-diff refuses undeclared fields before fieldValidation is looked at (500).
          if (typed) checkApplied(typed, applied, parseApiVersion(ctx.apiVersion));
          else warnings.push(...this.fieldWarnings(target, applied, options));
          const seen = current ? this.output(target, cloneJson(current)) : undefined;
          next = toStorageVersion(def, target.version, patches.apply(def, seen, applied, { manager: ctx.fieldManager, force: options.force ?? false, apiVersion: ctx.apiVersion, now: clock.now() }));
        } else {
          if (!current) throw ApiError.notFound({ group: def.group, resource: def.plural }, name);
          // A patch is written against the version the client uses.
          const seen = this.output(target, cloneJson(current));
          const patched = type === 'json' ? patches.json(seen, patch) : type === 'merge' ? patches.merge(seen, patch) : patches.strategic(def, seen, patch);
          let unknown: UndeclaredFields | undefined;
          if (typed) {
            if (type === 'strategic') checkStrategicPatch(typed, patch);
            else unknown = checkJsonPatchResult(typed, type, patched, patch);
            unknown ??= undeclaredFields(typed, patched);
            // The converter behind a strategic merge patch reports them sorted.
            if (type === 'strategic' && unknown) unknown = { ...unknown, names: [...unknown.names].sort() };
          }
          warnings.push(...this.fieldWarnings(target, patched, options, false, () => (type === 'strategic' ? goV(patch) : JSON.stringify(patched)), unknown?.names));
          if (unknown) dropFields(patched, unknown.paths);
          next = toStorageVersion(def, target.version, patched);
          // A patch is against the current object: its resourceVersion is a precondition only if the patch sets one.
          const patchRv = isObject(patch) && isObject(patch.metadata) ? patch.metadata.resourceVersion : undefined;
          if (typeof patchRv !== 'string') next.metadata.resourceVersion = current.metadata.resourceVersion;
        }
        return next;
      },
      { subresource: options.subresource ?? '', allowCreate: type === 'apply' && !options.subresource, managedFieldsSet: type === 'apply' },
    );
    return { object: this.output(target, object), code: created ? 201 : 200, warnings: [...warnings, ...(ctx.warnings ?? [])] };
  }

  async delete(user: UserInfo, target: Target, name: string, options: DeleteOptions = {}): Promise<WriteResult> {
    const store = this.storeOf(target.def);
    const ctx = this.context(user, target, { dryRun: options.dryRun }, '');
    const outcome = await deleteObject(store, ctx, name, {
      preconditions: options.preconditions,
      gracePeriodSeconds: options.gracePeriodSeconds,
      propagationPolicy: options.propagationPolicy,
    });
    return { object: this.output(target, outcome.object), code: outcome.deleted ? 200 : 202, warnings: [] };
  }

  async deleteCollection(user: UserInfo, target: Target, query: ListQuery, options: DeleteOptions = {}): Promise<KubeList> {
    const list = await this.list(target, { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector });
    const items: KubeObject[] = [];
    for (const item of list.items) {
      try {
        const ns = item.metadata.namespace ?? '';
        const result = await this.delete(user, { ...target, namespace: ns }, item.metadata.name ?? '', options);
        items.push(result.object);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    return { ...list, items };
  }

  /** The body must be an object of this resource's kind, in a served version of its group. */
  private checkBody(target: Target, body: unknown, options: WriteOptions): KubeObject {
    const def = target.def;
    if (!isObject(body)) throw ApiError.badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const obj = body as KubeObject;
    const expectedKind = options.subresource === 'scale' ? 'Scale' : def.kind;
    if (options.subresource !== 'scale' && options.subresource !== undefined && options.subresource !== '' && options.subresource !== 'status') {
      return obj;
    }
    if (typeof obj.kind === 'string' && obj.kind !== expectedKind) {
      throw ApiError.badRequest(`${expectedKind} in version "${target.version}" cannot be handled as a ${obj.kind}: no kind "${obj.kind}" is registered for version "${apiVersionOf(def.group, target.version)}" in scheme "k8s.io/apimachinery/pkg/runtime/scheme.go:100"`);
    }
    if (typeof obj.apiVersion === 'string' && options.subresource !== 'scale') {
      const { group, version } = parseApiVersion(obj.apiVersion);
      if (group !== def.group || !def.versions.includes(version)) {
        throw ApiError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(def.group, target.version)})`);
      }
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isObject(obj.metadata)) throw ApiError.badRequest('metadata must be an object');
    return obj;
  }

  /**
   * A value of the wrong JSON type fails decoding before anything else, whatever fieldValidation says.
   * For built-in kinds the same walk finds the undeclared fields (returned; undefined when another
   * walk must look for them).
   */
  private checkDecoding(target: Target, obj: KubeObject, options: WriteOptions): UndeclaredFields | undefined {
    if (options.subresource && options.subresource !== 'status') return undefined;
    const typed = this.typedSchema(target, options);
    if (!typed) return undefined;
    const decoded = decodeBody(typed, obj);
    if (decoded.error) throw ApiError.badRequest(`${target.def.kind} in version "${target.version}" cannot be handled as a ${target.def.kind}: ${decoded.error}`);
    return decoded.unknown;
  }

  /** A built-in kind's object without its undeclared fields, as decoding leaves it; copied unless handed over. */
  private dropUndeclared(obj: KubeObject, unknown: UndeclaredFields | undefined, owned: boolean): KubeObject {
    if (!unknown || unknown.paths.length === 0) return obj;
    const out = owned ? obj : cloneJson(obj);
    dropFields(out, unknown.paths);
    return out;
  }

  /** The autoscaling/v1 Scale schema, from the document that publishes the kind's scale subresource. */
  scaleTypedSchema(target: Target): TypedSchema | undefined {
    const typed = this.services.schemas.typedSchema?.(target.def, target.version);
    const root = typed?.resolve('#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
    return typed && root ? { root, resolve: typed.resolve, kind: 'Scale', custom: false } : undefined;
  }

  /** The kind's schema for type checks: the main resource and its status (a scale is another kind). */
  private typedSchema(target: Target, options: WriteOptions): TypedSchema | undefined {
    if (options.subresource && options.subresource !== 'status') return undefined;
    return this.services.schemas.typedSchema?.(target.def, target.version);
  }

  /**
   * fieldValidation: Strict rejects unknown fields, Warn reports them, Ignore drops the check. Whole-body
   * writes (create, update) fail as the decoder does: "<Kind> in version ... cannot be handled as a <Kind>: ...";
   * a patch's result as kube-apiserver's patcher does: 422 on "patch", its value `patchValue()`.
   */
  private fieldWarnings(target: Target, obj: KubeObject, options: WriteOptions, decoding = false, patchValue?: () => string, found?: string[]): string[] {
    const mode = options.fieldValidation ?? 'Warn';
    if (mode === 'Ignore') return [];
    const unknown = found ?? this.services.schemas.unknownFields(target.def, target.version, obj);
    if (unknown.length === 0) return [];
    if (mode === 'Strict') {
      const detail = unknown.map((f) => `unknown field "${f}"`).join(', ');
      if (patchValue) throw patchInvalid(patchValue(), `strict decoding error: ${detail}`);
      const kind = target.def.kind;
      const prefix = decoding && options.subresource !== 'scale' ? `${kind} in version "${target.version}" cannot be handled as a ${kind}: ` : '';
      throw ApiError.badRequest(`${prefix}strict decoding error: ${detail}`);
    }
    return unknown.map((f) => `unknown field "${f}"`);
  }
}

// Kinds whose PUT may create the object (AllowCreateOnUpdate in their kube-apiserver strategies).
const ALLOW_CREATE_ON_UPDATE = new Set(['/endpoints', '/events', 'events.k8s.io/events', 'coordination.k8s.io/leases']);

const BUILTIN_GROUP_SUFFIXES = ['.k8s.io'];
export function isBuiltinGroup(group: string): boolean {
  if (['apps', 'batch', 'autoscaling', 'policy', ''].includes(group)) return true;
  return BUILTIN_GROUP_SUFFIXES.some((s) => group.endsWith(s)) && !group.includes('.x-k8s.io');
}
