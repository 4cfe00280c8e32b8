// Columns as kubectl prints them, computed from the objects themselves so that a live table needs
// no extra request per row.
import type { KubeObject } from '../../shared/kube.js';

/** kubectl's duration.HumanDuration: "45s", "3m12s", "5h20m", "3d4h", "2y10d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function age(obj: KubeObject, now: number): string {
  const created = obj.metadata.creationTimestamp;
  return created ? humanDuration(now - Date.parse(created)) : '<unknown>';
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}
interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}
interface PodShape {
  spec?: { containers?: unknown[]; initContainers?: unknown[] };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type?: string; status?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

function pod(obj: KubeObject): PodShape {
  return obj as unknown as PodShape;
}

export function podReady(obj: KubeObject): string {
  const p = pod(obj);
  const total = p.spec?.containers?.length ?? 0;
  const ready = (p.status?.containerStatuses ?? []).filter((c) => c.ready && c.state?.running).length;
  return `${ready}/${total}`;
}

/** kubectl's RESTARTS: the sum, and how long ago the last one was ("3 (2m ago)"). */
export function podRestarts(obj: KubeObject, now: number): string {
  let restarts = 0;
  let last = 0;
  for (const c of pod(obj).status?.containerStatuses ?? []) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  return restarts > 0 && last > 0 ? `${restarts} (${humanDuration(now - last)} ago)` : String(restarts);
}

/** kubectl's STATUS column (printPod): init progress, waiting/terminated reasons, Terminating. */
export function podStatus(obj: KubeObject): string {
  const status = pod(obj).status ?? {};
  let reason = status.reason || status.phase || '';
  const initTotal = pod(obj).spec?.initContainers?.length ?? 0;
  let initializing = false;
  (status.initContainerStatuses ?? []).some((c, i) => {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return false;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initTotal}`;
    return true;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(status.containerStatuses ?? [])].reverse()) {
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (s.running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (obj.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** A colour class for a status word, so trouble stands out in a long table. */
export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'neutral' {
  if (status === 'Running' || status === 'Completed' || status === 'Succeeded') return 'ok';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'Terminating' || status.startsWith('Init:') || status === 'NotReady') return 'warn';
  if (/Err|BackOff|Failed|Error|OOMKilled|Unknown|Evicted|Invalid|ExitCode|Signal/.test(status)) return 'bad';
  return 'neutral';
}

export const nameColumn = { header: 'NAME', value: (o: KubeObject) => o.metadata.name ?? '' };
export const ageColumn = {
  header: 'AGE',
  live: true,
  value: (o: KubeObject, now: number) => age(o, now),
  // Youngest first when ascending, as the ages read.
  sortKey: (o: KubeObject) => -(Date.parse(o.metadata.creationTimestamp ?? '') || 0),
};

/** Reads a dotted path (`spec.replicas`) from an object without a type for every kind. */
export function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function num(obj: unknown, path: string, fallback = 0): number {
  const v = field(obj, path);
  return typeof v === 'number' ? v : fallback;
}

export function str(obj: unknown, path: string, fallback = ''): string {
  const v = field(obj, path);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** `a=b,c=d` as kubectl prints selectors and label maps. */
export function labelsText(map: unknown): string {
  if (typeof map !== 'object' || map === null) return '<none>';
  const entries = Object.entries(map as Record<string, string>);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** `<none>` for empty values, as kubectl's printers do. */
export function orNone(value: string | undefined): string {
  return value ? value : '<none>';
}

/** A "ready/wanted" cell is healthy when both numbers agree. */
export function ratioTone(value: string): string {
  const [ready, want] = value.split('/');
  return ready === want ? 'tone-ok' : 'tone-warn';
}

export function countOf(obj: unknown, path: string): number {
  const v = field(obj, path);
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length;
  return 0;
}

const MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** kubectl's ACCESS MODES: RWO,ROX,RWX,RWOP. */
export function accessModes(value: unknown): string {
  return Array.isArray(value) ? value.map((m) => MODES[String(m)] ?? String(m)).join(',') : '';
}

/** kubectl's CREATED AT (roles, limit ranges, CRDs): the timestamp itself, in UTC. */
export const createdAtColumn = {
  header: 'CREATED AT',
  value: (o: KubeObject) => o.metadata.creationTimestamp ?? '',
};
