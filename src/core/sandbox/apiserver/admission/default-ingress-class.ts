// DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): a new Ingress that names
// no class (neither spec.ingressClassName nor the legacy annotation) gets the default IngressClass.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, isResource, listOrEmpty, peek, LISTER } from './util.js';

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const INGRESS_CLASSES = { group: 'networking.k8s.io', resource: 'ingressclasses' };

/** The newest class marked default (ties: the first name), as upstream picks. */
export function pickDefaultIngressClass(classes: KubeObject[]): KubeObject | undefined {
  const time = (c: KubeObject) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
  return classes
    .filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => time(b) - time(a) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

export class DefaultIngressClassPlugin implements AdmissionPlugin {
  readonly name = 'DefaultIngressClass';

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.operation !== 'CREATE' || attributes.subresource !== '' || !attributes.object) return;
    if (!isResource(attributes, 'networking.k8s.io', 'ingresses')) return;
    const ingress = attributes.object;
    if (typeof peek(ingress, 'spec')?.ingressClassName === 'string') return;
    if (ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] !== undefined) return;
    const def = pickDefaultIngressClass(await listOrEmpty(client, INGRESS_CLASSES, '', LISTER));
    if (def?.metadata.name) child(ingress, 'spec').ingressClassName = def.metadata.name;
  }
}
