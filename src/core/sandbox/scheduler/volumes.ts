// The VolumeBinding plugin's share: a pod whose claims are missing, terminating or unbound with an
// Immediate class cannot be scheduled anywhere (PreFilter); claims of a WaitForFirstConsumer class
// get the chosen node in volume.kubernetes.io/selected-node and the pod binds once they are bound.
import type { KubeObject } from '../../../shared/kube.js';
import type { Informer } from '../controllers/informer.js';
import { podSpec, termMatches, type NodeSelectorTerm } from './matching.js';

export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

export function claimNames(pod: KubeObject): string[] {
  const volumes = podSpec(pod).volumes;
  const names: string[] = [];
  for (const v of Array.isArray(volumes) ? (volumes as { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }[]) : []) {
    if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata.name ?? ''}-${v.name ?? ''}`);
  }
  return names;
}

export interface VolumeCheck {
  /** Set when no node can take the pod. */
  preFilterMsg?: string;
  /** Unbound WaitForFirstConsumer claims to hand to the provisioner once a node is chosen. */
  delayed: KubeObject[];
  /** Node selector terms (ORed) of each bound volume: the pod must go where its data is. */
  volumeTerms: NodeSelectorTerm[][];
}

export const VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';

export function volumesFit(check: VolumeCheck, node: KubeObject): boolean {
  return check.volumeTerms.every((terms) => terms.some((t) => termMatches(t, node)));
}

export function checkVolumes(pod: KubeObject, claims: Informer, classes: Informer, volumes: Informer): VolumeCheck {
  const ns = pod.metadata.namespace ?? '';
  const delayed: KubeObject[] = [];
  const volumeTerms: NodeSelectorTerm[][] = [];
  for (const name of claimNames(pod)) {
    const pvc = claims.get(ns, name);
    if (!pvc) return { preFilterMsg: `persistentvolumeclaim "${name}" not found`, delayed, volumeTerms };
    if (pvc.metadata.deletionTimestamp) return { preFilterMsg: `persistentvolumeclaim "${name}" is being deleted`, delayed, volumeTerms };
    const spec = (pvc.spec ?? {}) as { volumeName?: string; storageClassName?: string };
    if (spec.volumeName) {
      const pv = volumes.get('', spec.volumeName);
      const terms = (pv?.spec as { nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)?.nodeAffinity?.required?.nodeSelectorTerms;
      if (Array.isArray(terms)) volumeTerms.push(terms);
      continue;
    }
    const className = spec.storageClassName ?? '';
    const sc = className ? classes.get('', className) : undefined;
    if ((sc as { volumeBindingMode?: string } | undefined)?.volumeBindingMode === 'WaitForFirstConsumer') delayed.push(pvc);
    else return { preFilterMsg: UNBOUND_IMMEDIATE, delayed, volumeTerms };
  }
  return { delayed, volumeTerms };
}

export function isBound(claims: Informer, ns: string, name: string): boolean {
  const pvc = claims.get(ns, name);
  return Boolean((pvc?.spec as { volumeName?: string } | undefined)?.volumeName);
}
