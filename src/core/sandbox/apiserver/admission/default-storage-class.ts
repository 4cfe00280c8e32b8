// DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new claim that
// names no class gets the cluster's default one. A claim with storageClassName "" asked for no
// class on purpose and is left alone.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, isResource, listOrEmpty, peek, LISTER } from './util.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const STORAGE_CLASSES = { group: 'storage.k8s.io', resource: 'storageclasses' };

export function isDefaultClass(sc: KubeObject): boolean {
  const annotations = sc.metadata.annotations ?? {};
  return annotations[DEFAULT_CLASS_ANNOTATION] === 'true' || annotations[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The default class; when several are marked, the newest wins (ties: the first name). */
export function pickDefaultClass(classes: KubeObject[]): KubeObject | undefined {
  const time = (sc: KubeObject) => Date.parse(sc.metadata.creationTimestamp ?? '') || 0;
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => time(b) - time(a) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

export class DefaultStorageClassPlugin implements AdmissionPlugin {
  readonly name = 'DefaultStorageClass';

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.operation !== 'CREATE' || attributes.subresource !== '' || !attributes.object) return;
    if (!isResource(attributes, '', 'persistentvolumeclaims')) return;
    const pvc = attributes.object;
    const spec = peek(pvc, 'spec');
    const hasClass = pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined || typeof spec?.storageClassName === 'string';
    if (hasClass) return;
    const def = pickDefaultClass(await listOrEmpty(client, STORAGE_CLASSES, '', LISTER));
    if (def?.metadata.name) child(pvc, 'spec').storageClassName = def.metadata.name;
  }
}
