// Which nodes a DaemonSet's pod belongs on (NodeShouldRunDaemonPod): nodeSelector, required node
// affinity, and taints against the pod's tolerations plus those every daemon pod gets.
import type { KubeObject } from '../../../../shared/kube.js';
import { obj, specOf, str, type Obj } from './common.js';
import { termMatches, tolerates, type NodeSelectorTerm, type Taint, type Toleration } from '../../scheduler/matching.js';

/** AddOrUpdateDaemonPodTolerations: daemons keep running on nodes that are unhealthy or cordoned. */
export function daemonTolerations(podSpec: Obj): Toleration[] {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork === true) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const existing = Array.isArray(podSpec.tolerations) ? (podSpec.tolerations as Toleration[]) : [];
  const out = [...existing];
  for (const t of wanted) if (!existing.some((e) => e.key === t.key && e.effect === t.effect && (e.operator ?? 'Equal') === t.operator)) out.push(t);
  return out;
}

/** A NodeSelector's terms are ORed; a term's expressions and fields are ANDed; an empty term matches nothing. */
export function nodeSelectorMatches(selector: Obj, node: KubeObject): boolean {
  const terms = Array.isArray(selector.nodeSelectorTerms) ? (selector.nodeSelectorTerms as NodeSelectorTerm[]) : [];
  // The scheduler's matcher: the DaemonSet controller must agree with it on where pods may run.
  return terms.some((term) => termMatches(term, node));
}

export interface Placement {
  /** A new daemon pod should be created there. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (only NoExecute taints evict). */
  shouldContinueRunning: boolean;
}

export function placement(ds: KubeObject, node: KubeObject): Placement {
  const podSpec = obj(obj(specOf(ds).template).spec);
  const nodeSelector = obj(podSpec.nodeSelector) as Record<string, string>;
  const labels = node.metadata.labels ?? {};
  if (!Object.entries(nodeSelector).every(([k, v]) => labels[k] === v)) return { shouldRun: false, shouldContinueRunning: false };
  const required = obj(obj(obj(podSpec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  if (Object.keys(required).length && !nodeSelectorMatches(required, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(podSpec);
  const taints = Array.isArray(specOf(node).taints) ? (specOf(node).taints as Taint[]) : [];
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerations.some((t) => tolerates(t, taint))) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') shouldContinueRunning = false;
  }
  return { shouldRun, shouldContinueRunning };
}

/** The node a daemon pod is for: where it runs, else the node its affinity pins it to. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  const nodeName = str(specOf(pod).nodeName);
  if (nodeName) return nodeName;
  const required = obj(obj(obj(specOf(pod).affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  for (const term of Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as Obj[]) : []) {
    for (const field of Array.isArray(term.matchFields) ? (term.matchFields as Obj[]) : []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && Array.isArray(field.values) && field.values.length === 1) return String(field.values[0]);
    }
  }
  return undefined;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required affinity pins it to one node by name. */
export function pinToNode(podSpec: Obj, nodeName: string): void {
  const affinity = { ...obj(podSpec.affinity) };
  const nodeAffinity = { ...obj(affinity.nodeAffinity) };
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  podSpec.affinity = affinity;
}
