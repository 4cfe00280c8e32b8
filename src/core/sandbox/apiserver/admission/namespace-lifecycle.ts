// NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle): no content in namespaces that do
// not exist or are being terminated, and the system namespaces can never be deleted.
import { ApiError } from '../errors.js';
import type { ApiClient } from '../client.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, internal, isNotFound, isResource, str } from './util.js';

export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

const NAMESPACES = { group: '', resource: 'namespaces' };

function isNamespace(attributes: AdmissionAttributes): boolean {
  return isResource(attributes, '', 'namespaces');
}

/** Access reviews must not leak whether a namespace exists. */
function isAccessReview(attributes: AdmissionAttributes): boolean {
  return isResource(attributes, 'authorization.k8s.io', 'localsubjectaccessreviews');
}

function checkImmortal(attributes: AdmissionAttributes): void {
  if (attributes.operation === 'DELETE' && isNamespace(attributes) && IMMORTAL_NAMESPACES.includes(attributes.name)) {
    throw ApiError.forbidden(`namespaces "${attributes.name}" is forbidden: this namespace may not be deleted`, NAMESPACES, attributes.name);
  }
}

export interface NamespaceLifecycleOptions {
  /** How long an Active namespace is trusted without a new lookup (upstream reads an informer cache). */
  cacheTtlMs?: number;
  now?: () => number;
}

/** After a namespace DELETE, lookups stay live this long so creates see Terminating at once. */
const FORCE_LIVE_LOOKUP_MS = 30_000;

export class NamespaceLifecyclePlugin implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly active = new Map<string, number>();
  private readonly forceLive = new Map<string, number>();

  constructor(options: NamespaceLifecycleOptions = {}) {
    this.ttl = options.cacheTtlMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
  }

  private onNamespaceDelete(attributes: AdmissionAttributes): void {
    checkImmortal(attributes);
    if (attributes.operation === 'DELETE' && isNamespace(attributes)) {
      this.active.delete(attributes.name);
      this.forceLive.set(attributes.name, this.now() + FORCE_LIVE_LOOKUP_MS);
    }
  }

  /** The namespace's phase, from a short-lived cache of Active namespaces or a live lookup. */
  private async phase(namespace: string, client: ApiClient): Promise<string> {
    const now = this.now();
    if ((this.active.get(namespace) ?? 0) > now) return 'Active';
    let obj;
    try {
      obj = await client.get(NAMESPACES, '', namespace);
    } catch (error) {
      if (isNotFound(error)) throw ApiError.notFound(NAMESPACES, namespace);
      throw internal(error);
    }
    const phase = str(obj.status, 'phase') ?? 'Active';
    const forced = (this.forceLive.get(namespace) ?? 0) > now;
    if (phase === 'Active' && !forced && !obj.metadata.deletionTimestamp) this.active.set(namespace, now + this.ttl);
    return phase;
  }

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    this.onNamespaceDelete(attributes);
    // Cluster-scoped resources and namespaces themselves are always allowed, as is deleting content.
    if (!attributes.namespace || isNamespace(attributes)) return;
    if (attributes.operation === 'DELETE' || isAccessReview(attributes)) return;

    const phase = await this.phase(attributes.namespace, client);
    if (attributes.operation !== 'CREATE' || phase !== 'Terminating') return;
    const error = forbidden(attributes, `unable to create new content in namespace ${attributes.namespace} because it is being terminated`);
    const details = error.status.details ?? (error.status.details = {});
    details.causes = [
      { reason: 'NamespaceTerminating', message: `namespace ${attributes.namespace} is being terminated`, field: 'metadata.namespace' },
    ];
    throw error;
  }

  /** The registry runs only the validating phase on DELETE, so the DELETE handling lives here too. */
  async validate(attributes: AdmissionAttributes): Promise<void> {
    this.onNamespaceDelete(attributes);
  }
}
