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

export class NamespaceLifecyclePlugin implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    checkImmortal(attributes);
    // Cluster-scoped resources and namespaces themselves are always allowed, as is deleting content.
    if (!attributes.namespace || isNamespace(attributes)) return;
    if (attributes.operation === 'DELETE' || isAccessReview(attributes)) return;

    let namespace;
    try {
      namespace = await client.get(NAMESPACES, '', attributes.namespace);
    } catch (error) {
      if (isNotFound(error)) throw ApiError.notFound(NAMESPACES, attributes.namespace);
      throw internal(error);
    }
    if (attributes.operation !== 'CREATE') return;
    if (str(namespace.status, 'phase') !== 'Terminating') return;
    const error = forbidden(attributes, `unable to create new content in namespace ${attributes.namespace} because it is being terminated`);
    const details = error.status.details ?? (error.status.details = {});
    details.causes = [
      { reason: 'NamespaceTerminating', message: `namespace ${attributes.namespace} is being terminated`, field: 'metadata.namespace' },
    ];
    throw error;
  }

  /** The registry runs only the validating phase on DELETE, so the immortal check lives here too. */
  async validate(attributes: AdmissionAttributes): Promise<void> {
    checkImmortal(attributes);
  }
}
