// RuntimeClass (plugin/pkg/admission/runtimeclass): a pod naming a RuntimeClass must find it, gets
// its pod overhead (which the pod may not contradict) and its scheduling constraints merged in.
import type { KubeObject } from '../../../../shared/kube.js';
import { compareQuantity } from '../../registry/kinds/quantity.js';
import type { ApiClient } from '../client.js';
import { resourceList, type ResourceList } from './resource-list.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, forbidden, isNotFound, isResource, objs, peek, str, strMap, type Obj } from './util.js';

const RUNTIME_CLASSES = { group: 'node.k8s.io', resource: 'runtimeclasses' };

function sameResources(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && compareQuantity(a[k], b[k]) === 0);
}

function sameToleration(a: Obj, b: Obj): boolean {
  return ['key', 'operator', 'value', 'effect', 'tolerationSeconds'].every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

export class RuntimeClassPlugin implements AdmissionPlugin {
  readonly name = 'RuntimeClass';

  private handles(attributes: AdmissionAttributes): boolean {
    return attributes.operation === 'CREATE' && attributes.subresource === '' && isResource(attributes, '', 'pods') && !!attributes.object;
  }

  private async runtimeClass(attributes: AdmissionAttributes, spec: Obj, client: ApiClient): Promise<KubeObject | undefined> {
    const name = str(spec, 'runtimeClassName');
    if (!name) return undefined;
    try {
      return await client.get(RUNTIME_CLASSES, '', name);
    } catch (error) {
      if (isNotFound(error)) throw forbidden(attributes, `pod rejected: RuntimeClass "${name}" not found`);
      throw error;
    }
  }

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes)) return;
    const spec = child(attributes.object as KubeObject, 'spec');
    const rc = await this.runtimeClass(attributes, spec, client);
    if (!rc) return;
    const podFixed = peek(peek(rc, 'overhead'), 'podFixed');
    if (podFixed) {
      const current = resourceList(spec, 'overhead');
      if (Object.keys(current).length > 0 && !sameResources(current, resourceList(peek(rc, 'overhead'), 'podFixed'))) {
        throw forbidden(attributes, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      }
      spec.overhead = { ...podFixed };
    }
    const scheduling = peek(rc, 'scheduling');
    if (!scheduling) return;
    const selector = strMap(spec, 'nodeSelector');
    for (const [key, value] of Object.entries(strMap(scheduling, 'nodeSelector'))) {
      if (key in selector && selector[key] !== value) {
        throw forbidden(attributes, `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${selector[key]}`);
      }
      selector[key] = value;
    }
    if (Object.keys(selector).length > 0) spec.nodeSelector = selector;
    const tolerations = objs(spec, 'tolerations');
    const extra = objs(scheduling, 'tolerations').filter((t) => !tolerations.some((own) => sameToleration(own, t)));
    if (extra.length > 0) spec.tolerations = [...tolerations, ...extra];
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes)) return;
    const spec = peek(attributes.object, 'spec') ?? {};
    const overhead = resourceList(spec, 'overhead');
    if (Object.keys(overhead).length === 0) return;
    const rc = await this.runtimeClass(attributes, spec, client);
    const podFixed = rc ? peek(peek(rc, 'overhead'), 'podFixed') : undefined;
    if (!podFixed) throw forbidden(attributes, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    if (!sameResources(overhead, resourceList(peek(rc, 'overhead'), 'podFixed'))) {
      throw forbidden(attributes, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
    }
  }
}
