// Two plugins that add something a controller later removes, so they are only useful with that
// controller running (see chain.ts for when they are enabled):
// - StorageObjectInUseProtection: new PVCs and PVs get the protection finalizer that the
//   pvc-protection / pv-protection controllers drop once nothing uses them.
// - TaintNodesByCondition: new nodes start tainted not-ready:NoSchedule until the node lifecycle
//   controller sees them Ready, so nothing lands on a node before it can run pods.
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, isResource, objs, str } from './util.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export class StorageObjectInUseProtectionPlugin implements AdmissionPlugin {
  readonly name = 'StorageObjectInUseProtection';

  async admit(attributes: AdmissionAttributes): Promise<void> {
    if (attributes.operation !== 'CREATE' || attributes.subresource !== '' || !attributes.object) return;
    const finalizer = isResource(attributes, '', 'persistentvolumeclaims')
      ? PVC_PROTECTION_FINALIZER
      : isResource(attributes, '', 'persistentvolumes')
        ? PV_PROTECTION_FINALIZER
        : undefined;
    if (!finalizer) return;
    const meta = attributes.object.metadata;
    if (!(meta.finalizers ?? []).includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  }
}

export class TaintNodesByConditionPlugin implements AdmissionPlugin {
  readonly name = 'TaintNodesByCondition';

  async admit(attributes: AdmissionAttributes): Promise<void> {
    if (attributes.operation !== 'CREATE' || attributes.subresource !== '' || !attributes.object) return;
    if (!isResource(attributes, '', 'nodes')) return;
    const spec = child(attributes.object, 'spec');
    const taints = objs(spec, 'taints');
    // MatchTaint compares key and effect only.
    if (taints.some((t) => str(t, 'key') === 'node.kubernetes.io/not-ready' && str(t, 'effect') === 'NoSchedule')) return;
    spec.taints = [...taints, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
  }
}
