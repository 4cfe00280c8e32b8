// PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize): a claim may
// only grow when it is bound and its StorageClass has allowVolumeExpansion: true.
import { compareQuantity } from '../../registry/kinds/quantity.js';
import type { ApiClient } from '../client.js';
import { claimClass } from './quota-evaluators.js';
import { resourceList, ZERO } from './resource-list.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, peek, str } from './util.js';

const STORAGE_CLASSES = { group: 'storage.k8s.io', resource: 'storageclasses' };

export class PersistentVolumeClaimResizePlugin implements AdmissionPlugin {
  readonly name = 'PersistentVolumeClaimResize';

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.operation !== 'UPDATE' || attributes.subresource !== '') return;
    if (!isResource(attributes, '', 'persistentvolumeclaims')) return;
    const pvc = attributes.object;
    const old = attributes.oldObject;
    if (!pvc || !old) return;
    const size = (obj: typeof pvc) => resourceList(peek(peek(obj, 'spec'), 'resources'), 'requests').storage ?? ZERO;
    if (compareQuantity(size(pvc), size(old)) <= 0) return;
    if (str(old.status, 'phase') !== 'Bound') throw forbidden(attributes, 'Only bound persistent volume claims can be expanded');
    if (!(await this.allowResize(claimClass(pvc), claimClass(old), client))) {
      throw forbidden(attributes, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    }
  }

  private async allowResize(cls: string, oldCls: string, client: ApiClient): Promise<boolean> {
    if (!cls || cls !== oldCls) return false;
    try {
      const sc = await client.get(STORAGE_CLASSES, '', cls);
      return sc.allowVolumeExpansion === true;
    } catch {
      // A class that cannot be read is treated as not allowing expansion, as upstream does.
      return false;
    }
  }
}
