// `kubectl drain --ignore-daemonsets` through the API, with kubectl's rules and words: cordon; leave
// DaemonSet and mirror pods; refuse the whole drain (evicting nothing) when a pod would lose emptyDir
// data or has no controller, unless the matching option (--delete-emptydir-data, --force) is given;
// evict the others in parallel through the Eviction API so PodDisruptionBudgets are respected,
// retrying refusals every 5 s; then wait until every evicted pod is gone, up to a deadline.
import type { KubeObject } from '../../shared/kube.js';
import type { DrainReport } from '../../shared/rpc/object-contract.js';
import { KubeHttpError } from './kube-http.js';
import type { ObjectActions } from './object-actions.js';

interface PodShape extends KubeObject {
  spec?: { volumes?: { name?: string; emptyDir?: unknown }[] };
  status?: { phase?: string };
}

export interface DrainOptions {
  timeoutSeconds?: number;
  deleteEmptyDirData?: boolean;
  force?: boolean;
  /** Between two evictions a PodDisruptionBudget refused (kubectl: 5 s). */
  retryMs?: number;
  /** Between two checks that an evicted pod is gone (kubectl: 1 s). */
  pollMs?: number;
  onProgress?: (line: string) => void;
}

type Verdict = { action: 'evict' | 'wait'; warning?: string } | { action: 'skip'; reason: string; quiet?: boolean } | { action: 'refuse'; reason: string };

const idOf = (pod: KubeObject) => `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
const terminal = (pod: PodShape) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const LOCAL_STORAGE = 'cannot delete Pods with local storage (use --delete-emptydir-data to override)';
export const UNREPLICATED = 'cannot delete Pods that declare no controller (use --force to override)';

/** What drain does with one pod, in kubectl's filter order (deleted, DaemonSet, mirror, local storage, unreplicated). */
export function drainVerdict(pod: PodShape, options: Pick<DrainOptions, 'deleteEmptyDirData' | 'force'> = {}): Verdict {
  if (pod.metadata.deletionTimestamp) return { action: 'wait' };
  const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (controller?.kind === 'DaemonSet' && !terminal(pod)) return { action: 'skip', reason: 'DaemonSet pod (its controller would put it back; kubectl --ignore-daemonsets leaves it too)' };
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { action: 'skip', reason: 'mirror pod (static, managed by the kubelet)', quiet: true };
  const warnings: string[] = [];
  if (!terminal(pod) && pod.spec?.volumes?.some((v) => v.emptyDir !== undefined)) {
    if (!options.deleteEmptyDirData) return { action: 'refuse', reason: LOCAL_STORAGE };
    warnings.push('deleting Pods with local storage');
  }
  if (!controller && !terminal(pod)) {
    if (!options.force) return { action: 'refuse', reason: UNREPLICATED };
    warnings.push('deleting Pods that declare no controller');
  }
  return warnings.length > 0 ? { action: 'evict', warning: warnings.join(', ') } : { action: 'evict' };
}

/** Why drain leaves a pod where it is, or undefined when it goes (kept for callers of the old rule). */
export function skipReason(pod: PodShape): string | undefined {
  const verdict = drainVerdict(pod, { deleteEmptyDirData: true, force: true });
  if (verdict.action === 'skip') return verdict.reason;
  if (verdict.action === 'wait') return 'already terminating';
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drainNode(actions: ObjectActions, clusterId: string, node: string, options: DrainOptions = {}): Promise<DrainReport> {
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  const retryMs = options.retryMs ?? 5000;
  const pollMs = options.pollMs ?? 1000;
  const report: DrainReport = { cordoned: false, evicted: [], skipped: [], blocked: [], terminating: [], drained: false, log: [] };
  const say = (line: string) => {
    report.log.push(line);
    options.onProgress?.(line);
  };
  const cordon = await actions.cordon(clusterId, node, true);
  if (!cordon.ok) {
    report.blocked.push({ pod: '', reason: `cordon failed: ${cordon.message}` });
    say(`error: cordon failed: ${cordon.message}`);
    return report;
  }
  report.cordoned = true;
  say(`node/${node} cordoned`);
  const pods = (await actions.list(clusterId, { apiVersion: 'v1', kind: 'Pod', fieldSelector: `spec.nodeName=${node}` })) as PodShape[];
  const toEvict: PodShape[] = [];
  const toWait: PodShape[] = [];
  const warnings = new Map<string, string[]>();
  for (const pod of pods) {
    const verdict = drainVerdict(pod, options);
    if (verdict.action === 'skip') report.skipped.push({ pod: idOf(pod), reason: verdict.reason });
    else if (verdict.action === 'refuse') report.blocked.push({ pod: idOf(pod), reason: verdict.reason });
    else (verdict.action === 'wait' ? toWait : toEvict).push(pod);
    if (verdict.action === 'evict' && verdict.warning) warnings.set(verdict.warning, [...(warnings.get(verdict.warning) ?? []), idOf(pod)]);
  }
  const daemonPods = report.skipped.filter((s) => s.reason.startsWith('DaemonSet')).map((s) => s.pod);
  const ignoring = daemonPods.length > 0 ? [`ignoring DaemonSet-managed Pods: ${daemonPods.join(', ')}`] : [];
  if (report.blocked.length > 0) {
    if (ignoring.length > 0) say(`Warning: ${ignoring[0]}`);
    // kubectl evicts nothing when one pod needs an option: the node stays cordoned, nothing moved.
    const byReason = new Map<string, string[]>();
    for (const b of report.blocked) byReason.set(b.reason, [...(byReason.get(b.reason) ?? []), b.pod]);
    say(`error: unable to drain node "${node}" due to error: [${[...byReason].map(([reason, ids]) => `${reason}: ${ids.join(', ')}`).join(', ')}]; nothing was evicted, the node stays cordoned`);
    return report;
  }
  // One line, as kubectl prints its warnings.
  const warned = [...[...warnings].map(([warning, ids]) => `${warning}: ${ids.join(', ')}`), ...ignoring];
  if (warned.length > 0) say(`Warning: ${warned.join('; ')}`);
  const errors: string[] = [];

  const deadline = Date.now() + timeoutSeconds * 1000;
  const leftInTime = () => deadline - Date.now();
  const waitGone = async (pod: PodShape): Promise<boolean> => {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    for (;;) {
      const current = await actions.get(clusterId, { apiVersion: 'v1', kind: 'Pod', namespace: ns, name }).catch((error: unknown) => (error instanceof KubeHttpError && error.status === 404 ? undefined : pod));
      // Gone, or a new pod under the same name (a StatefulSet's): the evicted one has left.
      if (!current || current.metadata.uid !== pod.metadata.uid) return true;
      if (leftInTime() <= 0) return false;
      await sleep(Math.min(pollMs, Math.max(leftInTime(), 0)));
    }
  };
  const evictOne = async (pod: PodShape): Promise<void> => {
    const id = idOf(pod);
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    say(`evicting pod ${id}`);
    for (;;) {
      const outcome = await actions.evict(clusterId, ns, name);
      if (outcome.ok || outcome.code === 404) break;
      // Only 429 is worth retrying, as kubectl: a 500 (a pod under two budgets, say) will not change by waiting.
      if (outcome.code !== 429) {
        report.blocked.push({ pod: id, reason: outcome.message });
        errors.push(`error when evicting pods/"${name}" -n "${ns}": ${outcome.message}`);
        say(errors[errors.length - 1]);
        return;
      }
      // 429: a PodDisruptionBudget allows no disruption now; kubectl retries, so do we.
      if (leftInTime() < retryMs) {
        report.blocked.push({ pod: id, reason: `${outcome.message} (still refused after ${timeoutSeconds} s)` });
        errors.push(`error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${timeoutSeconds}s`);
        say(errors[errors.length - 1]);
        return;
      }
      say(`error when evicting pods/"${name}" -n "${ns}" (will retry after ${Math.round(retryMs / 1000)}s): ${outcome.message}`);
      await sleep(retryMs);
    }
    await waitFor(pod, id, true);
  };
  const waitFor = async (pod: PodShape, id: string, evicted: boolean): Promise<void> => {
    if (await waitGone(pod)) {
      report.evicted.push(id);
      say(evicted ? `pod/${pod.metadata.name ?? ''} evicted` : `pod/${pod.metadata.name ?? ''} terminated`);
    } else {
      report.terminating.push(id);
      errors.push(`error when waiting for pod "${pod.metadata.name ?? ''}" in namespace "${pod.metadata.namespace ?? 'default'}" to terminate: global timeout reached: ${timeoutSeconds}s`);
      say(errors[errors.length - 1]);
    }
  };
  for (const pod of toWait) say(`pod ${idOf(pod)} is already terminating: waiting for it to go`);
  await Promise.all([...toEvict.map(evictOne), ...toWait.map((pod) => waitFor(pod, idOf(pod), false))]);
  report.evicted.sort();
  report.drained = report.blocked.length === 0 && report.terminating.length === 0;
  say(report.drained ? `node/${node} drained` : `error: unable to drain node "${node}" due to error: [${errors.join(', ')}]; the node stays cordoned`);
  return report;
}
