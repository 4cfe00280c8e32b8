// Priority (plugin/pkg/admission/priority): a pod's priorityClassName is resolved into
// spec.priority and spec.preemptionPolicy on create (the pod may not choose its own number), and
// at most one PriorityClass may be the global default.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import type { ApiClient } from '../client.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, forbidden, isResource, listOrEmpty, str, LISTER } from './util.js';

const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

/** The classes kube-apiserver bootstraps; used when the objects are not (yet) in the store. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

interface Resolved {
  name: string;
  value: number;
  preemptionPolicy?: string;
}

function resolved(pc: KubeObject): Resolved {
  return {
    name: pc.metadata.name ?? '',
    value: typeof pc.value === 'number' ? pc.value : 0,
    preemptionPolicy: typeof pc.preemptionPolicy === 'string' ? pc.preemptionPolicy : 'PreemptLowerPriority',
  };
}

/** The globalDefault class; if a race left several, the lowest value wins. */
function defaultClass(classes: KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pc of classes) {
    if (pc.globalDefault !== true) continue;
    if (!best || resolved(best).value > resolved(pc).value) best = pc;
  }
  return best;
}

async function listClasses(client: ApiClient): Promise<KubeObject[]> {
  try {
    return await listOrEmpty(client, PRIORITY_CLASSES, '', LISTER);
  } catch (error) {
    throw ApiError.internal(`failed to get default priority class: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class PriorityPlugin implements AdmissionPlugin {
  readonly name = 'Priority';

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.subresource !== '' || !isResource(attributes, '', 'pods') || !attributes.object) return;
    const spec = child(attributes.object, 'spec');
    if (attributes.operation === 'UPDATE') {
      // Set by this plugin on create; validation forbids changing them, so keep what was there.
      const old = attributes.oldObject ? child(attributes.oldObject, 'spec') : {};
      if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
      if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
      return;
    }
    if (attributes.operation !== 'CREATE') return;

    const className = str(spec, 'priorityClassName') ?? '';
    let target: Resolved;
    if (!className) {
      const def = defaultClass(await listClasses(client));
      target = def ? resolved(def) : { name: '', value: 0, preemptionPolicy: 'PreemptLowerPriority' };
      if (target.name) spec.priorityClassName = target.name;
    } else {
      target = await this.lookup(attributes, client, className);
    }
    if (typeof spec.priority === 'number' && spec.priority !== target.value) {
      throw forbidden(
        attributes,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${target.value} from the given PriorityClass name`,
      );
    }
    spec.priority = target.value;
    if (target.preemptionPolicy) {
      if (typeof spec.preemptionPolicy === 'string' && spec.preemptionPolicy !== target.preemptionPolicy) {
        throw forbidden(
          attributes,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${target.preemptionPolicy} from the given PriorityClass name`,
        );
      }
      spec.preemptionPolicy = target.preemptionPolicy;
    }
  }

  private async lookup(attributes: AdmissionAttributes, client: ApiClient, name: string): Promise<Resolved> {
    try {
      return resolved(await client.get(PRIORITY_CLASSES, '', name));
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 404) {
        throw ApiError.internal(`failed to get PriorityClass with name ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const system = SYSTEM_PRIORITY_CLASSES[name];
    if (system !== undefined) return { name, value: system, preemptionPolicy: 'PreemptLowerPriority' };
    throw forbidden(attributes, `no PriorityClass with name ${name} was found`);
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.subresource !== '' || !isResource(attributes, 'scheduling.k8s.io', 'priorityclasses') || !attributes.object) return;
    if (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE') return;
    const pc = attributes.object;
    if (pc.globalDefault !== true) return;
    const existing = defaultClass(await listClasses(client));
    if (!existing) return;
    if (attributes.operation === 'CREATE' || existing.metadata.name !== pc.metadata.name) {
      throw forbidden(attributes, `PriorityClass ${existing.metadata.name ?? ''} is already marked as default. Only one default can exist`);
    }
  }
}
