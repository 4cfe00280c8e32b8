// ApiClient for in-process components: the same ResourceApi the HTTPS server uses, minus the socket.
import type { KubeList, KubeObject } from '../../../shared/kube.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { UserInfo } from '../registry/types.js';
import type { ApiClient, ClientWatch, ClientWatchEvent, DeleteOptions, ListQuery, PatchType, ResourceRef, WatchQuery, WriteOptions } from './client.js';
import { ApiError } from './errors.js';
import type { ResourceApi, Target } from './resource-api.js';

export class LocalApiClient implements ApiClient {
  constructor(
    private readonly api: ResourceApi,
    private readonly registry: ResourceRegistry,
    private readonly user: UserInfo,
    private readonly fieldManager = 'kube-controller-manager',
  ) {}

  /**
   * This client returns no warnings, so unknown fields are not looked for unless a caller asks
   * (Strict): the walk over every written object was pure cost on each controller and kubelet write.
   */
  private writeOptions<T extends WriteOptions>(options: T): T {
    return { fieldManager: this.fieldManager, fieldValidation: 'Ignore', ...options };
  }

  private target(ref: ResourceRef, namespace: string): Target {
    const def = this.registry.byGroupResource(ref.group, ref.resource);
    const version = ref.version ?? def?.versions[0];
    if (!def || !version || !def.versions.includes(version)) {
      throw ApiError.make(404, 'NotFound', `the server could not find the requested resource (${ref.group ? `${ref.resource}.${ref.group}` : ref.resource})`);
    }
    return { def, version, namespace: def.namespaced ? namespace : '' };
  }

  async get(ref: ResourceRef, namespace: string, name: string, options?: { resourceVersion?: string }): Promise<KubeObject> {
    return this.api.get(this.target(ref, namespace), name, options?.resourceVersion);
  }

  async list(ref: ResourceRef, namespace: string, query?: ListQuery): Promise<KubeList> {
    return this.api.list(this.target(ref, namespace), query);
  }

  async create(ref: ResourceRef, namespace: string, obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const opts = this.writeOptions(options);
    const target = this.target(ref, namespace);
    const sub = options.subresource;
    if (sub) throw ApiError.badRequest(`create of the ${sub} subresource goes through the HTTPS API`);
    return (await this.api.create(this.user, target, obj, opts, this.fieldManager)).object;
  }

  async update(ref: ResourceRef, namespace: string, obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const opts = this.writeOptions(options);
    return (await this.api.update(this.user, this.target(ref, namespace), obj.metadata.name ?? '', obj, opts, this.fieldManager)).object;
  }

  async patch(ref: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, options: WriteOptions & { force?: boolean } = {}): Promise<KubeObject> {
    const opts = this.writeOptions(options);
    // What the wire would carry: an `undefined` member must not read as a deletion (merge patch null).
    // A merge patch only reads its patch (it copies what it takes), so plain JSON goes as it is: the
    // text round trip was a copy of every kubelet status and event count patch.
    const wire: unknown = patch === undefined || (type === 'merge' && isPlainJson(patch)) ? patch : JSON.parse(JSON.stringify(patch));
    return (await this.api.patch(this.user, this.target(ref, namespace), name, type, wire, opts, this.fieldManager)).object;
  }

  async delete(ref: ResourceRef, namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject> {
    return (await this.api.delete(this.user, this.target(ref, namespace), name, options)).object;
  }

  watch(ref: ResourceRef, namespace: string, query: WatchQuery, onEvent: (event: ClientWatchEvent) => void): ClientWatch {
    return this.api.watch(this.target(ref, namespace), query, onEvent);
  }
}

/** True when JSON.stringify then JSON.parse would give an equal value: no undefined, -0, NaN, Date, class instance... */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (item === undefined || !isPlainJson(item)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
