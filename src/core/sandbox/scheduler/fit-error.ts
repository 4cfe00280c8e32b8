// FailedScheduling messages, worded as kube-scheduler's FitError and DefaultPreemption word them:
// "0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient cpu. preemption:
// 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found
// for incoming pod."
import type { FilterStatus } from './filters.js';

export interface Diagnosis {
  numAllNodes: number;
  /** A PreFilter rejection applies to every node at once (e.g. unbound immediate claims). */
  preFilterMsg?: string;
  statuses: Map<string, FilterStatus>;
  postFilterMsg?: string;
}

function histogram(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

export function fitErrorMessage(d: Diagnosis): string {
  let message = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterMsg) message += ` ${d.preFilterMsg}.`;
  else {
    const reasons = [...d.statuses.values()].flatMap((s) => s.reasons);
    if (reasons.length > 0) message += ` ${histogram(reasons)}.`;
  }
  if (d.postFilterMsg) message += ` ${d.postFilterMsg}.`;
  return message;
}

/** What DefaultPreemption reports when it finds no victims (or cannot help). */
export function preemptionMessage(numAllNodes: number, perNode: string[]): string {
  return `preemption: 0/${numAllNodes} nodes are available: ${histogram(perNode)}`;
}

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
