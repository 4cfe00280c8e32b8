// Which nodes a DaemonSet's pod belongs on (NodeShouldRunDaemonPod): nodeSelector, required node
// affinity, and taints against the pod's tolerations plus those every daemon pod gets.
import type { KubeObject } from '../../../../shared/kube.js';
import { obj, specOf, str, type Obj } from './common.js';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

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

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

function expressionMatches(expr: Obj, value: string | undefined): boolean {
  const values = Array.isArray(expr.values) ? (expr.values as string[]) : [];
  switch (expr.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** A NodeSelector's terms are ORed; a term's expressions and fields are ANDed; an empty term matches nothing. */
export function nodeSelectorMatches(selector: Obj, node: KubeObject): boolean {
  const terms = Array.isArray(selector.nodeSelectorTerms) ? (selector.nodeSelectorTerms as Obj[]) : [];
  const labels = node.metadata.labels ?? {};
  return terms.some((term) => {
    const exprs = Array.isArray(term.matchExpressions) ? (term.matchExpressions as Obj[]) : [];
    const fields = Array.isArray(term.matchFields) ? (term.matchFields as Obj[]) : [];
    if (exprs.length + fields.length === 0) return false;
    return exprs.every((e) => expressionMatches(e, labels[String(e.key)])) && fields.every((e) => e.key === 'metadata.name' && expressionMatches(e, node.metadata.name));
  });
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
